/**
 * The compiled graph's batch-norm layer against tfjs-layers' own: the same training output,
 * running statistics and gradients through the added kernel, the same saved form.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { TrainingBatchNorm } from '../../src/compile/batch-norm-layer';
import { useNodeBackend } from '../../src/train/node-backend';

/** Output, moving mean and variance after one training call, and the gradients of Σ y·r. */
function trainOnce(layer: tfl.layers.Layer, x: tf.Tensor, r: tf.Tensor): number[][] {
  return tf.tidy(() => {
    const weights = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const { value, grads } = tf.variableGrads(
      () => tf.sum(tf.mul(layer.apply(x, { training: true }) as tf.Tensor, r)) as tf.Scalar,
      weights,
    );
    const moving = layer.nonTrainableWeights.map((w) => Array.from(w.read().dataSync()));
    return [[value.dataSync()[0]!], ...moving, ...weights.map((w) => Array.from(grads[w.name]!.dataSync()))];
  });
}

describe('TrainingBatchNorm', () => {
  for (const backend of ['cpu', 'wasm'] as const)
    it(`trains like tfjs-layers’ BatchNormalization on ${backend}`, async () => {
      await useNodeBackend(backend);
      const config = { momentum: 0.9, epsilon: 1e-3 };
      const x = tf.randomNormal([4, 5, 3, 6], 1, 2, 'float32', 3);
      const r = tf.randomNormal([4, 5, 3, 6], 0, 1, 'float32', 4);
      const stock = tfl.layers.batchNormalization(config);
      const ours = new TrainingBatchNorm(config);
      stock.build(x.shape);
      ours.build(x.shape);
      const gamma = tf.randomNormal([6], 1, 0.2, 'float32', 5);
      const beta = tf.randomNormal([6], 0, 0.2, 'float32', 6);
      for (const l of [stock, ours]) l.setWeights([gamma, beta, tf.zeros([6]), tf.ones([6])]);
      for (let step = 0; step < 2; step++) {
        const want = trainOnce(stock, x, r);
        const got = trainOnce(ours, x, r);
        want.forEach((w, i) => w.forEach((v, j) => expect(got[i]![j]).toBeCloseTo(v, 3)));
      }
      expect(ours.getClassName()).toBe('BatchNormalization');
      expect(ours.getConfig()).toEqual({ ...stock.getConfig(), name: ours.name });
      tf.dispose([x, r, gamma, beta]);
    });
});
