/**
 * The added kernels against tfjs' own (the cpu backend's reference loops, or tfjs' autodiff of its
 * own ops), on random shapes, strides and paddings, on each backend they are registered for; and
 * they leak no tensors.
 */
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BATCH_NORM_TRAINING } from '../../src/compile/batch-norm-layer';
import {
  BATCH_NORM_TRAINING_GRAD,
  batchNormTrainingGradient,
  batchNormTrainingGradKernel,
  batchNormTrainingKernel,
} from '../../src/train/kernels/batchnorm-training';
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

  it('makes training work on wasm, equal to the cpu reference (also through its SIMD loop)', async () => {
    await tf.setBackend('cpu');
    // Channel counts the SIMD loop takes (in % 4, out % 8), and others.
    const simdCases = cases.chain((c) =>
      fc
        .tuple(fc.constantFrom(1, 3, 4, 8, 9), fc.constantFrom(8, 16))
        .map((channels) => ({ ...c, channels, kernel: c.kernel + (c.seed % 3) })),
    );
    const samples = [
      ...fc.sample(cases.filter(fits), { numRuns: 25, seed: 8 }),
      ...fc.sample(simdCases.filter(fits), { numRuns: 40, seed: 9 }),
    ];
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
    const samples = [
      ...fc.sample(cases.filter(fits), { numRuns: 80, seed: 21 }),
      // Strided, with channel counts past multiples of 4 (wasm's matrix product and col2im).
      ...fc.sample(
        cases
          .map((c) => ({
            ...c,
            stride: 2 + (c.seed % 2),
            channels: [c.channels[0] + 4, c.channels[1] + 3] as [number, number],
          }))
          .filter(fits),
        { numRuns: 30, seed: 22 },
      ),
    ];
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

describe('Batch norm in training as one kernel each way', () => {
  const shapes = fc.oneof(
    fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 7 })),
    fc.tuple(
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: 6 }),
      fc.integer({ min: 1, max: 6 }),
      fc.integer({ min: 1, max: 9 }),
    ),
  );
  const samples = [
    ...fc.sample(fc.record({ shape: shapes, seed: fc.integer({ min: 1, max: 1000 }) }), {
      numRuns: 30,
      seed: 5,
    }),
    // Channel counts the SIMD loops on wasm take (multiples of 4), with rows past their 64-row blocks.
    { shape: [3, 7, 5, 8], seed: 7 },
    { shape: [2, 9, 9, 16], seed: 8 },
    { shape: [130, 12], seed: 9 },
  ];

  /**
   * y, mean, variance and the gradients of Σ y·r (+ Σ mean·s + Σ variance·t `withStatistics`) for x,
   * scale and offset, through `norm`: either tfjs' own ops (moments + batchNorm) or the added kernel.
   */
  function results(
    shape: number[],
    seed: number,
    norm: 'tfjs' | 'kernel',
    withStatistics: boolean,
  ): number[][] {
    return tf.tidy(() => {
      const channels = shape.at(-1)!;
      const x = tf.randomNormal(shape, 0.5, 2, 'float32', seed);
      const scale = tf.randomNormal([channels], 1, 0.3, 'float32', seed + 1);
      const offset = tf.randomNormal([channels], 0, 1, 'float32', seed + 2);
      const r = tf.randomNormal(shape, 0, 1, 'float32', seed + 3);
      const s = tf.randomNormal([channels], 0, 1, 'float32', seed + 4);
      const t = tf.randomNormal([channels], 0, 1, 'float32', seed + 5);
      const forward = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor[] => {
        if (norm === 'kernel')
          return tf
            .engine()
            .runKernel(BATCH_NORM_TRAINING, { x: a, scale: g, offset: b }, { epsilon: 1e-3 }) as tf.Tensor[];
        const { mean, variance } = tf.moments(
          a,
          Array.from({ length: shape.length - 1 }, (_, i) => i),
        );
        return [tf.batchNorm(a, mean, variance, b, g, 1e-3), mean, variance];
      };
      const loss = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
        const [y, mean, variance] = forward(a, g, b) as [tf.Tensor, tf.Tensor, tf.Tensor];
        const main = tf.sum(tf.mul(y, r));
        return withStatistics ? tf.addN([main, tf.sum(tf.mul(mean, s)), tf.sum(tf.mul(variance, t))]) : main;
      };
      const outs = forward(x, scale, offset).map((o) => Array.from(o.dataSync()));
      const grads = tf
        .grads(loss)([x, scale, offset])
        .map((g) => Array.from(g.dataSync()));
      return [...outs, ...grads];
    });
  }

  async function compareOn(backend: 'cpu' | 'wasm'): Promise<void> {
    await tf.setBackend(backend);
    tf.registerKernel(batchNormTrainingKernel(backend));
    tf.registerKernel(batchNormTrainingGradKernel(backend));
    tf.registerGradient(batchNormTrainingGradient);
    for (const { shape, seed } of samples)
      for (const withStatistics of [false, true]) {
        const want = results(shape, seed, 'tfjs', withStatistics);
        const got = results(shape, seed, 'kernel', withStatistics);
        want.forEach((w, j) =>
          w.forEach((v, k) =>
            expect(Math.abs(got[j]![k]! - v), `${backend} ${JSON.stringify(shape)} output ${j}`).toBeLessThan(
              2e-3 * Math.max(1, Math.abs(v)),
            ),
          ),
        );
      }
    const before = tf.memory().numTensors;
    results(samples[0]!.shape, 1, 'kernel', true);
    expect(tf.memory().numTensors).toBe(before);
    tf.unregisterKernel(BATCH_NORM_TRAINING, backend);
    tf.unregisterKernel(BATCH_NORM_TRAINING_GRAD, backend);
    await tf.setBackend('cpu');
  }

  it('matches tfjs’ moments + batchNorm and their gradients on random shapes, on cpu', () =>
    compareOn('cpu'));
  it('matches tfjs’ moments + batchNorm and their gradients on random shapes, on wasm', () =>
    compareOn('wasm'));
});

