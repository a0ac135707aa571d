import { standaloneActivations } from './activations';
import { defineNode, err, ok } from './define';
import type { KerasLayer, NodeReading } from './keras';
import { activationName, activationNode, unsupported } from './keras';
import { choice, float } from './params';
import { elementCount } from './shape';

/** Keras' activation layers; a linear Activation passes its input through and becomes no node. */
function readActivation({ className, config: c }: KerasLayer): NodeReading[] {
  switch (className) {
    case 'Softmax':
      return [activationNode('softmax')];
    case 'LeakyReLU':
      return [activationNode('leaky_relu', c['alpha'] ?? c['negative_slope'] ?? 0.3)];
    case 'ReLU': {
      const slope = c['negative_slope'] ?? 0;
      if ((c['max_value'] ?? null) !== null || (c['threshold'] ?? 0) !== 0)
        unsupported('a ReLU with a max_value or threshold is not supported');
      return [slope === 0 ? activationNode('relu') : activationNode('leaky_relu', slope)];
    }
    default: {
      const fn = activationName(c);
      return fn === 'linear' ? [] : [activationNode(fn)];
    }
  }
}

export default defineNode({
  kind: 'activation',
  label: 'Activation',
  category: 'Activation',
  summary: 'Bends every value through a fixed function such as ReLU, so the network can learn curves.',
  doc: 'Applies the same simple function to every number. Without one between them, stacked layers would collapse into a single linear map. ReLU keeps positives and zeroes negatives; leaky ReLU lets a little of the negatives through; ELU and GELU are smooth versions; sigmoid and tanh squash into a range; softmax turns a vector into probabilities that add up to 1.',
  inputs: { min: 1, max: 1 },
  params: {
    fn: choice(standaloneActivations, 'relu', 'The function applied to every value.', 'function'),
    alpha: float(0.2, 0, 1, 0.01, 'Leaky ReLU only: the slope kept for negative values.', 'leak'),
  },
  short: (p) => (p.fn === 'leaky_relu' ? `leaky ${p.alpha}` : p.fn),
  infer: ([x]) => (x === undefined ? err('Activation needs an input: connect a link into it.') : ok(x)),
  stats: (_inputs, output) => ({ trainable: 0, nonTrainable: 0, flops: elementCount(output) }),
  layers: (_inputs, p) =>
    p.fn === 'leaky_relu'
      ? [{ layer: 'leakyReLU', config: { alpha: p.alpha } }]
      : [{ layer: 'activation', config: { activation: p.fn } }],
  fromKeras: { classNames: ['Activation', 'ReLU', 'LeakyReLU', 'Softmax'], read: readActivation },
});
