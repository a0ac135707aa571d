/**
 * Looking inside through the model session, as the worker and the CLI drive it: a look before training
 * shows random weights, saved weights still come back, replies carry only what is asked for, and
 * live thumbnails during training stay within their share of its time.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../src/core/builder';
import type { GraphDocument } from '../../src/core/document';
import { boxShare, massInside, upsample } from '../../src/core/inspect/heatmap-math';
import type { InspectQuery, InspectReply, Overview, SampleChoice } from '../../src/core/inspect/types';
import { THUMBNAIL_SIDE } from '../../src/core/inspect/types';
import type { DatasetRequest } from '../../src/core/training/data';
import { defaultTrainConfig } from '../../src/core/training/settings';
import type { TrainConfig } from '../../src/core/training/settings';
import { shrink } from '../../src/inspect/fit-sample';
import { LIVE_INTERVAL } from '../../src/session/inspection';
import { ModelSession } from '../../src/session/model-session';
import { memoryWeights } from '../../src/session/weight-store';
import { useNodeBackend } from '../../src/train/node-backend';
import type { FromWorker } from '../../src/worker/protocol';

beforeAll(async () => {
  await useNodeBackend('wasm');
});

function small(classes = 10): GraphDocument {
  const g = new GraphBuilder('small');
  const x = g.node('input', { height: 16, width: 16 }, [], { id: 'image' });
  const c = g.node('conv', { filters: 6 }, x, { id: 'conv' });
  const d = g.node('stride2', { padding: 'same-reflect' }, c, { id: 'down' });
  const f = g.node('flatten', {}, d, { id: 'flat' });
  g.node('output', { classes }, g.node('dense', { units: 100 }, f, { id: 'dense' }), { id: 'out' });
  return g.build();
}

const dataset: DatasetRequest = { kind: 'shapes', seed: 1, trainCount: 60, validationCount: 30 };
const config: TrainConfig = { ...defaultTrainConfig, epochs: 1, batchSize: 10 };
const square: SampleChoice = { source: 'dataset', split: 'validation', classIndex: 2, nth: 1 };

function recorded(weights = memoryWeights()) {
  const posts: FromWorker[] = [];
  const session = new ModelSession({ post: (m) => posts.push(m), weights });
  const replies = () => posts.flatMap((p) => (p.type === 'inspected' ? [p.reply] : []));
  const ask = async <K extends InspectReply['kind']>(query: InspectQuery, kind: K) => {
    await session.inspect(query);
    const last = replies().at(-1);
    expect(last?.kind, JSON.stringify(last)).toBe(kind);
    return last as Extract<InspectReply, { kind: K }>;
  };
  return { session, posts, replies, ask };
}

const look = (graph: GraphDocument, sample: SampleChoice = square): InspectQuery => ({
  kind: 'look',
  graph,
  dataset,
  config,
  sample,
});

describe('looking before training', () => {
  it('holds the graph with random weights and sends every node at a glance and the image with its box', async () => {
    const { session, posts, ask } = recorded();
    const o = await ask(look(small()), 'overview');
    expect(o.weights).toBe('random');
    expect(o.nodes.map((n) => n.nodeId)).toEqual(['image', 'conv', 'down', 'flat', 'dense', 'out']);
    expect(o.nodes.find((n) => n.nodeId === 'down')).toMatchObject({
      shape: [8, 8, 12],
      thumbnail: { kind: 'map', map: { height: 8, width: 8 } },
    });
    expect(o.nodes.find((n) => n.nodeId === 'flat')!.thumbnail).toMatchObject({ kind: 'vector' });
    expect(
      (o.nodes.find((n) => n.nodeId === 'flat')!.thumbnail as { values: Float32Array }).values,
    ).toHaveLength(64);
    expect(o.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(o.classes[2]).toBe('square');
    expect(o.sample).toMatchObject({ label: 2, ofClass: 3, choice: square });
    expect(o.sample!.box![2]).toBeGreaterThan(o.sample!.box![0]);
    expect(o.sample!.strip.map((s) => s.nth)).toEqual([0, 1, 2]);
    // Nothing else was said: no 'failed', no training state.
    expect(posts.every((p) => p.type === 'inspected')).toBe(true);
    // Thumbnails are small whatever the map's size.
    for (const n of o.nodes)
      if (n.thumbnail.kind === 'map') expect(n.thumbnail.map.height).toBeLessThanOrEqual(THUMBNAIL_SIDE);
    session.dispose();
  });

  it('looks at a graph with another number of classes (it needs images, not labels), naming classes by number', async () => {
    const { session, ask } = recorded();
    const o = await ask(look(small(37)), 'overview');
    expect(o.classes).toHaveLength(37);
    expect(o.classes[36]).toBe('class 36');
    session.dispose();
  });

  it('refuses what it cannot do, saying why, without a training failure', async () => {
    const { session, posts, ask } = recorded();
    expect((await ask({ kind: 'heatmaps' }, 'refused')).message).toMatch(/no model/);
    await ask(look(small()), 'overview');
    expect((await ask(look(small(), { ...square, classIndex: 12 }), 'refused')).message).toMatch(
      /no class 12/,
    );
    expect((await ask({ kind: 'kernels', nodeId: 'dense' }, 'refused')).message).toMatch(/not a convolution/);
    expect((await ask({ kind: 'heatmaps', nodeId: 'flat' }, 'refused')).message).toMatch(/H×W×C/);
    const tiny = { width: 2, height: 2, channels: 4 as const, data: new Uint8ClampedArray(3) };
    expect(
      (await ask(look(small(), { source: 'file', name: 'x.png', pixels: tiny }), 'refused')).message,
    ).toMatch(/x\.png cannot be used/);
    expect(posts.some((p) => p.type === 'failed')).toBe(false);
    session.dispose();
  });

  it('then the saved weights of that graph still come back, and replace the random ones', async () => {
    const store = memoryWeights();
    const first = recorded(store);
    await first.session.train({ graph: small(), dataset }, config);
    first.session.dispose();
    const { session, posts, ask } = recorded(store);
    expect((await ask(look(small()), 'overview')).weights).toBe('random');
    await session.restore({ graph: small(), dataset });
    expect(posts.some((p) => p.type === 'restored')).toBe(true);
    expect((await ask(look(small()), 'overview')).weights).toBe('trained');
    session.dispose();
  });
});

describe('answers', () => {
  it('send a page of channels with every channel’s statistics, a dropped image fitted to the input', async () => {
    const { session, ask } = recorded();
    const pixels = new Uint8ClampedArray(40 * 20 * 4).fill(255);
    const o = await ask(
      look(small(), {
        source: 'file',
        name: 'white.png',
        pixels: { width: 40, height: 20, channels: 4, data: pixels },
      }),
      'overview',
    );
    expect(o.sample).toMatchObject({ choice: { source: 'file', name: 'white.png' }, strip: [] });
    expect(o.sample!.image.values.every((v) => Math.abs(v - 1) < 1e-6)).toBe(true);
    const page = await ask({ kind: 'channels', nodeId: 'conv', start: 2, count: 3 }, 'channels');
    expect(page).toMatchObject({ start: 2, count: 3, shape: [16, 16, 6] });
    expect(page.values).toHaveLength(3 * 16 * 16);
    expect(page.channelStats).toHaveLength(6);
    const vector = await ask({ kind: 'channels', nodeId: 'dense', start: 0, count: 1 }, 'channels');
    expect(vector.values).toHaveLength(100);
    session.dispose();
  });

  it('heatmaps default to the last spatial node and the predicted class; the box check gives shares', async () => {
    const { session, ask } = recorded();
    const o = await ask(look(small()), 'overview');
    const h = await ask({ kind: 'heatmaps' }, 'heatmaps');
    expect(h).toMatchObject({ nodeId: 'down', classIndex: o.predicted, predicted: o.predicted });
    expect(h.mean).toMatchObject({ height: 8, width: 8 });
    expect(Math.min(...h.gradCam.values)).toBeGreaterThanOrEqual(0);
    expect((await ask({ kind: 'heatmaps', nodeId: 'conv', classIndex: 7 }, 'heatmaps')).classIndex).toBe(7);
    const check = await ask({ kind: 'heatmap-check', images: 6 }, 'heatmap-check');
    expect(check.images).toBe(6);
    for (const v of [check.meanInside, check.gradCamInside, check.boxShare]) {
      expect(v).toBeGreaterThan(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    session.dispose();
  });
});

describe('a convolution, answered', () => {
  it('its kernels, one value worked out, and its matrix on real numbers equal to tf.conv2d', async () => {
    const { session, ask } = recorded();
    await ask(look(small()), 'overview');
    const k = await ask({ kind: 'kernels', nodeId: 'down' }, 'kernels');
    expect(k).toMatchObject({ side: 3, inputs: 6, filters: 12 });
    expect(k.summed).toHaveLength(12 * 9);
    expect(k.rgb).toBeUndefined();
    expect((await ask({ kind: 'kernels', nodeId: 'conv' }, 'kernels')).rgb).toHaveLength(6 * 9 * 3);
    const e = await ask({ kind: 'explain', nodeId: 'down', channel: 11, y: 7, x: 7 }, 'explanation');
    expect(Math.abs(e.computed - e.actual)).toBeLessThan(1e-5);
    expect(e.padding).toBe('valid after reflect padding');
    for (const padding of ['reflect', 'zero'] as const) {
      const m = await ask({ kind: 'matrix', nodeId: 'down', size: 5, stride: 2, padding }, 'matrix');
      expect(m).toMatchObject({ outSize: 3, kernelFrom: 'node' });
      expect(m.input.some((v) => v !== 0)).toBe(true);
      m.product.forEach((v, i) => expect(v).toBeCloseTo(m.reference[i]!, 5));
    }
    session.dispose();
  });
});

describe('live thumbnails during training', () => {
  it('arrive between batches, at most once a second, and the last one shows the final weights', async () => {
    const { session, posts } = recorded();
    await session.inspect(look(small()));
    await session.inspect({ kind: 'live', on: true });
    const started = performance.now();
    await session.train(
      { graph: small(), dataset: { ...dataset, trainCount: 400 } },
      { ...config, epochs: 2 },
    );
    const seconds = (performance.now() - started) / 1000;
    const types = posts.map((p) => (p.type === 'inspected' ? p.reply.kind : p.type));
    const live = posts.flatMap((p) =>
      p.type === 'inspected' && p.reply.kind === 'overview' ? [p.reply] : [],
    );
    const first = types.indexOf('batch');
    const during = types.slice(first, types.indexOf('finished')).filter((t) => t === 'overview').length;
    expect(during).toBeGreaterThanOrEqual(1);
    expect(during).toBeLessThanOrEqual(Math.ceil((seconds * 1000) / LIVE_INTERVAL) + 1);
    expect(types.at(-1)).toBe('overview');
    const last = live.at(-1) as Overview;
    expect(last.weights).toBe('trained');
    // Refreshes leave the picture out (the page has it already).
    expect(last.sample).toBeUndefined();
    session.dispose();
  });
});

describe('heatmap arithmetic', () => {
  it('upsampling keeps a constant map constant and a linear ramp linear inside', () => {
    const flat = upsample({ height: 2, width: 2, channels: 1, values: Float32Array.of(3, 3, 3, 3) }, 8, 8);
    expect([...flat].every((v) => v === 3)).toBe(true);
    const ramp = upsample({ height: 1, width: 4, channels: 1, values: Float32Array.of(0, 1, 2, 3) }, 1, 8);
    // Pixel centres at 0.25, 0.75, … of a source pixel: x / 2 − 0.25, clamped at the edges.
    expect([...ramp]).toEqual([0, 0.25, 0.75, 1.25, 1.75, 2.25, 2.75, 3]);
  });

  it('a map spread evenly puts the box’s share inside it; a map inside the box puts all of it there', () => {
    const box = [2, 2, 6, 4] as const;
    expect(massInside(new Float32Array(64).fill(5), 8, box)).toBeCloseTo(boxShare(box, 8, 8), 10);
    const inside = new Float32Array(64);
    inside[3 * 8 + 3] = 1;
    expect(massInside(inside, 8, box)).toBe(1);
  });
});

describe('the sample strip', () => {
  it('shrinks images by area means', () => {
    const checker = Float32Array.from({ length: 16 }, (_, i) => (i + Math.floor(i / 4)) % 2);
    const half = shrink({ height: 4, width: 4, channels: 1, values: checker }, 2);
    expect(half).toMatchObject({ height: 2, width: 2 });
    expect([...half.values]).toEqual([0.5, 0.5, 0.5, 0.5]);
    const ramp = Float32Array.from({ length: 6 * 3 }, (_, i) => i % 3);
    // 6×1 RGB to 3×1 (longer side 6 → 3): pairs of pixels averaged, channel by channel.
    expect([...shrink({ height: 1, width: 6, channels: 3, values: ramp }, 3).values]).toEqual([
      0, 1, 2, 0, 1, 2, 0, 1, 2,
    ]);
  });
});
