/**
 * The compiled graph's batch-norm and convolution layers against tfjs-layers' own: the same
 * training output, running statistics and gradients, the same saved form.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { TrainingBatchNorm } from '../../src/compile/batch-norm-layer';
import { PlainConv2D } from '../../src/compile/conv-layer';
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

describe('PlainConv2D', () => {
  it('computes what tfjs-layers’ Conv2D computes, and no input gradient where none is needed', async () => {
    await useNodeBackend('wasm');
    for (const config of [
      { filters: 8, kernelSize: 3, strides: 2, padding: 'same' as const, useBias: false },
      { filters: 4, kernelSize: 3, strides: 1, padding: 'valid' as const, useBias: false },
      { filters: 4, kernelSize: 3, padding: 'same' as const, activation: 'relu' as const },
    ]) {
      const x = tf.randomNormal([2, 9, 9, 3], 0, 1, 'float32', 1);
      // As large as every output here: a slice past the end of r would read whatever lies beyond it.
      const r = tf.randomNormal([2, 9, 9, 8], 0, 1, 'float32', 2);
      const [stock, ours] = [tfl.layers.conv2d(config), new PlainConv2D(config)];
      stock.build(x.shape);
      ours.build(x.shape);
      ours.setWeights(stock.getWeights());
      const run = (layer: tfl.layers.Layer) => {
        const weights = layer.trainableWeights.map((w) => w.read() as tf.Variable);
        const loss = () => {
          const y = layer.apply(x, { training: true }) as tf.Tensor;
          return tf.sum(tf.mul(y, tf.slice(r, [0, 0, 0, 0], y.shape))) as tf.Scalar;
        };
        const { value, grads } = tf.variableGrads(loss, weights);
        return [value, ...weights.map((w) => grads[w.name]!)].map((t) => Array.from(t.dataSync()));
      };
      const want = run(stock);
      const got = run(ours);
      want.forEach((w, i) => w.forEach((v, j) => expect(got[i]![j]).toBeCloseTo(v, 4)));
      expect(ours.getClassName()).toBe('Conv2D');
      expect(ours.getConfig()).toEqual({ ...stock.getConfig(), name: ours.name });
      if (config.activation === undefined) {
        const profile = await tf.profile(() => {
          run(ours);
        });
        expect(profile.kernelNames).toContain('Conv2DBackpropFilter');
        expect(profile.kernelNames).not.toContain('Conv2DBackpropInput');
      }
      tf.dispose([x, r]);
    }
  });
});
