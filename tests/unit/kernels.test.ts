/**
 * The added Conv2DBackpropFilter kernel against tfjs' own (the cpu backend's reference loops), on
 * random shapes, strides and paddings; and it leaks no tensors.
 */
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backpropFilterKernel } from '../../src/train/kernels/conv2d-backprop-filter';

const stock = tf.getKernel('Conv2DBackpropFilter', 'cpu')!;

beforeAll(async () => {
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
});

afterAll(() => {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) tf.unregisterKernel('Conv2DBackpropFilter', 'wasm');
});

const cases = fc.record({
  batch: fc.integer({ min: 1, max: 3 }),
  size: fc.tuple(fc.integer({ min: 3, max: 11 }), fc.integer({ min: 3, max: 11 })),
  channels: fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 })),
  kernel: fc.integer({ min: 1, max: 3 }),
  stride: fc.integer({ min: 1, max: 3 }),
  pad: fc.constantFrom('same' as const, 'valid' as const, 1, 2),
  seed: fc.integer({ min: 1, max: 1000 }), // tfjs treats seed 0 as no seed
});

type Case = typeof cases extends fc.Arbitrary<infer T> ? T : never;

/**
 * A gradient of sum(conv(x, w) · r) for random x, w, r — with respect to the weights or to the
 * input: the two things training asks the backward kernels for.
 */
function convGradient(c: Case, wrt: 'filter' | 'input'): Float32Array {
  return tf.tidy(() => {
    const x = tf.randomNormal(
      [c.batch, c.size[0], c.size[1], c.channels[0]],
      0,
      1,
      'float32',
      c.seed,
    ) as tf.Tensor4D;
    const w = tf.randomNormal(
      [c.kernel, c.kernel, c.channels[0], c.channels[1]],
      0,
      1,
      'float32',
      c.seed + 1,
    ) as tf.Tensor4D;
    const loss = (v: tf.Tensor) => {
      const y =
        wrt === 'filter'
          ? tf.conv2d(x, v as tf.Tensor4D, c.stride, c.pad)
          : tf.conv2d(v as tf.Tensor4D, w, c.stride, c.pad);
      return tf.sum(tf.mul(y, tf.randomNormal(y.shape, 0, 1, 'float32', c.seed + 2)));
    };
    return tf
      .grad(loss)(wrt === 'filter' ? w : x)
      .dataSync() as Float32Array;
  });
}

const weightGradient = (c: Case) => convGradient(c, 'filter');
const inputGradient = (c: Case) => convGradient(c, 'input');

const fits = (c: Case) => c.pad !== 'valid' || (c.kernel <= c.size[0] && c.kernel <= c.size[1]);

describe('Conv2DBackpropFilter as a forward convolution', () => {
  it('matches tfjs’ own kernel on the cpu backend (max abs diff < 1e-4)', async () => {
    await tf.setBackend('cpu');
    fc.assert(
      fc.property(cases.filter(fits), (c) => {
        tf.registerKernel(stock);
        const want = weightGradient(c);
        tf.registerKernel(backpropFilterKernel('cpu'));
        const got = weightGradient(c);
        tf.registerKernel(stock);
        const diff = want.reduce((m, v, i) => Math.max(m, Math.abs(v - got[i]!)), 0);
        expect(diff).toBeLessThan(1e-4);
      }),
      { numRuns: 60, seed: 3 },
    );
  });

  it('makes training work on wasm, equal to the cpu reference', async () => {
    await tf.setBackend('cpu');
    const samples = fc.sample(cases.filter(fits), { numRuns: 25, seed: 8 });
    const reference = samples.map(weightGradient);
    await tf.setBackend('wasm');
    tf.registerKernel(backpropFilterKernel('wasm'));
    samples.forEach((c, i) => {
      const got = weightGradient(c);
      const diff = reference[i]!.reduce((m, v, j) => Math.max(m, Math.abs(v - got[j]!)), 0);
      expect(diff).toBeLessThan(1e-4);
    });
    await tf.setBackend('cpu');
  });

  it('leaks no tensors', async () => {
    await tf.setBackend('wasm');
    const c: Case = { batch: 2, size: [7, 6], channels: [3, 4], kernel: 3, stride: 2, pad: 'same', seed: 1 };
    weightGradient(c);
    const before = tf.memory().numTensors;
    const bytes = tf.memory().numBytes;
    for (let i = 0; i < 5; i++) weightGradient(c);
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.memory().numBytes).toBe(bytes);
    await tf.setBackend('cpu');
  });
});

describe('FusedBatchNorm gradient without Tile', () => {
  it('matches tfjs’ own gradient for x, scale and offset through batch statistics', async () => {
    const { batchNormGradient } = await import('../../src/train/kernels/batchnorm-gradient');
    await tf.setBackend('cpu');
    const original = tf.getGradient('FusedBatchNorm')!;
    const grads = (shape: number[], seed: number) =>
      tf.tidy(() => {
        const x = tf.randomNormal(shape, 0.5, 2, 'float32', seed);
        const scale = tf.randomNormal([shape.at(-1)!], 1, 0.3, 'float32', seed + 1);
        const offset = tf.randomNormal([shape.at(-1)!], 0, 1, 'float32', seed + 2);
        const r = tf.randomNormal(shape, 0, 1, 'float32', seed + 3);
        const f = (a: tf.Tensor, s: tf.Tensor, o: tf.Tensor) => {
          const { mean, variance } = tf.moments(
            a,
            Array.from({ length: shape.length - 1 }, (_, i) => i),
          );
          return tf.sum(tf.mul(tf.batchNorm(a, mean, variance, o, s, 1e-3), r));
        };
        return tf
          .grads(f)([x, scale, offset])
          .map((g) => Array.from(g.dataSync()));
      });
    for (const [i, shape] of [
      [4, 5, 5, 3],
      [2, 7],
      [3, 4, 6, 8],
    ].entries()) {
      tf.registerGradient(original);
      const want = grads(shape, 10 + i);
      tf.registerGradient(batchNormGradient);
      const got = grads(shape, 10 + i);
      tf.registerGradient(original);
      want.forEach((w, j) => w.forEach((v, k) => expect(got[j]![k]).toBeCloseTo(v, 3)));
    }
  });
});

describe('Conv2DBackpropInput as a forward convolution', () => {
  it('matches tfjs’ own cpu kernel on random shapes, strides and paddings, on cpu and on wasm', async () => {
    const { backpropInputKernel } = await import('../../src/train/kernels/conv2d-backprop-input');
    await tf.setBackend('cpu');
    const samples = fc.sample(cases.filter(fits), { numRuns: 80, seed: 21 });
    const reference = samples.map(inputGradient);
    const stockInput = tf.getKernel('Conv2DBackpropInput', 'cpu')!;
    tf.registerKernel(backpropInputKernel('cpu'));
    const onCpu = samples.map(inputGradient);
    tf.registerKernel(stockInput);
    await tf.setBackend('wasm');
    tf.registerKernel(backpropInputKernel('wasm'));
    const onWasm = samples.map(inputGradient);
    for (const got of [onCpu, onWasm])
      got.forEach((g, i) => {
        const diff = reference[i]!.reduce((m, v, j) => Math.max(m, Math.abs(v - g[j]!)), 0);
        expect(diff, JSON.stringify(samples[i])).toBeLessThan(1e-4);
      });
    const before = tf.memory().numTensors;
    inputGradient(samples[0]!);
    expect(tf.memory().numTensors).toBe(before);
    await tf.setBackend('cpu');
  });
});
