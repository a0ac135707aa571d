import { defineNode } from './define';
import { globalPoolStats, inferGlobalPool, readGlobalPool } from './global-pool-common';

export default defineNode({
  kind: 'gmp',
  label: 'Global max pool',
  category: 'Pooling',
  summary: 'Keeps each channel’s largest value over the whole image: H×W×C becomes C numbers.',
  doc: 'Keeps, for each channel, only its strongest response anywhere in the image, turning H×W×C into C numbers. Use it when what matters is whether a feature appears at all, not how much of the image it covers.',
  inputs: { min: 1, max: 1 },
  params: {},
  short: () => '',
  infer: (inputs) => inferGlobalPool('Global max pool', inputs),
  stats: (inputs) => globalPoolStats(inputs),
  layers: () => [{ layer: 'globalMaxPooling2d', config: {} }],
  fromKeras: { classNames: ['GlobalMaxPooling2D'], read: ({ config }) => readGlobalPool('gmp', config) },
});
