/**
 * The border lesson: one output channel of a convolution computed twice from the same input and
 * weights, once with the border filled by zeros and once by reflection. Inside they are the same; they
 * differ only where the window reaches past the image.
 */
import * as tf from '@tensorflow/tfjs-core';
import { samePadding } from '../../nodes/shape';
import type { CompiledGraph } from '../compile/compile';
import { padImages } from '../compile/padding-layer';
import { convLayersOf } from './conv-explain';

interface ConvConfig {
  kernelSize: number[];
  strides: number[];
  dilationRate: number[];
  activation: string;
  useBias: boolean;
}

/** The element-wise activations a convolution may apply itself. */
function activated(x: tf.Tensor, fn: string): tf.Tensor {
  switch (fn) {
    case 'relu':
      return tf.relu(x);
    case 'elu':
      return tf.elu(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'tanh':
      return tf.tanh(x);
    case 'gelu':
      return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))));
    default:
      return x;
  }
}

/**
 * Channel `channel` of conv node `nodeId` with zero and with reflection padding ([h, w] each), from
 * its input's activation; undefined for a convolution without padding ('valid').
 */
export function bordersOf(
  compiled: CompiledGraph,
  activations: ReadonlyMap<string, tf.Tensor>,
  nodeId: string,
  channel: number,
): { zero: tf.Tensor2D; reflect: tf.Tensor2D; own: string } | undefined {
  const layers = convLayersOf(compiled, nodeId);
  const sourceId = compiled.analysis.index.incoming.get(nodeId)?.[0]?.source;
  const input = sourceId === undefined ? undefined : activations.get(sourceId);
  const own = String(compiled.analysis.index.nodes.get(nodeId)?.params['padding'] ?? 'same');
  if (layers === undefined || input === undefined || own === 'valid') return undefined;
  const config = layers.conv.getConfig() as unknown as ConvConfig;
  const [k, stride, dilation] = [config.kernelSize[0]!, config.strides[0]!, config.dilationRate[0]!];
  const [, h, w] = input.shape as number[];
  const pads = [samePadding(h!, k, stride, dilation), samePadding(w!, k, stride, dilation)] as const;
  const [kernel, bias] = layers.conv.getWeights();
  return tf.tidy(() => {
    const x = input as tf.Tensor4D;
    const weights = tf.slice(kernel!, [0, 0, 0, channel], [-1, -1, -1, 1]) as tf.Tensor4D;
    const b = config.useBias && bias !== undefined ? tf.slice(bias, channel, 1) : tf.scalar(0);
    const run = (padded: tf.Tensor4D) => {
      const y = tf.add(tf.conv2d(padded, weights, stride, 'valid', 'NHWC', dilation), b);
      const [, oh, ow] = y.shape as number[];
      return tf.reshape(activated(y, config.activation), [oh!, ow!]) as tf.Tensor2D;
    };
    const zero = run(tf.pad(x, [[0, 0], [...pads[0]], [...pads[1]], [0, 0]]));
    const reflect = run(padImages(x, [pads[0], pads[1]], 'reflect'));
    return { zero, reflect, own };
  });
}