describe('Identity and same-dtype Cast on wasm share memory', () => {
  it('clones without copying, stay readable after the original goes, and casts still convert', async () => {
    const { sharedIdentityKernels } = await import('../../src/train/kernels/shared-identity');
    await tf.setBackend('wasm');
    const stock = ['Identity', 'Cast'].map((k) => tf.getKernel(k, 'wasm')!);
    for (const k of sharedIdentityKernels('wasm')) tf.registerKernel(k);
    const x = tf.tensor2d([1.5, -2.25, 3, 4.75], [2, 2]);
    const buffers = tf.backend().numDataIds();
    const copies = [tf.clone(x), tf.cast(x, 'float32')];
    expect(tf.backend().numDataIds()).toBe(buffers);
    x.dispose();
    for (const c of copies) expect(Array.from(c.dataSync())).toEqual([1.5, -2.25, 3, 4.75]);
    const ints = tf.cast(copies[0]!, 'int32');
    expect(ints.dtype).toBe('int32');
    expect(Array.from(ints.dataSync())).toEqual([1, -2, 3, 4]);
    tf.dispose([...copies, ints]);
    for (const k of stock) tf.registerKernel(k);
    await tf.setBackend('cpu');
  });
});

describe('The SIMD kernels module', () => {
  it('is what build.ts makes from its AssemblyScript source (run `npm run kernels` after editing it)', async () => {
    const { readFileSync } = await import('node:fs');
    const { generatedBinaryModule } = await import('../../src/train/kernels/simd/build');
    const committed = readFileSync(
      new URL('../../src/train/kernels/simd/binary.ts', import.meta.url),
      'utf8',
    );
    expect(await generatedBinaryModule()).toBe(committed);
  });
});

