import { defineNode, err, ok } from './define';
import { shown, unsupported } from './keras';
import { float } from './params';
import { elementCount } from './shape';

export default defineNode({
  kind: 'batchnorm',
  label: 'Batch norm',
  category: 'Normalization',
  summary: 'Rescales each channel to mean 0 and variance 1, then learns a scale and shift.',
  doc: 'During training, batch normalization measures each channel’s mean and spread over the batch and rescales it to mean 0 and variance 1, then applies a learned scale (gamma) and shift (beta). Keeping the numbers in a steady range makes training faster and more forgiving of the learning rate. It also keeps running averages of the mean and variance to use after training; those are saved but not trained.',
  inputs: { min: 1, max: 1 },
  params: {
    momentum: float(0.99, 0, 0.9999, 0.01, 'How slowly the running mean and variance follow each batch.'),
    epsilon: float(0.001, 0.00001, 0.1, 0.0001, 'Added to the variance so the division never blows up.'),
  },
  short: () => '',
  infer: ([x]) => (x === undefined ? err('Batch norm needs an input: connect a link into it.') : ok(x)),
  stats: (_inputs, output) => {
    const channels = output[output.length - 1] ?? 0;
    return { trainable: 2 * channels, nonTrainable: 2 * channels, flops: 2 * elementCount(output) };
  },
  layers: (_inputs, p) => [
    { layer: 'batchNormalization', config: { momentum: p.momentum, epsilon: p.epsilon } },
  ],
  fromKeras: {
    classNames: ['BatchNormalization'],
    read: ({ config: c }) => {
      const axis = Array.isArray(c['axis']) ? (c['axis'] as unknown[])[0] : (c['axis'] ?? -1);
      if (axis !== -1 && axis !== 3)
        unsupported(`it normalizes axis ${shown(axis)}; only channels (-1) are supported`);
      if (c['center'] === false || c['scale'] === false)
        unsupported('batch norm without its learned scale and shift (center/scale off) is not supported');
      return [{ kind: 'batchnorm', params: { momentum: c['momentum'], epsilon: c['epsilon'] } }];
    },
  },
});
