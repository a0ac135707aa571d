import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../src/compile/compile';
import { GraphBuilder } from '../../src/core/builder';
import type { GraphDocument } from '../../src/core/document';
import type { SliceRequest } from '../../src/core/surface/types';
import { defaultTrainConfig } from '../../src/core/training/settings';
import type { ImageDataset } from '../../src/data/dataset';
import { seededRandom } from '../../src/data/random';
import { ModelSession } from '../../src/session/model-session';
import { prepareModel } from '../../src/session/prepare';
import { gaussian, randomDirection } from '../../src/surface/directions';
import { computeSurface } from '../../src/surface/service';
import { useNodeBackend } from '../../src/train/node-backend';
import { evaluate, trainModel } from '../../src/train/trainer';
import type { FromWorker } from '../../src/worker/protocol';
import { shapesFor } from './support/graphs';

beforeAll(async () => {
  await useNodeBackend('wasm');
});

/** conv (bias) -> batch norm -> relu -> pool -> dense softmax: kernels, biases, BN and a dense unit. */
function small(): GraphDocument {
  const g = new GraphBuilder('small');
  const x = g.node('input', { height: 8, width: 8, channels: 3 }, [], { id: 'image' });
  const c = g.node('conv', { filters: 4, bias: true }, x, { id: 'conv' });
  const b = g.node('batchnorm', {}, c, { id: 'bn' });
  const r = g.node('activation', { fn: 'relu' }, b, { id: 'relu' });
  g.node('output', {}, g.node('gap', {}, r, { id: 'pool' }), { id: 'out' });
  return g.build();
}

const request = (over: Partial<SliceRequest> = {}): SliceRequest => ({
  kind: 'random',
  grid: 5,
  range: 1,
  samples: 40,
  seed: 7,
  includeBiasBn: false,
  ...over,
});

function compiled(doc: GraphDocument, seed = 1): tfl.LayersModel {
  const result = compileGraph(doc, undefined, { seed });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.compiled.model;
}

/** Every weight's bytes, for bit-for-bit comparisons. */
const bytes = (model: tfl.LayersModel) =>
  model.weights.map((w) => Buffer.from((w.read().dataSync() as Float32Array).buffer.slice(0)));

const data = shapesFor(small(), { trainCount: 64, validationCount: 40 });

describe('filter-normalised directions', () => {
  it('give each filter (conv: one output channel; dense: one unit) the norm of its weights', async () => {
    const model = compiled(small());
    const directions = await randomDirection(model, false, gaussian(seededRandom(3)));
    const kernels = directions.filter((d) => d.weight.shape.length > 1);
    expect(kernels.map((d) => d.weight.shape.length).sort()).toEqual([2, 4]);
    for (const d of kernels) {
      // Norms over every axis but the last, computed by tfjs on the tensors themselves.
      const axes = d.weight.shape.slice(0, -1).map((_, i) => i);
      const norms = (t: tf.Tensor) =>
        tf.tidy(() => tf.sqrt(tf.sum(tf.square(t), axes)).arraySync() as number[]);
      const want = norms(d.weight.read());
      const got = norms(tf.tensor(d.values, d.weight.shape as number[]));
      expect(got.length).toBe(d.weight.shape.at(-1));
      got.forEach((g, f) => expect(g).toBeCloseTo(want[f]!, 5));
      // A random direction, not the weights themselves.
      expect(Array.from(d.values)).not.toEqual(Array.from(d.weight.read().dataSync()));
    }
    model.dispose();
  });

  it('leave biases and batch-norm parameters at zero unless asked, and never touch moving statistics', async () => {
    const model = compiled(small());
    const vectors = async (include: boolean) =>
      (await randomDirection(model, include, gaussian(seededRandom(3)))).filter(
        (d) => d.weight.shape.length === 1,
      );
    const ignored = await vectors(false);
    // conv bias, BN gamma and beta, dense bias.
    expect(ignored).toHaveLength(4);
    for (const d of ignored) expect(d.values.every((v) => v === 0)).toBe(true);
    for (const d of await vectors(true)) {
      const w = d.weight.read().dataSync();
      d.values.forEach((v, i) => expect(Math.abs(v)).toBeCloseTo(Math.abs(w[i]!), 6));
    }
    const moving = model.nonTrainableWeights.map((w) => w.originalName);
    expect(moving.some((n) => n.includes('moving_mean'))).toBe(true);
    expect((await randomDirection(model, true, Math.random)).map((d) => d.weight.originalName)).not.toContain(
      moving[0],
    );
    model.dispose();
  });
});

