import type { Category } from '../../nodes/define';

/** One colour per node category, readable on both themes. */
export const categoryColor: Record<Category, string> = {
  Data: '#4263eb',
  Convolution: '#7950f2',
  Pooling: '#12b886',
  Merge: '#f76707',
  Normalization: '#15aabf',
  Activation: '#e64980',
  Regularization: '#868e96',
  Dense: '#74b816',
};
