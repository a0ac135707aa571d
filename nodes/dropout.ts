import { defineNode, err, noStats, ok } from './define';
import { float } from './params';

export default defineNode({
  kind: 'dropout',
  label: 'Dropout',
  category: 'Regularization',
  summary: 'During training, zeroes a random fraction of values so the network cannot rely on any one.',
  doc: 'While training, sets a random fraction of the values to zero at each step (and scales the rest up to keep the average). The network has to spread what it knows over many units instead of leaning on a few, which usually helps it do well on images it has not seen. After training it does nothing.',
  inputs: { min: 1, max: 1 },
  params: { rate: float(0.5, 0, 0.95, 0.05, 'Fraction of values dropped at each training step.') },
  short: (p) => `${p.rate}`,
  infer: ([x]) => (x === undefined ? err('Dropout needs an input: connect a link into it.') : ok(x)),
  stats: () => noStats,
  layers: (_inputs, p) => [{ layer: 'dropout', config: { rate: p.rate } }],
  fromKeras: {
    classNames: ['Dropout'],
    read: ({ config }) => [{ kind: 'dropout', params: { rate: config['rate'] } }],
  },
});
