import { activationParam, activationTag } from './activations';
import { defineNode, err, ok } from './define';
import { withActivation } from './keras';
import { bool, int } from './params';
import { needsVector } from './vector-common';

export default defineNode({
  kind: 'dense',
  label: 'Dense',
  category: 'Dense',
  summary: 'Every output is a learned weighted sum of every input value.',
  doc: 'A fully connected layer: each of its units multiplies every input number by its own learned weight and adds them up (plus a bias). It sees the whole vector at once, so it is used near the end to combine the features the convolutions found. It needs a flat input.',
  inputs: { min: 1, max: 1 },
  params: {
    units: int(64, 1, 8192, 'How many outputs.'),
    activation: activationParam('relu'),
    bias: bool(true, 'Adds one learned number per unit.'),
  },
  short: (p) => `${p.units}${activationTag(p.activation)}`,
  infer: ([x], p) => {
    const problem = needsVector('Dense', x);
    return problem === null ? ok([p.units]) : err(problem);
  },
  stats: ([x], _output, p) => {
    const n = x?.[0] ?? 0;
    return {
      trainable: n * p.units + (p.bias ? p.units : 0),
      nonTrainable: 0,
      flops: 2 * n * p.units + (p.bias ? p.units : 0) + (p.activation === 'linear' ? 0 : p.units),
    };
  },
  layers: (_inputs, p) => [
    { layer: 'dense', config: { units: p.units, activation: p.activation, useBias: p.bias } },
  ],
  fromKeras: {
    classNames: ['Dense'],
    read: ({ config: c }) => withActivation('dense', { units: c['units'], bias: c['use_bias'] !== false }, c),
  },
});
