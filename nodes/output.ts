import { defineNode, err, ok } from './define';
import { int } from './params';
import { needsVector } from './vector-common';

export default defineNode({
  kind: 'output',
  label: 'Output',
  category: 'Data',
  summary: 'The classifier: one probability per class, adding up to 1.',
  doc: 'The last layer. A dense layer with one unit per class, followed by softmax, which turns the scores into probabilities that add up to 1. The class with the highest probability is the network’s answer. When a dataset is chosen, its number of classes fills this in.',
  inputs: { min: 1, max: 1 },
  params: { classes: int(10, 1, 10000, 'How many classes the network chooses between.') },
  short: (p) => `${p.classes} classes`,
  infer: ([x], p) => {
    const problem = needsVector('Output', x);
    return problem === null ? ok([p.classes]) : err(problem);
  },
  stats: ([x], _output, p) => {
    const n = x?.[0] ?? 0;
    return {
      trainable: n * p.classes + p.classes,
      nonTrainable: 0,
      flops: 2 * n * p.classes + 4 * p.classes,
    };
  },
  layers: (_inputs, p) => [
    { layer: 'dense', config: { units: p.classes, activation: 'softmax', useBias: true } },
  ],
  fromKeras: {
    none: 'A Dense layer with softmax at the end of a model (or a Dense followed by a Softmax) becomes an Output node: the importer folds the pair back (src/import/passes).',
  },
});
