/**
 * Looking inside, checked against independent references: every node's activation against a tfjs
 * model cut at that node, the mean-activation map and Grad-CAM against arithmetic written out by hand
 * (no autodiff), the explained convolution against the model's value, and the matrix view against
 * tf.conv2d.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../src/compile/compile';
import type { CompiledGraph } from '../../src/compile/compile';
import { GraphBuilder } from '../../src/core/builder';
import type { GraphDocument } from '../../src/core/document';
import type { MatrixPadding } from '../../src/core/inspect/types';
import { loadGraph } from '../../src/core/load';
import { bordersOf } from '../../src/inspect/borders';
import { explainConv } from '../../src/inspect/conv-explain';
import { convMatrixLayout, multiply } from '../../src/inspect/conv-matrix';
import { glancesOf } from '../../src/inspect/activations';
import { activationsOf, liveNodes } from '../../src/inspect/forward';
import { heatmapsOf, lastSpatialNode } from '../../src/inspect/gradcam';
import { seededRandom } from '../../src/data/random';
import { useNodeBackend } from '../../src/train/node-backend';
import { findTemplate } from '../../templates';

beforeAll(async () => {
  await useNodeBackend('wasm');
});

function template(name: string): GraphDocument {
  const loaded = loadGraph(findTemplate(name)!.document);
  if (!loaded.ok) throw new Error(name);
  return loaded.doc;
}

function compiled(doc: GraphDocument): CompiledGraph {
  const result = compileGraph(doc, undefined, { seed: 3 });
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join(' '));
  return result.compiled;
}

/**
 * Every weight redrawn (batch-norm statistics too, variances positive), so no layer is an identity and
 * a mistake in any of them shows.
 */
function scramble(model: tfl.LayersModel, seed = 7): void {
  const random = seededRandom(seed);
  model.setWeights(
    model.weights.map((w) => {
      const n = w.shape.reduce<number>((a, b) => a * (b ?? 1), 1);
      const positive = w.name.includes('variance');
      const values = Float32Array.from({ length: n }, () =>
        positive ? 0.5 + random() : (random() - 0.5) * (w.name.includes('gamma') ? 1 : 0.6),
      );
      return tf.tensor(values, w.shape as number[]);
    }),
  );
}

function image(shape: readonly number[], seed = 11): tf.Tensor4D {
  const random = seededRandom(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor4d(Float32Array.from({ length: n }, random), [1, ...shape] as [
    number,
    number,
    number,
    number,
  ]);
}

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

describe('activations', () => {
  it('every node of ResNet-20 equals the output of a tfjs model cut at that node', () => {
    const c = compiled(template('resnet-20'));
    scramble(c.model);
    const ids = liveNodes(c);
    expect(ids.length).toBeGreaterThan(60);
    const x = image([32, 32, 3]);
    const ours = activationsOf(c, x);
    // One tfjs model cut at every node at once: its outputs are the nodes' symbolic outputs.
    const cut = tfl.model({ inputs: c.model.inputs, outputs: ids.map((id) => c.nodes.get(id)!.output) });
    const theirs = cut.predict(x) as tf.Tensor[];
    ids.forEach((id, i) => {
      expect(ours.get(id)!.shape, id).toEqual(theirs[i]!.shape);
      expect(maxAbs(ours.get(id)!.dataSync(), theirs[i]!.dataSync()), id).toBeLessThan(1e-5);
    });
    tf.dispose([...ours.values(), ...theirs, x]);
  });
});

describe('thumbnails', () => {
  it('show the channel that varies most, shrunk by area means, and the image itself for the Input', async () => {
    const g = new GraphBuilder('big');
    const x = g.node('input', { height: 70, width: 70, channels: 3 }, [], { id: 'x' });
    const c = g.node('conv', { filters: 5, activation: 'linear' }, x, { id: 'c' });
    g.node('output', { classes: 3 }, g.node('gap', {}, c, { id: 'pool' }), { id: 'out' });
    const model = compiled(g.build());
    scramble(model.model, 17);
    const acts = activationsOf(model, image([70, 70, 3], 6));
    const [input, conv] = await glancesOf(['x', 'c'], acts, 'x');
    // 70 px at most 32 a side: blocks of 3, the last pixel left out.
    const map = read3(acts.get('c')!);
    const variance = [0, 1, 2, 3, 4].map((k) => {
      const v = map.flat().map((px) => px[k]!);
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      return v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length;
    });
    const k = variance.indexOf(Math.max(...variance));
    const expected: number[] = [];
    for (let y = 0; y < 23; y++)
      for (let xx = 0; xx < 23; xx++) {
        let sum = 0;
        for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) sum += map[y * 3 + i]![xx * 3 + j]![k]!;
        expected.push(sum / 9);
      }
    expect(conv!.thumbnail).toMatchObject({ kind: 'map', channel: k, map: { height: 23, width: 23 } });
    const t = conv!.thumbnail as { map: { values: Float32Array } };
    expect(maxAbs(t.map.values, expected)).toBeLessThan(1e-5);
    expect(input!.thumbnail).toMatchObject({ kind: 'image', image: { height: 23, width: 23, channels: 3 } });
    const flat = map.flat().flat();
    expect(conv!.stats.min).toBeCloseTo(Math.min(...flat), 5);
    expect(conv!.stats.max).toBeCloseTo(Math.max(...flat), 5);
    tf.dispose([...acts.values()]);
  });
});