describe('ReLU gradient in one kernel', () => {
  it('equals tfjs’ own (dy · step(x)) on cpu and wasm, zeros, negatives and NaN included', async () => {
    const { RELU_GRAD, reluGradKernel } = await import('../../src/train/kernels/relu-gradient');
    for (const backend of ['cpu', 'wasm'] as const) {
      await tf.setBackend(backend);
      for (const shape of [[7], [3, 5, 4], [2, 9, 9, 8]]) {
        const x = tf.tidy(() => {
          const r = tf.randomNormal(shape, 0, 1, 'float32', shape.length);
          // Exact zeros and a NaN among the values.
          const zeroed = tf.where(tf.less(tf.abs(r), 0.3), tf.zerosLike(r), r);
          const flat = zeroed.dataSync().slice();
          flat[1] = NaN;
          return tf.tensor(flat, shape);
        });
        const dy = tf.randomNormal(shape, 0, 1, 'float32', 9);
        const want = tf.tidy(() => tf.mul(dy, tf.cast(tf.step(x), 'float32')));
        tf.registerKernel(reluGradKernel(backend));
        const got = tf.engine().runKernel(RELU_GRAD, { dy, x }) as tf.Tensor;
        tf.unregisterKernel(RELU_GRAD, backend);
        expect(Array.from(got.dataSync())).toEqual(Array.from(want.dataSync()));
        tf.dispose([x, dy, want, got]);
      }
    }
    await tf.setBackend('cpu');
  });
});

describe('Batch norm with given statistics on wasm in one pass', () => {
  it('equals (x − mean)/√(variance + ε)·scale + offset in float64, on every shape it takes or hands back', async () => {
    const { batchNormInferenceKernel } = await import('../../src/train/kernels/batchnorm-inference');
    await tf.setBackend('wasm');
    const stock = tf.getKernel('FusedBatchNorm', 'wasm')!;
    tf.registerKernel(batchNormInferenceKernel('wasm'));
    try {
      fc.assert(
        fc.property(
          fc.record({
            shape: fc.oneof(
              fc.tuple(
                fc.integer({ min: 1, max: 3 }),
                fc.integer({ min: 1, max: 6 }),
                fc.integer({ min: 1, max: 6 }),
                fc.integer({ min: 1, max: 20 }),
              ),
              fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 20 })),
            ),
            withScale: fc.boolean(),
            withOffset: fc.boolean(),
            epsilon: fc.constantFrom(1e-3, 1e-5),
            seed: fc.integer({ min: 1, max: 1000 }),
          }),
          ({ shape, withScale, withOffset, epsilon, seed }) => {
            const c = shape.at(-1)!;
            const random = (s: number, lo: number, hi: number) =>
              Float32Array.from(tf.randomUniform([c], lo, hi, 'float32', s).dataSync());
            const x = tf.randomNormal(shape, 1, 3, 'float32', seed);
            const [mean, variance, scale, offset] = [
              random(seed + 1, -2, 2),
              random(seed + 2, 0, 4),
              random(seed + 3, -2, 2),
              random(seed + 4, -1, 1),
            ];
            const y = tf.batchNorm(
              x,
              tf.tensor1d(mean),
              tf.tensor1d(variance),
              withOffset ? tf.tensor1d(offset) : undefined,
              withScale ? tf.tensor1d(scale) : undefined,
              epsilon,
            );
            const xs = x.dataSync();
            const got = y.dataSync();
            for (let i = 0; i < xs.length; i++) {
              const k = i % c;
              const want =
                ((xs[i]! - mean[k]!) / Math.sqrt(variance[k]! + epsilon)) * (withScale ? scale[k]! : 1) +
                (withOffset ? offset[k]! : 0);
              expect(Math.abs(got[i]! - want)).toBeLessThan(1e-4 * (1 + Math.abs(want)));
            }
          },
        ),
        { numRuns: 60 },
      );
      // Statistics given per element, not per channel, are the stock kernel's: still right.
      const x = tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [2, 4]);
      const perElement = (v: number[]) => tf.tensor2d(v, [2, 4]);
      const y = tf.batchNorm(
        x,
        perElement([1, 1, 1, 1, 2, 2, 2, 2]),
        perElement(Array(8).fill(4)),
        undefined,
        undefined,
        0,
      );
      expect(Array.from(y.dataSync())).toEqual([0, 0.5, 1, 1.5, 1.5, 2, 2.5, 3]);
    } finally {
      tf.registerKernel(stock);
      await tf.setBackend('cpu');
    }
  });
});