describe('a 2-D slice', () => {
  it('has at its centre the model’s own loss and accuracy on the subset', async () => {
    const model = compiled(small());
    const result = await computeSurface({ model, data }, request());
    if (!result.ok) throw new Error(result.message);
    const { surface } = result;
    expect(surface.xs[2]).toBe(0);
    expect(surface.ys[2]).toBe(0);
    const centre = 2 * 5 + 2;
    const reference = await evaluate(model, data, data.validation);
    expect(surface.loss[centre]).toBeCloseTo(reference.loss, 5);
    expect(surface.accuracy[centre]).toBeCloseTo(reference.accuracy, 6);
    // Away from the centre the loss differs: the weights really moved.
    expect(surface.loss[0]).not.toBeCloseTo(reference.loss, 3);
    expect(surface.done).toBe(25);
    model.dispose();
  });

  it('puts every weight back bit for bit, after a finished and after a cancelled slice', async () => {
    const model = compiled(small());
    const before = bytes(model);
    const finished = await computeSurface({ model, data }, request({ includeBiasBn: true }));
    expect(finished.ok && finished.status).toBe('done');
    expect(bytes(model)).toEqual(before);
    let progressed = 0;
    const cancelled = await computeSurface({ model, data }, request({ grid: 21 }), {
      onProgress: () => progressed++,
      shouldStop: () => progressed >= 1,
    });
    expect(cancelled.ok && cancelled.status).toBe('cancelled');
    expect(cancelled.ok && cancelled.surface.done).toBeLessThan(21 * 21);
    expect(cancelled.ok && cancelled.surface.done).toBeGreaterThan(0);
    expect(bytes(model)).toEqual(before);
    model.dispose();
  });

  it('of a one-layer softmax classifier matches the cross-entropy computed by hand', async () => {
    // Input 2×2×1 -> flatten -> softmax over 3 classes: logits = W·x + b, with W [4, 3].
    const g = new GraphBuilder('softmax');
    const x = g.node('input', { height: 2, width: 2, channels: 1 }, [], { id: 'image' });
    g.node('output', { classes: 3 }, g.node('flatten', {}, x, { id: 'flat' }), { id: 'out' });
    const model = compiled(g.build(), 5);
    const random = seededRandom(9);
    const count = 30;
    const tiny: ImageDataset = {
      name: 'tiny',
      classes: ['a', 'b', 'c'],
      height: 2,
      width: 2,
      channels: 1,
      train: { count: 0, images: new Float32Array(0), labels: new Int32Array(0) },
      validation: {
        count,
        images: Float32Array.from({ length: count * 4 }, () => random()),
        labels: Int32Array.from({ length: count }, () => Math.floor(random() * 3)),
      },
    };
    const req = request({ grid: 7, range: 0.8, samples: count, seed: 11 });
    const result = await computeSurface({ model, data: tiny }, req);
    if (!result.ok) throw new Error(result.message);
    // The same two directions, then the loss of every grid point in float64.
    const normal = gaussian(seededRandom(req.seed));
    const [kernel, bias] = [model.trainableWeights[0]!, model.trainableWeights[1]!];
    const W = Array.from(kernel.read().dataSync());
    const b = Array.from(bias.read().dataSync());
    const pick = async () =>
      (await randomDirection(model, false, normal)).find((d) => d.weight === kernel)!.values;
    const d1 = await pick();
    const d2 = await pick();
    const { xs, ys } = result.surface;
    ys.forEach((yb, j) =>
      xs.forEach((xa, i) => {
        let loss = 0;
        let correct = 0;
        for (let n = 0; n < count; n++) {
          const img = tiny.validation.images.subarray(n * 4, n * 4 + 4);
          const logits = [0, 1, 2].map(
            (k) =>
              b[k]! +
              [0, 1, 2, 3].reduce(
                (s, f) => s + img[f]! * (W[f * 3 + k]! + xa * d1[f * 3 + k]! + yb * d2[f * 3 + k]!),
                0,
              ),
          );
          const top = Math.max(...logits);
          const logSum = top + Math.log(logits.reduce((s, l) => s + Math.exp(l - top), 0));
          const label = tiny.validation.labels[n]!;
          loss -= logits[label]! - logSum;
          if (logits.indexOf(top) === label) correct++;
        }
        expect(result.surface.loss[j * xs.length + i]).toBeCloseTo(loss / count, 4);
        expect(result.surface.accuracy[j * xs.length + i]).toBeCloseTo(correct / count, 6);
      }),
    );
    model.dispose();
  });
});

