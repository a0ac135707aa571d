/**
 * Padding layer numerics. Forward values are checked against NumPy's documented np.pad examples and
 * an index-mapping reference; gradients against central finite differences.
 */
import fc from 'fast-check';
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import type { CustomPadMode, Pads2D } from '../../nodes/padding-modes';
import { padsProblem } from '../../nodes/padding-modes';
import { compileGraph } from '../../src/compile/compile';
import { Padding2D, padImages } from '../../src/compile/padding-layer';
import { GraphBuilder } from '../../src/core/builder';
import { withCpuBackend } from './support/tf';

withCpuBackend();

const modes: readonly CustomPadMode[] = ['reflect', 'symmetric', 'circular', 'replicate'];

/** Where padded position i (may be negative or ≥ n) reads from, by each mode's definition. */
function source(i: number, n: number, mode: CustomPadMode): number {
  if (i >= 0 && i < n) return i;
  switch (mode) {
    case 'reflect':
      return i < 0 ? -i : 2 * (n - 1) - i;
    case 'symmetric':
      return i < 0 ? -i - 1 : 2 * n - 1 - i;
    case 'circular':
      return ((i % n) + n) % n;
    case 'replicate':
      return Math.min(Math.max(i, 0), n - 1);
  }
}

/** Reference padding of an NHWC array by explicit index mapping. */
function referencePad(x: number[][][][], pads: Pads2D, mode: CustomPadMode): number[][][][] {
  const [[top, bottom], [left, right]] = pads;
  return x.map((img) => {
    const h = img.length;
    const w = img[0]!.length;
    return Array.from({ length: h + top + bottom }, (_, r) =>
      Array.from({ length: w + left + right }, (_, c) => [
        ...img[source(r - top, h, mode)]![source(c - left, w, mode)]!,
      ]),
    );
  });
}

/** Pads a 1-D row through the layer (as a 1×n image) and returns the values. */
function padRow(row: number[], before: number, after: number, mode: CustomPadMode): number[] {
  const x = tfc.tensor4d(row, [1, 1, row.length, 1]);
  const y = padImages(
    x,
    [
      [0, 0],
      [before, after],
    ],
    mode,
  );
  const values = Array.from(y.dataSync());
  tfc.dispose([x, y]);
  return values;
}

