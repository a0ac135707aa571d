import { defineNode } from './define';
import { inferPool, poolLayers, poolParams, poolShort, poolStats, readPool } from './pool-common';

export default defineNode({
  kind: 'avgpool',
  label: 'Average pool',
  category: 'Pooling',
  summary: 'Averages each window: a smoother way to shrink H and W.',
  doc: 'Replaces each small window (e.g. 2×2) of every channel by the mean of its values. Like max pooling it shrinks the image and has no weights, but it keeps a little of everything instead of only the strongest response. With same padding the border windows average only the real pixels.',
  inputs: { min: 1, max: 1 },
  params: poolParams,
  short: poolShort,
  infer: (inputs, p) => inferPool('Average pool', inputs, p),
  stats: (_inputs, output, p) => poolStats(output, p),
  layers: (_inputs, p) => poolLayers('averagePooling2d', p),
  fromKeras: { classNames: ['AveragePooling2D'], read: ({ config }) => readPool('avgpool', config) },
});