describe('slices in a model session', () => {
  const doc = small();
  const dataset = { kind: 'shapes', seed: 1, trainCount: 64, validationCount: 40 } as const;
  const config = { ...defaultTrainConfig, epochs: 2, batchSize: 8 };

  function recorded() {
    const posts: FromWorker[] = [];
    const session = new ModelSession({ post: (m) => posts.push(m) });
    return { session, posts };
  }

  it('runs from the initial weights (drawn again from the seed) to the trained ones along a line', async () => {
    const { session, posts } = recorded();
    await session.train({ graph: doc, dataset }, config);
    const model = session.model!;
    const result = await session.surface(request({ kind: 'line', grid: 5, samples: 40 }));
    if (!result?.ok) throw new Error('no line');
    expect(result.surface.xs).toEqual([-0.5, 0, 0.5, 1, 1.5]);
    const trained = await evaluate(model.model, model.data!, model.data!.validation);
    expect(result.surface.loss[3]).toBeCloseTo(trained.loss, 4);
    const fresh = prepareModel(doc, model.data!, { seed: config.seed });
    if (!fresh.ok) throw new Error('no model');
    // The initial weights with the trained batch-norm statistics, as on the line.
    fresh.prepared.model.nonTrainableWeights.forEach((w, i) =>
      w.write(model.model.nonTrainableWeights[i]!.read()),
    );
    const initial = await evaluate(fresh.prepared.model, model.data!, model.data!.validation);
    expect(result.surface.loss[1]).toBeCloseTo(initial.loss, 4);
    fresh.prepared.model.dispose();
    expect(posts.at(-1)).toMatchObject({ type: 'surface', status: 'done' });
    session.dispose();
  });

  it('draws the training path over the plane of its two main directions, ending at the centre', async () => {
    const { session, posts } = recorded();
    await session.train({ graph: doc, dataset }, config);
    const before = bytes(session.model!.model);
    const result = await session.surface(request({ kind: 'path', grid: 5 }));
    if (!result?.ok) throw new Error(posts.map((p) => JSON.stringify(p).slice(0, 200)).join('\n'));
    const path = result.surface.path!;
    // 16 steps: a snapshot before training and after every step, then the trained weights.
    expect(path.x).toHaveLength(18);
    expect(path.epoch[0]).toBe(0);
    expect(path.x.at(-1)).toBeCloseTo(0, 5);
    expect(Math.hypot(path.x[0]!, path.y[0]!)).toBeGreaterThan(0);
    const { xs, ys } = result.surface;
    for (const [x, y] of path.x.map((x, i) => [x, path.y[i]!])) {
      expect(x).toBeGreaterThanOrEqual(xs[0]!);
      expect(x).toBeLessThanOrEqual(xs.at(-1)!);
      expect(y).toBeGreaterThanOrEqual(ys[0]!);
      expect(y).toBeLessThanOrEqual(ys.at(-1)!);
    }
    expect(bytes(session.model!.model)).toEqual(before);
    session.dispose();
  });

  it('records the path without changing anything training computes', async () => {
    const { session } = recorded();
    const withPath = await session.train({ graph: doc, dataset }, config);
    const data = session.model!.data!;
    const plain = prepareModel(doc, data, { seed: config.seed, forTraining: true });
    if (!plain.ok) throw new Error('no model');
    const without = await trainModel(plain.prepared.model, data, config);
    const figures = (epochs: readonly { loss: number; valLoss: number; weightChange: number }[]) =>
      epochs.map((e) => [e.loss, e.valLoss, e.weightChange]);
    expect(figures(withPath!.epochs)).toEqual(figures(without.epochs));
    expect(bytes(session.model!.model)).toEqual(bytes(plain.prepared.model));
    plain.prepared.model.dispose();
    session.dispose();
  });

  it('cancels a slice midway, says so, and leaves the weights as they were', async () => {
    const posts: FromWorker[] = [];
    const session: ModelSession = new ModelSession({
      post: (m) => {
        posts.push(m);
        if (m.type === 'surface' && m.status === 'running') session.cancelSurface();
      },
    });
    await session.train({ graph: doc, dataset }, { ...config, epochs: 1 });
    const before = bytes(session.model!.model);
    await session.surface(request({ grid: 31 }));
    const last = posts.at(-1) as Extract<FromWorker, { type: 'surface' }>;
    expect(last.status).toBe('cancelled');
    expect(last.surface.done).toBeLessThan(31 * 31);
    expect(bytes(session.model!.model)).toEqual(before);
    session.dispose();
  });

  it('refuses to slice before there is a model', async () => {
    const { session, posts } = recorded();
    await session.surface(request());
    expect(posts).toEqual([{ type: 'surface-failed', message: expect.stringContaining('train') }]);
  });
});
