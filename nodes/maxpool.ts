import { defineNode } from './define';
import { inferPool, poolLayers, poolParams, poolShort, poolStats, readPool } from './pool-common';

export default defineNode({
  kind: 'maxpool',
  label: 'Max pool',
  category: 'Pooling',
  summary: 'Keeps the largest value in each window: a 2×2 pool halves H and W.',
  doc: 'Looks at each small window (e.g. 2×2) of every channel and keeps only the largest value. The image gets smaller while the strongest responses survive, so a feature found anywhere in the window still counts. It has no weights to learn.',
  inputs: { min: 1, max: 1 },
  params: poolParams,
  short: poolShort,
  infer: (inputs, p) => inferPool('Max pool', inputs, p),
  stats: (_inputs, output, p) => poolStats(output, p),
  layers: (_inputs, p) => poolLayers('maxPooling2d', p),
  fromKeras: { classNames: ['MaxPooling2D'], read: ({ config }) => readPool('maxpool', config) },
});
