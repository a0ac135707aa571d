import { defineNode, err, ok } from './define';
import { choice, float } from './params';
import { elementCount } from './shape';

export default defineNode({
  kind: 'activation',
  label: 'Activation',
  category: 'Activation',
  summary: 'Bends every value through a fixed function such as ReLU, so the network can learn curves.',
  doc: 'Applies the same simple function to every number. Without one between them, stacked layers would collapse into a single linear map. ReLU keeps positives and zeroes negatives; leaky ReLU lets a little of the negatives through; ELU and GELU are smooth versions; sigmoid and tanh squash into a range; softmax turns a vector into probabilities that add up to 1.',
  inputs: { min: 1, max: 1 },
  params: {
    fn: choice(
      [
        { value: 'relu', label: 'ReLU' },
        { value: 'leaky_relu', label: 'leaky ReLU' },
        { value: 'elu', label: 'ELU' },
        { value: 'gelu', label: 'GELU' },
        { value: 'sigmoid', label: 'sigmoid' },
        { value: 'tanh', label: 'tanh' },
        { value: 'softmax', label: 'softmax' },
      ],
      'relu',
      'The function applied to every value.',
      'function',
    ),
    alpha: float(0.2, 0, 1, 0.01, 'Leaky ReLU only: the slope kept for negative values.', 'leak'),
  },
  short: (p) => (p.fn === 'leaky_relu' ? `leaky ${p.alpha}` : p.fn),
  infer: ([x]) => (x === undefined ? err('Activation needs an input: connect a link into it.') : ok(x)),
  stats: (_inputs, output) => ({ trainable: 0, nonTrainable: 0, flops: elementCount(output) }),
  layers: (_inputs, p) =>
    p.fn === 'leaky_relu'
      ? [{ layer: 'leakyReLU', config: { alpha: p.alpha } }]
      : [{ layer: 'activation', config: { activation: p.fn } }],
});