/** input 6×6×2 → conv A (3 filters, relu) → conv B (2 filters, relu) → GAP → Output (4 classes) */
function chain(): GraphDocument {
  const g = new GraphBuilder('chain');
  const x = g.node('input', { height: 6, width: 6, channels: 2 }, [], { id: 'x' });
  const a = g.node('conv', { filters: 3, activation: 'relu' }, x, { id: 'a' });
  const b = g.node('conv', { filters: 2, activation: 'relu' }, a, { id: 'b' });
  g.node('output', { classes: 4 }, g.node('gap', {}, b, { id: 'pool' }), { id: 'out' });
  return g.build();
}

/** input 6×6×3 → conv A (3, relu) → conv B (3, linear) → add(A, B) → relu → GAP → Output (4) */
function skip(): GraphDocument {
  const g = new GraphBuilder('skip');
  const x = g.node('input', { height: 6, width: 6, channels: 3 }, [], { id: 'x' });
  const a = g.node('conv', { filters: 3, activation: 'relu' }, x, { id: 'a' });
  const b = g.node('conv', { filters: 3, activation: 'linear' }, a, { id: 'b' });
  const s = g.node('add', {}, [a, b], { id: 'sum' });
  const r = g.node('activation', { fn: 'relu' }, s, { id: 'r' });
  g.node('output', { classes: 4 }, g.node('gap', {}, r, { id: 'pool' }), { id: 'out' });
  return g.build();
}

type Map3 = number[][][]; // [y][x][c]

const read3 = (t: tf.Tensor): Map3 => (t.arraySync() as number[][][][])[0]!;
const zeros3 = (h: number, w: number, c: number): Map3 =>
  Array.from({ length: h }, () => Array.from({ length: w }, () => new Array<number>(c).fill(0)));

/** A 3×3 'same' convolution with stride 1, by loops: out[y][x][m] = Σ in[y+i-1][x+j-1][c] · W[i][j][c][m] + b[m]. */
function convByHand(input: Map3, w: number[][][][], b: number[]): Map3 {
  const h = input.length;
  const wd = input[0]!.length;
  const cin = input[0]![0]!.length;
  const out = zeros3(h, wd, b.length);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < wd; x++)
      for (let m = 0; m < b.length; m++) {
        let s = b[m]!;
        for (let i = 0; i < 3; i++)
          for (let j = 0; j < 3; j++) {
            const yy = y + i - 1;
            const xx = x + j - 1;
            if (yy < 0 || yy >= h || xx < 0 || xx >= wd) continue;
            for (let c = 0; c < cin; c++) s += input[yy]![xx]![c]! * w[i]![j]![c]![m]!;
          }
        out[y]![x]![m] = s;
      }
  return out;
}

/** The gradient of Σ out·g with respect to the input of convByHand (its transpose): dIn[yy][xx][c]. */
function convBackByHand(g: Map3, w: number[][][][], cin: number): Map3 {
  const h = g.length;
  const wd = g[0]!.length;
  const out = zeros3(h, wd, cin);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < wd; x++)
      for (let m = 0; m < g[0]![0]!.length; m++)
        for (let i = 0; i < 3; i++)
          for (let j = 0; j < 3; j++) {
            const yy = y + i - 1;
            const xx = x + j - 1;
            if (yy < 0 || yy >= h || xx < 0 || xx >= wd) continue;
            for (let c = 0; c < cin; c++) out[yy]![xx]![c]! += g[y]![x]![m]! * w[i]![j]![c]![m]!;
          }
  return out;
}

/** Grad-CAM from A and dScore/dA, by its definition. */
function camByHand(a: Map3, grad: Map3): number[] {
  const h = a.length;
  const w = a[0]!.length;
  const k = a[0]![0]!.length;
  const alpha = new Array<number>(k).fill(0);
  for (const row of grad) for (const px of row) px.forEach((v, c) => (alpha[c]! += v / (h * w)));
  return a.flatMap((row) =>
    row.map((px) =>
      Math.max(
        0,
        px.reduce((s, v, c) => s + v * alpha[c]!, 0),
      ),
    ),
  );
}