describe('padding forward values', () => {
  it('match the examples in the NumPy np.pad documentation', () => {
    const a = [1, 2, 3, 4, 5];
    expect(padRow(a, 2, 3, 'reflect')).toEqual([3, 2, 1, 2, 3, 4, 5, 4, 3, 2]);
    expect(padRow(a, 2, 3, 'symmetric')).toEqual([2, 1, 1, 2, 3, 4, 5, 5, 4, 3]);
    expect(padRow(a, 2, 3, 'circular')).toEqual([4, 5, 1, 2, 3, 4, 5, 1, 2, 3]);
    expect(padRow(a, 2, 3, 'replicate')).toEqual([1, 1, 1, 2, 3, 4, 5, 5, 5, 5]);
  });

  it('equal the index-mapping reference on random images, pads and modes', () => {
    const cases = fc
      .record({
        n: fc.integer({ min: 1, max: 2 }),
        h: fc.integer({ min: 1, max: 6 }),
        w: fc.integer({ min: 1, max: 6 }),
        c: fc.integer({ min: 1, max: 3 }),
        pads: fc.tuple(fc.nat(6), fc.nat(6), fc.nat(6), fc.nat(6)),
        mode: fc.constantFrom(...modes),
      })
      .filter(
        ({ h, w, pads: [t, b, l, r], mode }) =>
          padsProblem(mode, h, w, [
            [t, b],
            [l, r],
          ]) === null,
      );
    fc.assert(
      fc.property(cases, ({ n, h, w, c, pads: [t, b, l, r], mode }) => {
        const data = Array.from({ length: n * h * w * c }, (_, i) => i * 0.5 - 3);
        const x = tfc.tensor4d(data, [n, h, w, c]);
        const pads: Pads2D = [
          [t, b],
          [l, r],
        ];
        const y = padImages(x, pads, mode);
        expect(y.arraySync()).toEqual(referencePad(x.arraySync(), pads, mode));
        tfc.dispose([x, y]);
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});

/** Central finite differences of f at x (f is evaluated by tfjs itself). */
function finiteDifferences(f: (x: tfc.Tensor4D) => tfc.Scalar, x: tfc.Tensor4D, eps = 1e-2): Float32Array {
  const base = x.dataSync();
  const out = new Float32Array(base.length);
  for (let i = 0; i < base.length; i++) {
    const at = (delta: number) =>
      tfc.tidy(() => {
        const moved = Float32Array.from(base);
        moved[i]! += delta;
        return f(tfc.tensor4d(moved, x.shape)).dataSync()[0]!;
      });
    out[i] = (at(eps) - at(-eps)) / (2 * eps);
  }
  return out;
}

describe('padding gradients', () => {
  it('count each source pixel as often as the padding copies it (reflect, 3×3 by 1)', () => {
    const x = tfc.ones([1, 3, 3, 1]) as tfc.Tensor4D;
    const g = tfc.grad((v: tfc.Tensor) =>
      tfc.sum(
        padImages(
          v as tfc.Tensor4D,
          [
            [1, 1],
            [1, 1],
          ],
          'reflect',
        ),
      ),
    )(x);
    expect(Array.from(g.dataSync())).toEqual([1, 3, 1, 3, 9, 3, 1, 3, 1]);
    tfc.dispose([x, g]);
  });

  it.each(modes)('match central finite differences (%s)', (mode) => {
    const pads: Pads2D = [
      [2, 1],
      [1, 2],
    ];
    const shape: [number, number, number, number] = [1, 4, 3, 2];
    const weights = tfc.randomNormal([1, 7, 6, 2], 0, 1, 'float32', 11);
    // A quadratic loss: its gradient depends on where every padded value came from.
    const loss = (v: tfc.Tensor4D) =>
      tfc.sum(tfc.mul(weights, tfc.square(padImages(v, pads, mode)))) as tfc.Scalar;
    const x = tfc.randomNormal(shape, 0, 1, 'float32', 5) as tfc.Tensor4D;
    const analytic = tfc
      .grad((v: tfc.Tensor) => loss(v as tfc.Tensor4D))(x)
      .dataSync();
    const numeric = finiteDifferences(loss, x);
    for (let i = 0; i < numeric.length; i++) expect(analytic[i]).toBeCloseTo(numeric[i]!, 2);
    tfc.dispose([weights, x]);
  });
});

describe('padding inside a convolution', () => {
  it.each(['same-reflect', 'same-symmetric', 'same-circular'] as const)(
    '%s equals a valid convolution over the reference-padded input, stride 2',
    (padding) => {
      const g = new GraphBuilder('t');
      const x = g.node('input', { height: 5, width: 6, channels: 2 });
      const c = g.node('conv', { filters: 3, kernel: 3, stride: 2, padding, activation: 'linear' }, x, {
        id: 'conv',
      });
      const f = g.node('flatten', {}, c);
      g.node('output', { classes: 2 }, f);
      const result = compileGraph(g.build());
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      const convOut = result.compiled.nodes.get('conv')!.output;
      const probe = tfl.model({ inputs: result.compiled.model.inputs, outputs: convOut });
      const input = tfc.randomUniform([1, 5, 6, 2], -1, 1, 'float32', 3) as tfc.Tensor4D;
      const got = (probe.predict(input) as tfc.Tensor).arraySync() as number[][][][];

      const conv = result.compiled.nodes.get('conv')!.layers.at(-1)!;
      const [kernel, bias] = conv.getWeights().map((w) => w.arraySync()) as [number[][][][], number[]];
      // TensorFlow 'same' on 5 rows, stride 2, kernel 3: 3 outputs, 2 rows of padding split 1/1;
      // on 6 columns: 3 outputs, 1 column split 0/1.
      const mode = padding.replace('same-', '') as CustomPadMode;
      const padded = referencePad(
        input.arraySync(),
        [
          [1, 1],
          [0, 1],
        ],
        mode,
      )[0]!;
      const want = Array.from({ length: 3 }, (_, i) =>
        Array.from({ length: 3 }, (_, j) =>
          Array.from({ length: 3 }, (_, o) => {
            let sum = bias[o]!;
            for (let di = 0; di < 3; di++)
              for (let dj = 0; dj < 3; dj++)
                for (let ci = 0; ci < 2; ci++)
                  sum += padded[2 * i + di]![2 * j + dj]![ci]! * kernel[di]![dj]![ci]![o]!;
            return sum;
          }),
        ),
      );
      const flatGot = got[0]!.flat(2);
      want.flat(2).forEach((v, i) => expect(flatGot[i]).toBeCloseTo(v, 5));
      tfc.dispose(input);
      result.compiled.model.dispose();
    },
  );
});

describe('padding layer serialization', () => {
  it.each(modes)('saves and reloads with identical predictions (%s)', async (mode) => {
    const input = tfl.input({ shape: [5, 4, 2] });
    const padded = new Padding2D({
      padding: [
        [2, 1],
        [0, 3],
      ],
      mode,
      name: 'pad',
    }).apply(input) as tfl.SymbolicTensor;
    const conv = tfl.layers.conv2d({ filters: 3, kernelSize: 3 }).apply(padded) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: conv });
    let saved: tfc.io.ModelArtifacts | undefined;
    await model.save(
      tfc.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    expect(JSON.stringify(saved!.modelTopology)).toContain('"class_name":"Padding2D"');
    const reloaded = await tfl.loadLayersModel(tfc.io.fromMemory(saved!));
    const x = tfc.randomNormal([2, 5, 4, 2], 0, 1, 'float32', 1);
    const a = model.predict(x) as tfc.Tensor;
    const b = reloaded.predict(x) as tfc.Tensor;
    expect(a.shape).toEqual([2, 8 - 2, 7 - 2, 3]); // padded to 8×7, then a valid 3×3 conv
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tfc.dispose([x, a, b]);
    model.dispose();
    reloaded.dispose();
  });
});

describe('padding limits', () => {
  it('refuses amounts a mode cannot produce, in words', () => {
    expect(
      padsProblem('reflect', 3, 8, [
        [3, 0],
        [0, 0],
      ]),
    ).toMatch(/reflect padding of 3 does not fit an input only 3 high/);
    expect(
      padsProblem('reflect', 3, 8, [
        [2, 2],
        [0, 0],
      ]),
    ).toBeNull();
    expect(
      padsProblem('symmetric', 3, 3, [
        [3, 3],
        [3, 3],
      ]),
    ).toBeNull();
    expect(
      padsProblem('circular', 3, 2, [
        [0, 0],
        [0, 3],
      ]),
    ).toMatch(/only 2 wide/);
    expect(
      padsProblem('replicate', 1, 1, [
        [9, 9],
        [9, 9],
      ]),
    ).toBeNull();
  });
});
