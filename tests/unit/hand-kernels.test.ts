/**
 * Hand-set kernels: kept in the document and checked on load, fitted to the node's kernel size and
 * filters, set by the compiler and by the generated module alike, and left exactly as they are by
 * training when the node is frozen.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { KERNEL_PRESETS, presetGrid, presetOf } from '../../nodes/hand-kernels';
import { generateModule } from '../../src/codegen';
import { compileGraph } from '../../src/compile/compile';
import { analyzeGraph } from '../../src/core/analyze';
import { GraphBuilder } from '../../src/core/builder';
import type { GraphDocument } from '../../src/core/document';
import { setKernels } from '../../src/core/edit';
import { loadGraph, serializeGraph } from '../../src/core/load';
import { modelKey, sameStructure, structureKey } from '../../src/core/structure';
import { defaultTrainConfig } from '../../src/core/training/settings';
import { ModelSession } from '../../src/session/model-session';
import { useNodeBackend } from '../../src/train/node-backend';
import { importModule, typeCheck } from './support/generated';
import { python, torchMissing, workDir, writeExport } from './support/pytorch';

beforeAll(async () => {
  await useNodeBackend('wasm');
});

const preset = (id: string) => KERNEL_PRESETS.find((p) => p.id === id)!;
const TOP = preset('top-edge').grid;
const IDENTITY = preset('identity').grid;

/** input 8×8×3 → conv (4 filters, 3×3, relu off) → GAP → Output */
function graph(kernels?: number[][], conv: Record<string, number | string | boolean> = {}): GraphDocument {
  const g = new GraphBuilder('hand');
  const x = g.node('input', { height: 8, width: 8, channels: 3 }, [], { id: 'image' });
  const c = g.node('conv', { filters: 4, activation: 'linear', ...conv }, x, { id: 'edges' });
  g.node('output', { classes: 10 }, g.node('gap', {}, c, { id: 'pool' }), { id: 'out' });
  const doc = g.build();
  return kernels === undefined ? doc : setKernels(doc, 'edges', kernels);
}