const weightsOf = (c: CompiledGraph, id: string) =>
  c.nodes
    .get(id)!
    .layers.at(-1)!
    .getWeights()
    .map((t) => t.arraySync());

describe('heatmaps', () => {
  it('the mean-activation map is the mean over channels, computed directly', () => {
    const c = compiled(chain());
    const acts = activationsOf(c, image([6, 6, 2]));
    const maps = heatmapsOf(c, acts, 'b', 0);
    const b = read3(acts.get('b')!);
    const direct = b.flatMap((row) => row.map((px) => px.reduce((s, v) => s + v, 0) / px.length));
    expect(maxAbs(maps.mean.dataSync(), direct)).toBeLessThan(1e-6);
    tf.dispose([...acts.values(), maps.mean, maps.gradCam, maps.score]);
  });

  it('Grad-CAM of a conv → conv → pool → dense chain equals the gradient worked out by hand', () => {
    const c = compiled(chain());
    scramble(c.model, 5);
    const acts = activationsOf(c, image([6, 6, 2], 4));
    const a = read3(acts.get('a')!);
    const [wb, bb] = weightsOf(c, 'b') as [number[][][][], number[]];
    const [wd, bd] = weightsOf(c, 'out') as [number[][], number[]];
    for (const cls of [0, 3]) {
      // Forward from A by hand: B = relu(conv(A)), g = mean(B), score = g · Wd[:, cls] + bd[cls].
      const pre = convByHand(a, wb, bb);
      const hw = 36;
      const g = [0, 1].map((m) => pre.flat().reduce((s, px) => s + Math.max(0, px[m]!), 0) / hw);
      const score = g.reduce((s, v, m) => s + v * wd[m]![cls]!, bd[cls]!);
      // Backward by hand: dScore/dB = Wd[m][cls] / HW where B > 0, then through the convolution.
      const dPre = pre.map((row) => row.map((px) => px.map((v, m) => (v > 0 ? wd[m]![cls]! / hw : 0))));
      const dA = convBackByHand(dPre, wb, 3);
      const maps = heatmapsOf(c, acts, 'a', cls);
      expect(Math.abs(maps.score.dataSync()[0]! - score)).toBeLessThan(1e-5);
      expect(Math.max(...camByHand(a, dA))).toBeGreaterThan(0);
      expect(maxAbs(maps.gradCam.dataSync(), camByHand(a, dA))).toBeLessThan(1e-5);
      tf.dispose([maps.mean, maps.gradCam, maps.score]);
    }
    tf.dispose([...acts.values()]);
  });

  it('Grad-CAM before a skip link counts both paths (through the convolution and around it)', () => {
    const c = compiled(skip());
    scramble(c.model, 9);
    const acts = activationsOf(c, image([6, 6, 3], 8));
    const a = read3(acts.get('a')!);
    const [wb, bb] = weightsOf(c, 'b') as [number[][][][], number[]];
    const [wd] = weightsOf(c, 'out') as [number[][], number[]];
    const cls = 2;
    const pre = convByHand(a, wb, bb);
    // S = relu(A + B); dScore/dS = Wd / HW; through the relu; then A gets it directly and through B.
    const dSum = pre.map((row, y) =>
      row.map((px, x) => px.map((v, m) => (a[y]![x]![m]! + v > 0 ? wd[m]![cls]! / 36 : 0))),
    );
    const through = convBackByHand(dSum, wb, 3);
    const dA = dSum.map((row, y) => row.map((px, x) => px.map((v, m) => v + through[y]![x]![m]!)));
    const maps = heatmapsOf(c, acts, 'a', cls);
    expect(maxAbs(maps.gradCam.dataSync(), camByHand(a, dA))).toBeLessThan(1e-5);
    tf.dispose([...acts.values(), maps.mean, maps.gradCam, maps.score]);
  });

  it('by default looks at the last spatial node before global pooling', () => {
    const resnet = template('resnet-20');
    const pool = resnet.nodes.find((n) => n.kind === 'gap')!;
    const before = resnet.edges.find((e) => e.target === pool.id)!.source;
    expect(lastSpatialNode(compiled(resnet))).toBe(before);
    expect(lastSpatialNode(compiled(skip()))).toBe('r');
  });
});

