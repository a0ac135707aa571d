/**
 * tfjs-layers' Conv2D, minus one wasted gradient. Without bias and activation tfjs-layers still
 * calls the fused convolution, whose gradient computes the input gradient eagerly even where
 * nothing needs it — for the first convolution, the gradient of the images, a full backward
 * convolution every step. Plain tf.conv2d is the same kernel forward, and its gradient computes
 * the input gradient only when asked. Same class name, config and weights as the stock layer.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Conv2D } from '@tensorflow/tfjs-layers/dist/layers/convolutional';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types';

/** tfjs-layers exports the factory but not the class. */
const StockConv2D = Object.getPrototypeOf(tfl.layers.conv2d({ filters: 1, kernelSize: 1 }))
  .constructor as typeof Conv2D;

interface Fields {
  readonly kernel: tfl.LayerVariable;
  readonly bias: tfl.LayerVariable | null | undefined;
  readonly activation: { getClassName(): string };
  readonly strides: number[];
  readonly padding: string;
  readonly dataFormat: string;
  readonly dilationRate: number | number[];
}

export class PlainConv2D extends StockConv2D {
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const f = this as unknown as Fields;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (
      x?.rank !== 4 ||
      (f.bias !== null && f.bias !== undefined) ||
      f.activation.getClassName() !== 'linear' ||
      f.dataFormat !== 'channelsLast' ||
      (f.padding !== 'same' && f.padding !== 'valid')
    )
      return super.call(inputs, kwargs);
    return tf.tidy(() =>
      tf.conv2d(
        x as tf.Tensor4D,
        f.kernel.read() as tf.Tensor4D,
        f.strides as [number, number],
        f.padding as 'same' | 'valid',
        'NHWC',
        f.dilationRate as number | [number, number],
      ),
    );
  }
}
