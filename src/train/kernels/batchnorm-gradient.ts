/**
 * The gradient of FusedBatchNorm written with broadcasting. tfjs' own version tiles the per-channel
 * vectors up to the activation's full size first, and Tile is slow on wasm: it took a third of a
 * training step of a small conv-BN-ReLU network.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig, NamedAttrMap } from '@tensorflow/tfjs-core';

/** Sums over every axis but the last (the channels), keeping a [C] vector. */
const sumToChannels = (t: tf.Tensor): tf.Tensor =>
  tf.sum(
    t,
    Array.from({ length: t.rank - 1 }, (_, i) => i),
  );

export const batchNormGradient: GradConfig = {
  kernelName: 'FusedBatchNorm',
  inputsToSave: ['x', 'mean', 'variance', 'scale'],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: NamedAttrMap) => {
    const g = dy as tf.Tensor;
    const [x, mean, variance, scale] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor | undefined];
    const epsilon = attrs['varianceEpsilon'] as number;
    const gamma = scale ?? tf.scalar(1);
    const inverseStd = tf.rsqrt(tf.add(variance, epsilon));
    const centred = tf.sub(x, mean);
    return {
      x: () => tf.mul(g, tf.mul(gamma, inverseStd)),
      mean: () => tf.reshape(tf.neg(sumToChannels(tf.mul(g, tf.mul(gamma, inverseStd)))), mean.shape),
      variance: () =>
        tf.reshape(
          sumToChannels(tf.mul(tf.mul(g, centred), tf.mul(gamma, tf.mul(-0.5, tf.pow(inverseStd, 3))))),
          variance.shape,
        ),
      scale: () => tf.reshape(sumToChannels(tf.mul(tf.mul(g, centred), inverseStd)), gamma.shape),
      offset: () => sumToChannels(g),
    };
  },
};
