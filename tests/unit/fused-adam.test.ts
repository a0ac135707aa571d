/** The one-kernel Adam step against tfjs' AdamOptimizer: the same weights to the bit, step after step. */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { FusedAdam } from '../../src/train/fused-adam';
import { ADAM_UPDATE } from '../../src/train/kernels/adam-update';
import { useNodeBackend } from '../../src/train/node-backend';

/** Five steps minimising Σ (w·x − t)² for two variables, with a learning rate that changes. */
function run(make: () => tf.AdamOptimizer, seed: number): number[][] {
  const a = tf.variable(tf.randomNormal([7, 3], 0, 1, 'float32', seed));
  const b = tf.variable(tf.randomNormal([3], 0, 1, 'float32', seed + 1));
  const x = tf.randomNormal([5, 7], 0, 1, 'float32', seed + 2);
  const target = tf.randomNormal([5, 3], 0, 1, 'float32', seed + 3);
  const optimizer = make();
  for (let step = 0; step < 5; step++) {
    (optimizer as unknown as { learningRate: number }).learningRate = 0.01 * (step + 1);
    optimizer.minimize(() => tf.sum(tf.square(tf.sub(tf.add(tf.matMul(x, a), b), target))) as tf.Scalar);
  }
  const out = [Array.from(a.dataSync()), Array.from(b.dataSync())];
  optimizer.dispose();
  tf.dispose([a, b, x, target]);
  return out;
}

describe('FusedAdam', () => {
  for (const backend of ['cpu', 'wasm'] as const)
    it(`takes the same steps as tf.train.adam on ${backend}, through its kernel`, async () => {
      await useNodeBackend(backend);
      expect(tf.getKernel(ADAM_UPDATE, backend)).toBeDefined();
      for (const seed of [1, 20, 300]) {
        const want = run(() => tf.train.adam(0.01), seed);
        const got = run(() => new FusedAdam(0.01, 0.9, 0.999), seed);
        expect(got).toEqual(want);
      }
      // tfjs' own optimizer leaves a tensor or two behind after dispose(); this one leaves no more.
      const leftBehind = (make: () => tf.AdamOptimizer) => {
        const before = tf.memory().numTensors;
        run(make, 4);
        return tf.memory().numTensors - before;
      };
      expect(leftBehind(() => new FusedAdam(0.01, 0.9, 0.999))).toBe(leftBehind(() => tf.train.adam(0.01)));
    });
});