describe('in the document', () => {
  it('saves and loads, and an old format-1 file without them still opens', () => {
    const doc = graph([[...TOP], [...IDENTITY]]);
    const loaded = loadGraph(serializeGraph(doc));
    expect(loaded.ok && loaded.doc.nodes.find((n) => n.id === 'edges')!.kernels).toEqual([TOP, IDENTITY]);
    const old = loadGraph({ ...JSON.parse(serializeGraph(graph())), schemaVersion: 1 });
    expect(old.ok && old.upgrades).toEqual([
      'format 1 → 2: graphs may hold groups and a flow direction',
      'format 2 → 3: convolutions may carry hand-set kernels',
    ]);
  });

  it('are refused, with the place, on a node without kernels or when malformed', () => {
    const raw = JSON.parse(serializeGraph(graph()));
    const errorsFor = (i: number, kernels: unknown) => {
      const doc = structuredClone(raw);
      doc.nodes[i].kernels = kernels;
      const r = loadGraph(doc);
      return r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`);
    };
    expect(errorsFor(2, [[...TOP]])).toEqual([
      'nodes[2].kernels: Global average pool has no kernels to set: only convolutions take hand-set kernels',
    ]);
    expect(errorsFor(1, [[1, 2, 3]])[0]).toMatch(/^nodes\[1\]\.kernels\[0\]: must be a square kernel/);
    expect(errorsFor(1, [new Array(226).fill(0)])[0]).toMatch(/at most 15×15/);
    expect(errorsFor(1, [['x']])[0]).toMatch(/must be a number/);
    expect(errorsFor(1, new Array(257).fill([1]))[0]).toMatch(/at most 256 kernels/);
    expect(errorsFor(1, [])[0]).toMatch(/at least one kernel/);
  });

  it('that do not fit the kernel size or the filters make the node an error that says how to fix it', () => {
    const big = analyzeGraph(graph([[...TOP]], { kernel: 5 })).nodes.get('edges');
    expect(big).toEqual({
      status: 'error',
      message: expect.stringMatching(
        /hand-set kernels are 3×3 but the kernel size is 5×5: set the kernel size to 3/,
      ),
    });
    const many = analyzeGraph(graph([[...TOP], [...TOP], [...TOP]], { filters: 2 })).nodes.get('edges');
    expect(many).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/3 hand-set kernels but only 2/),
    });
    expect(analyzeGraph(graph([[...TOP]])).valid).toBe(true);
  });

  it('change what trained weights belong to; graphs without them keep their old key', () => {
    const plain = graph();
    expect(structureKey(plain)).toBe(
      JSON.stringify([
        plain.nodes.map((n) => [n.id, n.kind, n.params]),
        plain.edges.map((e) => [e.source, e.target, e.targetHandle]),
      ]),
    );
    const hand = setKernels(plain, 'edges', [[...TOP]]);
    expect(sameStructure(plain, hand)).toBe(false);
    expect(modelKey(hand)).not.toBe(modelKey(plain));
    expect(setKernels(hand, 'edges', [])).toEqual(plain);
    expect(setKernels(plain, 'pool', [[...TOP]])).toBe(plain);
  });

  it('presets fit odd kernels of 3 and more, centred, and are recognised', () => {
    expect(presetGrid(preset('identity'), 5)).toEqual([
      ...new Array(12).fill(0),
      1,
      ...new Array(12).fill(0),
    ]);
    expect(presetGrid(preset('blur'), 4)).toBeUndefined();
    expect(presetGrid(preset('blur'), 1)).toBeUndefined();
    for (const p of KERNEL_PRESETS) expect(presetOf(presetGrid(p, 7)!)).toBe(p);
    expect(presetOf([0, 0, 0, 0, 2, 0, 0, 0, 0])).toBeUndefined();
  });
});

/** A bright 4×4 square on black, in all three channels. */
function square(): Float32Array {
  const x = new Float32Array(8 * 8 * 3);
  for (let y = 2; y < 6; y++) for (let i = 2; i < 6; i++) x.fill(1, (y * 8 + i) * 3, (y * 8 + i) * 3 + 3);
  return x;
}

/** Cross-correlation of one 8×8 map with a 3×3 grid, zero padding, by loops. */
function correlate(map: (y: number, x: number) => number, grid: readonly number[]): number[] {
  const out: number[] = [];
  for (let y = 0; y < 8; y++)
    for (let x = 0; x < 8; x++) {
      let s = 0;
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < 3; j++) {
          const yy = y + i - 1;
          const xx = x + j - 1;
          if (yy >= 0 && yy < 8 && xx >= 0 && xx < 8) s += map(yy, xx) * grid[i * 3 + j]!;
        }
      out.push(s);
    }
  return out;
}

describe('in the model', () => {
  it('the compiler sets them: each acts on the mean of the input channels, with zero bias; others are kept', () => {
    const hand = compileGraph(graph([[...TOP], [...IDENTITY]], { bias: true }), undefined, { seed: 1 });
    const plain = compileGraph(graph(undefined, { bias: true }), undefined, { seed: 1 });
    if (!hand.ok || !plain.ok) throw new Error('compile');
    const image = tf.tensor4d(square(), [1, 8, 8, 3]);
    // Different channel values, so the mean matters: R = square, G = 0, B = square / 2.
    const rgb = tf.mul(image, tf.tensor1d([1, 0, 0.5]));
    const mean = (y: number, x: number) => (y >= 2 && y < 6 && x >= 2 && x < 6 ? 0.5 : 0);
    const conv = hand.compiled.nodes.get('edges')!;
    const cut = tf.tidy(() => conv.layers[0]!.apply(rgb) as tf.Tensor4D);
    const channel = (c: number) =>
      Array.from(tf.tidy(() => tf.slice(cut, [0, 0, 0, c], [1, 8, 8, 1])).dataSync());
    const top = channel(0);
    correlate(mean, TOP).forEach((v, i) => expect(top[i]).toBeCloseTo(v, 6));
    correlate(mean, IDENTITY).forEach((v, i) => expect(channel(1)[i]).toBeCloseTo(v, 6));
    const [k1, b1] = conv.layers[0]!.getWeights().map((t) => t.arraySync() as number[][][][]);
    const [k0] = plain.compiled.nodes
      .get('edges')!
      .layers[0]!.getWeights()
      .map((t) => t.arraySync() as number[][][][]);
    expect((b1 as unknown as number[]).slice(0, 2)).toEqual([0, 0]);
    expect(k1![1]![2]![0]!.slice(2)).toEqual(k0![1]![2]![0]!.slice(2));
    // Light above dark: the square's bottom edge is positive, its top edge negative, its sides zero.
    expect(top[5 * 8 + 3]).toBeGreaterThan(1);
    expect(top[2 * 8 + 3]).toBeLessThan(-1);
    expect(top[3 * 8 + 2]).toBeCloseTo(0, 6);
    tf.dispose([image, rgb, cut]);
    hand.compiled.model.dispose();
    plain.compiled.model.dispose();
  });

  it('the generated module sets the same weights, and its lines map back to the node', async () => {
    const doc = graph([[...TOP], preset('blur').grid.slice(), [...IDENTITY]], { bias: true });
    const generated = generateModule(doc);
    if (!generated.ok) throw new Error('codegen');
    expect(typeCheck(new Map([['hand', generated.code]]))).toEqual([]);
    const line = generated.code
      .split('\n')
      .findIndex((l) => l.includes("setKernels(model.getLayer('edges')"));
    expect(line).toBeGreaterThan(0);
    expect(generated.lineNodes[line]).toBe('edges');
    const mod = await importModule<{ createModel(): { getLayer(n: string): { getWeights(): tf.Tensor[] } } }>(
      generated.code,
    );
    const theirs = mod.createModel().getLayer('edges').getWeights();
    const ours = compileGraph(doc, undefined, { seed: 1 });
    if (!ours.ok) throw new Error('compile');
    const [k, b] = ours.compiled.nodes.get('edges')!.layers[0]!.getWeights();
    const slice = (t: tf.Tensor) => Array.from(tf.slice(t, [0, 0, 0, 0], [3, 3, 3, 3]).dataSync());
    expect(slice(theirs[0]!)).toEqual(slice(k!));
    expect(Array.from(theirs[1]!.dataSync()).slice(0, 3)).toEqual(Array.from(b!.dataSync()).slice(0, 3));
    // Without hand-set kernels the module is what it always was.
    expect(generateModule(graph()).ok && (generateModule(graph()) as { code: string }).code).not.toMatch(
      /setKernels/,
    );
  });

  it('a frozen node keeps them bit for bit through an epoch of training, while a trainable one moves', async () => {
    const frozen = graph([[...TOP], [...IDENTITY]], { trainable: false, bias: true });
    const g = new GraphBuilder('two');
    const x = g.node('input', { height: 8, width: 8, channels: 3 }, [], { id: 'image' });
    const a = g.node('conv', { filters: 4, trainable: false }, x, { id: 'edges' });
    const b = g.node('conv', { filters: 4 }, a, { id: 'learned' });
    g.node('output', { classes: 10 }, g.node('gap', {}, b, { id: 'pool' }), { id: 'out' });
    for (const doc of [frozen, setKernels(g.build(), 'edges', [[...TOP]])]) {
      const session = new ModelSession({ post: () => undefined });
      const config = { ...defaultTrainConfig, epochs: 1, batchSize: 16 };
      const request = {
        graph: doc,
        dataset: { kind: 'shapes', seed: 1, trainCount: 64, validationCount: 16 } as const,
      };
      // Open first to read the starting weights, then train that same model one epoch.
      expect(session.open(request, config)).toBe(true);
      const weightsOf = (id: string) =>
        session
          .model!.compiled.nodes.get(id)!
          .layers.at(-1)!
          .getWeights()
          .map((t) => Array.from(t.dataSync()));
      const before = weightsOf('edges');
      const out = weightsOf('out');
      expect((await session.continue(config))?.status).toBe('done');
      expect(weightsOf('edges')).toEqual(before);
      expect(weightsOf('out')).not.toEqual(out);
      session.dispose();
    }
  });
});

describe.skipIf(torchMissing() !== null)('in the PyTorch export', () => {
  it('a fresh model.py Model() has them, with zero bias, and a frozen node does not train', () => {
    const root = workDir();
    try {
      const doc = graph([[...TOP], preset('blur').grid.slice()], { bias: true, trainable: false });
      const dir = writeExport(root, 'hand', doc);
      const script = [
        'import json, sys',
        `sys.path.insert(0, ${JSON.stringify(dir)})`,
        'import model',
        'm = model.Model()',
        'w = m.edges.weight.detach()',
        'print(json.dumps({"w": w[:2].tolist(), "b": m.edges.bias.detach()[:2].tolist(),',
        '  "grad": m.edges.weight.requires_grad, "other": w[2].abs().sum().item()}))',
      ].join('\n');
      const run = spawnSync(python, ['-c', script], { encoding: 'utf8' });
      expect(run.stderr).toBe('');
      const out = JSON.parse(run.stdout) as { w: number[][][][]; b: number[]; grad: boolean; other: number };
      // [out, in, height, width]: each of the 3 input channels holds the grid divided by 3.
      for (const [f, grid] of [TOP, preset('blur').grid].entries())
        for (let c = 0; c < 3; c++)
          expect(out.w[f]![c]!.flat()).toEqual(grid.map((v) => expect.closeTo(v / 3, 6)));
      expect(out.b).toEqual([0, 0]);
      expect(out.grad).toBe(false);
      expect(out.other).toBeGreaterThan(0);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
