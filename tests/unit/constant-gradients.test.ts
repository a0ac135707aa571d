/**
 * The gradients of Sum, Mean, Square and ClipByValue that use shared constants instead of tensors
 * made per call: the same values as tfjs' own, on random shapes and axes, on cpu and wasm. (On
 * WebGPU: tests/e2e/webgpu-kernels.spec.ts.)
 */
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { constant } from '../../src/train/constants';
import {
  clipByValueGradient,
  meanGradient,
  squareGradient,
  sumGradient,
} from '../../src/train/kernels/constant-gradients';

const ops = ['Sum', 'Mean', 'Square', 'ClipByValue'] as const;
const ours = [sumGradient, meanGradient, squareGradient, clipByValueGradient];
const tfjs = ops.map((name) => tf.getGradient(name)!);

beforeAll(() => tf.env().set('PROD', true));
afterAll(() => {
  for (const g of tfjs) tf.registerGradient(g);
});

const cases = fc
  .record({
    op: fc.constantFrom(...ops),
    shape: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }),
    axisBits: fc.integer({ min: 0, max: 15 }),
    keepDims: fc.boolean(),
    seed: fc.integer({ min: 1, max: 1000 }),
  })
  .map(({ axisBits, ...c }) => ({ ...c, axes: c.shape.map((_, i) => i).filter((i) => (axisBits >> i) & 1) }));

type Case = typeof cases extends fc.Arbitrary<infer T> ? T : never;

/** ∂/∂x Σ op(x)·r. */
function gradient(c: Case): Float32Array {
  return tf.tidy(() => {
    const x = tf.randomNormal(c.shape, 0, 1, 'float32', c.seed);
    const f = (v: tf.Tensor): tf.Tensor =>
      c.op === 'Sum'
        ? tf.sum(v, c.axes, c.keepDims)
        : c.op === 'Mean'
          ? tf.mean(v, c.axes, c.keepDims)
          : c.op === 'Square'
            ? tf.square(v)
            : tf.clipByValue(v, -0.5, 0.7);
    const r = tf.randomNormal(f(x).shape, 0, 1, 'float32', c.seed + 1);
    return tf
      .grad((v: tf.Tensor) => tf.sum(tf.mul(f(v), r)))(x)
      .dataSync() as Float32Array;
  });
}

describe('gradients with shared constants', () => {
  for (const backend of ['cpu', 'wasm'] as const)
    it(`equal tfjs' own on ${backend}`, async () => {
      await tf.setBackend(backend);
      const samples = fc.sample(cases, { numRuns: 60, seed: 21 });
      for (const g of tfjs) tf.registerGradient(g);
      const want = samples.map(gradient);
      for (const g of ours) tf.registerGradient(g);
      const got = samples.map(gradient);
      samples.forEach((c, i) => expect(Array.from(got[i]!), JSON.stringify(c)).toEqual(Array.from(want[i]!)));
      // After the first use they make no tensors of their own.
      gradient(samples[0]!);
      const before = tf.memory().numTensors;
      for (const c of samples.slice(0, 10)) gradient(c);
      expect(tf.memory().numTensors).toBe(before);
    });
});

describe('constant', () => {
  it('is one kept tensor per value and backend, made again if someone disposed it', async () => {
    await tf.setBackend('cpu');
    const a = tf.tidy(() => constant(0.25));
    expect(a.isDisposed).toBe(false);
    expect(constant(0.25)).toBe(a);
    expect(constant(0.5)).not.toBe(a);
    expect(a.dataSync()[0]).toBe(0.25);
    a.dispose();
    const b = constant(0.25);
    expect(b).not.toBe(a);
    expect(b.dataSync()[0]).toBe(0.25);
    await tf.setBackend('wasm');
    expect(constant(0.25)).not.toBe(b);
  });
});