describe('the arithmetic of one convolution', () => {
  it('adds up to the model’s value, through batch norm and activation, at corners and inside', async () => {
    const g = new GraphBuilder('explained');
    const x = g.node('input', { height: 9, width: 9, channels: 3 }, [], { id: 'x' });
    const plain = g.node('conv', { filters: 4, activation: 'tanh', bias: true }, x, { id: 'plain' });
    const reflect = g.node('stride2', { padding: 'same-reflect', bias: false, activation: 'linear' }, plain, {
      id: 'down',
    });
    const bn = g.node('batchnorm', {}, reflect, { id: 'bn' });
    const relu = g.node('activation', { fn: 'leaky_relu', alpha: 0.1 }, bn, { id: 'act' });
    const dil = g.node('conv', { filters: 2, dilation: 2, activation: 'gelu' }, relu, { id: 'dilated' });
    g.node('output', { classes: 3 }, g.node('gap', {}, dil, { id: 'pool' }), { id: 'out' });
    const c = compiled(g.build());
    scramble(c.model, 13);
    const acts = activationsOf(c, image([9, 9, 3], 2));
    const cases: [string, number, number, number][] = [
      ['plain', 0, 0, 0],
      ['plain', 3, 4, 5],
      ['plain', 1, 8, 8],
      ['down', 0, 0, 0],
      ['down', 7, 4, 4],
      ['down', 5, 2, 3],
      ['dilated', 1, 0, 4],
      ['dilated', 0, 2, 2],
    ];
    for (const [node, channel, y, xx] of cases) {
      const e = await explainConv(c, acts, node, channel, y, xx);
      const sum = e.terms.reduce((s, t) => s + t.patch.reduce((u, p, i) => u + p * t.kernel[i]!, 0), 0);
      expect(e.sum).toBeCloseTo(sum, 10);
      expect(Math.abs(e.computed - e.actual), `${node} ${channel} ${y} ${xx}`).toBeLessThan(1e-5);
      if (e.batchNorm) expect(Math.abs(e.batchNorm.computed - e.batchNorm.actual)).toBeLessThan(1e-5);
      if (e.after) expect(Math.abs(e.after.computed - e.after.actual)).toBeLessThan(1e-5);
    }
    const corner = await explainConv(c, acts, 'plain', 0, 0, 0);
    expect(corner.border).toEqual([true, true, true, true, false, false, true, false, false]);
    const down = await explainConv(c, acts, 'down', 0, 4, 4);
    // 9 → 5 with stride 2 pads one on each side; the last window reaches past the bottom-right.
    expect(down.border).toEqual([false, false, true, false, false, true, true, true, true]);
    expect(down.batchNorm?.nodeId).toBe('bn');
    expect(down.after?.fn).toBe('leaky_relu');
    expect((await explainConv(c, acts, 'dilated', 0, 0, 0)).terms[0]!.patch).toHaveLength(9);
    tf.dispose([...acts.values()]);
  });
});

describe('zeros or reflection at the border', () => {
  it('equal the model’s own output for its own border, and differ from each other only at the border', () => {
    const g = new GraphBuilder('borders');
    const x = g.node('input', { height: 9, width: 9, channels: 2 }, [], { id: 'x' });
    const zero = g.node('conv', { filters: 3, activation: 'relu' }, x, { id: 'zero' });
    const reflect = g.node('stride2', { padding: 'same-reflect', activation: 'tanh' }, zero, {
      id: 'reflect',
    });
    g.node('output', { classes: 3 }, g.node('gap', {}, reflect, { id: 'pool' }), { id: 'out' });
    const c = compiled(g.build());
    scramble(c.model, 21);
    const acts = activationsOf(c, image([9, 9, 2], 3));
    const channelOf = (id: string, k: number) =>
      tf.tidy(() => tf.slice(acts.get(id)!, [0, 0, 0, k], [-1, -1, -1, 1]).dataSync());
    const a = bordersOf(c, acts, 'zero', 1)!;
    expect(a.own).toBe('same');
    expect(maxAbs(a.zero.dataSync(), channelOf('zero', 1))).toBeLessThan(1e-6);
    const b = bordersOf(c, acts, 'reflect', 4)!;
    expect(b.own).toBe('same-reflect');
    expect(maxAbs(b.reflect.dataSync(), channelOf('reflect', 4))).toBeLessThan(1e-6);
    // 9×9 → 5×5 at stride 2 with one pixel of padding each side: rows and columns 1..3 never touch it.
    const [z, r] = [b.zero.arraySync(), b.reflect.arraySync()];
    let borderDiffers = false;
    for (let y = 0; y < 5; y++)
      for (let xx = 0; xx < 5; xx++) {
        const inside = y >= 1 && y <= 3 && xx >= 1 && xx <= 3;
        if (inside) expect(Math.abs(z[y]![xx]! - r[y]![xx]!)).toBeLessThan(1e-6);
        else if (Math.abs(z[y]![xx]! - r[y]![xx]!) > 1e-3) borderDiffers = true;
      }
    expect(borderDiffers).toBe(true);
    tf.dispose([...acts.values(), a.zero, a.reflect, b.zero, b.reflect]);
  });
});

