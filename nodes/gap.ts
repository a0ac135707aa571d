import { defineNode } from './define';
import { globalPoolStats, inferGlobalPool, readGlobalPool } from './global-pool-common';

export default defineNode({
  kind: 'gap',
  label: 'Global average pool',
  category: 'Pooling',
  summary: 'Averages each channel over the whole image: H×W×C becomes C numbers.',
  doc: 'Takes the mean of each channel over all positions, turning an H×W×C feature map into a vector of C numbers, one per feature detector. It has no weights, works for any image size, and is how ResNets go from feature maps to the classifier.',
  inputs: { min: 1, max: 1 },
  params: {},
  short: () => '',
  infer: (inputs) => inferGlobalPool('Global average pool', inputs),
  stats: (inputs) => globalPoolStats(inputs),
  layers: () => [{ layer: 'globalAveragePooling2d', config: {} }],
  fromKeras: { classNames: ['GlobalAveragePooling2D'], read: ({ config }) => readGlobalPool('gap', config) },
});