describe('convolution as a matrix', () => {
  /** tf.conv2d with TensorFlow's own padding: 'same' zeros, tf.mirrorPad, or wrapped slices. */
  function tfConv(size: number, stride: number, padding: MatrixPadding, k: number[], x: number[]): number[] {
    return tf.tidy(() => {
      const input = tf.tensor4d(x, [1, size, size, 1]);
      const kernel = tf.tensor4d(k, [3, 3, 1, 1]);
      if (padding === 'valid' || padding === 'zero')
        return [...tf.conv2d(input, kernel, stride, padding === 'valid' ? 'valid' : 'same').dataSync()];
      const total = Math.max((Math.ceil(size / stride) - 1) * stride + 3 - size, 0);
      const p: [number, number] = [Math.floor(total / 2), total - Math.floor(total / 2)];
      let padded: tf.Tensor4D;
      if (padding === 'circular') {
        const wrap = (t: tf.Tensor4D, axis: 1 | 2): tf.Tensor4D => {
          const n = t.shape[axis];
          const parts: tf.Tensor4D[] = [];
          const begin = [0, 0, 0, 0];
          const sizeOf = (s: number, len: number) => {
            const b = [...begin];
            const sz = [-1, -1, -1, -1];
            b[axis] = s;
            sz[axis] = len;
            return tf.slice(t, b, sz);
          };
          if (p[0] > 0) parts.push(sizeOf(n - p[0], p[0]));
          parts.push(t);
          if (p[1] > 0) parts.push(sizeOf(0, p[1]));
          return tf.concat(parts, axis);
        };
        padded = wrap(wrap(input, 1), 2);
      } else
        padded = tf.mirrorPad(input, [[0, 0], p, p, [0, 0]], padding === 'reflect' ? 'reflect' : 'symmetric');
      return [...tf.conv2d(padded, kernel, stride, 'valid').dataSync()];
    });
  }

  const paddings: MatrixPadding[] = ['valid', 'zero', 'reflect', 'symmetric', 'circular'];
  for (const padding of paddings)
    for (const stride of [1, 2])
      for (const size of [4, 5])
        it(`${padding} padding, stride ${stride}, ${size}×${size}: M × x equals tf.conv2d`, () => {
          const random = seededRandom(size * 10 + stride);
          const kernel = Array.from({ length: 9 }, () => random() - 0.5);
          const x = Array.from({ length: size * size }, random);
          const layout = convMatrixLayout(size, stride, padding);
          const reference = tfConv(size, stride, padding, kernel, x);
          expect(layout.outSize ** 2).toBe(reference.length);
          expect(maxAbs(multiply(layout, kernel, x), reference)).toBeLessThan(1e-5);
          // Tied weights: every row uses each tap at most once per input pixel and at least once overall.
          const rows = new Map<number, number[]>();
          for (const cell of layout.cells) rows.set(cell.row, [...(rows.get(cell.row) ?? []), ...cell.taps]);
          for (const taps of rows.values()) {
            if (padding === 'valid' || padding === 'zero') expect(new Set(taps).size).toBe(taps.length);
            else expect(taps.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
          }
        });

  it('reflection folds border taps onto pixels already in the window; zeros leave them out', () => {
    const reflect = convMatrixLayout(4, 1, 'reflect');
    const zero = convMatrixLayout(4, 1, 'zero');
    // Output pixel 0 (top-left): 9 taps on 4 distinct pixels with reflection, 4 taps on 4 with zeros.
    expect(reflect.cells.filter((c) => c.row === 0)).toHaveLength(4);
    expect(reflect.cells.find((c) => c.row === 0 && c.col === 0)!.taps).toEqual([4]);
    expect(reflect.cells.find((c) => c.row === 0 && c.col === 5)!.taps).toEqual([0, 2, 6, 8]);
    expect(zero.cells.filter((c) => c.row === 0).flatMap((c) => c.taps)).toEqual([4, 5, 7, 8]);
    // Inside, both are the same row of tied weights.
    const inner = (l: typeof zero) => l.cells.filter((c) => c.row === 5).map((c) => [c.col, c.taps]);
    expect(inner(reflect)).toEqual(inner(zero));
  });
});
