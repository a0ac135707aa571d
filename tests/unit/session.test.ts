import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeGraph } from '../../src/core/analyze';
import { compileGraph } from '../../src/compile/compile';
import { GraphBuilder } from '../../src/core/builder';
import { BACKEND_MEMORY_LIMIT, estimateTrainingMemory } from '../../src/core/training/memory';
import type { GraphDocument } from '../../src/core/document';
import { defaultTrainConfig } from '../../src/core/training/settings';
import type { TrainConfig } from '../../src/core/training/settings';
import type { SavedWeight } from '../../src/model-files/types';
import { ModelSession } from '../../src/session/model-session';
import type { WeightStore } from '../../src/session/weight-store';
import { memoryWeights } from '../../src/session/weight-store';
import { useNodeBackend } from '../../src/train/node-backend';
import { DATASET_BYTES_LIMIT } from '../../src/core/training/data';
import type { InputSize, ShapesRequest } from '../../src/core/training/data';
import { cachedDatasets } from '../../src/session/datasets';
import type { FromWorker, ModelRequest } from '../../src/worker/protocol';

beforeAll(async () => {
  await useNodeBackend('wasm');
});

function tiny(filters = 4): GraphDocument {
  const g = new GraphBuilder('tiny');
  const x = g.node('input', { height: 8, width: 8 }, [], { id: 'image' });
  const c = g.node('conv', { filters }, x, { id: 'conv' });
  g.node('output', {}, g.node('gap', {}, c, { id: 'pool' }), { id: 'out' });
  return g.build();
}

const dataset: ShapesRequest = { kind: 'shapes', seed: 1, trainCount: 64, validationCount: 20 };
const request = (graph: GraphDocument = tiny()): ModelRequest => ({ graph, dataset });
const config: TrainConfig = { ...defaultTrainConfig, epochs: 2, batchSize: 16 };

/** A session whose messages are collected; `onPost` sees each as it is sent. */
function recorded(options: { weights?: WeightStore; onPost?(m: FromWorker): void } = {}) {
  const posts: FromWorker[] = [];
  const session = new ModelSession({
    post: (m) => {
      posts.push(m);
      options.onPost?.(m);
    },
    ...(options.weights && { weights: options.weights }),
  });
  const types = () => posts.map((p) => p.type);
  return { session, posts, types };
}

const predictions = (session: ModelSession) =>
  tf.tidy(() => {
    const model = session.model!.model;
    const x = tf.ones([2, ...(model.inputs[0]!.shape.slice(1) as number[])]);
    return Array.from((model.predict(x) as tf.Tensor).dataSync());
  });

describe('model session: training', () => {
  it('compiles, reports every batch and epoch, finishes, then reports validation results', async () => {
    const { session, posts, types } = recorded();
    const outcome = await session.train(request(), config);
    expect(outcome?.status).toBe('done');
    expect(types()).toEqual([
      'compiled',
      ...Array(4).fill('batch'),
      'epoch',
      ...Array(4).fill('batch'),
      'epoch',
      'finished',
      'results',
    ]);
    expect(posts[0]).toMatchObject({ type: 'compiled', batches: 4 });
    const results = posts.at(-1) as Extract<FromWorker, { type: 'results' }>;
    expect(results.results.confusion.flat().reduce((a, b) => a + b)).toBe(20);
    session.dispose();
  });

  it('holds still while paused and goes on when resumed', async () => {
    let batchesWhilePaused = -1;
    const recorder = recorded({
      onPost: (m) => {
        if (m.type === 'batch' && m.report.batch === 1 && m.report.epoch === 1) {
          recorder.session.pause();
          setTimeout(() => {
            batchesWhilePaused = recorder.types().filter((t) => t === 'batch').length;
            recorder.session.resume();
          }, 200);
        }
      },
    });
    const { session } = recorder;
    const outcome = await session.train(request(), config);
    expect(batchesWhilePaused).toBe(1);
    expect(outcome?.status).toBe('done');
    expect(recorder.types().filter((t) => t === 'batch')).toHaveLength(8);
    session.dispose();
  });

  it('stops after the current batch, also when paused, and says it stopped', async () => {
    const recorder = recorded({
      onPost: (m) => {
        if (m.type === 'batch' && m.report.batch === 2) {
          recorder.session.pause();
          setTimeout(() => recorder.session.stop(), 50);
        }
      },
    });
    const { session } = recorder;
    const outcome = await session.train(request(), config);
    expect(outcome?.status).toBe('stopped');
    expect(recorder.types().filter((t) => t === 'batch')).toHaveLength(2);
    expect(recorder.posts).toContainEqual({ type: 'finished', stopped: true });
    session.dispose();
  });

  it('refuses a graph that cannot be built or trained, naming the node', async () => {
    const noOutput = new GraphBuilder('no output');
    noOutput.node('conv', {}, noOutput.node('input', {}));
    const dilated = new GraphBuilder('dilated');
    const x = dilated.node('input', {}, [], { id: 'image' });
    const c = dilated.node('conv', { dilation: 2 }, x, { id: 'wide' });
    dilated.node('output', {}, dilated.node('gap', {}, c));
    const { session, posts } = recorded();
    expect(await session.train(request(noOutput.build()), config)).toBeUndefined();
    expect(await session.train(request(dilated.build()), config)).toBeUndefined();
    expect(posts).toEqual([
      expect.objectContaining({
        type: 'failed',
        kind: 'compile',
        errors: [{ message: expect.stringMatching(/no Output node/) }],
      }),
      expect.objectContaining({
        type: 'failed',
        kind: 'compile',
        errors: [{ nodeId: 'wide', message: expect.stringMatching(/uses dilation 2/) }],
      }),
    ]);
    expect(session.model).toBeUndefined();
  });

  it('continues a run for more epochs, numbering them after the first ones', async () => {
    const { session, posts } = recorded();
    await session.train(request(), { ...config, epochs: 1 });
    const outcome = await session.continue({ ...config, epochs: 2 });
    expect(outcome?.epochs.map((e) => e.epoch)).toEqual([2, 3]);
    const epochs = posts.filter((p) => p.type === 'epoch').map((p) => p.report.epoch);
    expect(epochs).toEqual([1, 2, 3]);
    session.dispose();
  });
});

describe('model session: weights', () => {
  it('saves after every epoch; a new session restores the same weights and the run that made them', async () => {
    const weights = memoryWeights();
    const first = recorded({ weights });
    await first.session.train(request(), config);
    const second = recorded({ weights });
    await second.session.restore(request());
    const restored = second.posts.find((p) => p.type === 'restored');
    expect(restored).toMatchObject({ source: 'restored', meta: { config: { ...config, epochs: 2 } } });
    expect(restored?.type === 'restored' && restored.meta.epochReports.map((e) => e.epoch)).toEqual([1, 2]);
    expect(second.types().at(-1)).toBe('results');
    expect(predictions(second.session)).toEqual(predictions(first.session));
    first.session.dispose();
    second.session.dispose();
  });

  it('restores nothing for another graph', async () => {
    const weights = memoryWeights();
    const first = recorded({ weights });
    await first.session.train(request(), { ...config, epochs: 1 });
    const second = recorded({ weights });
    await second.session.restore(request(tiny(6)));
    expect(second.posts).toEqual([]);
    expect(second.session.model).toBeUndefined();
    first.session.dispose();
  });

  it('tells once that weights cannot be saved, and trains on', async () => {
    const failing: WeightStore = {
      save: () => Promise.reject(new Error('quota exceeded')),
      fetch: () => Promise.resolve(undefined),
    };
    const { session, posts } = recorded({ weights: failing });
    const outcome = await session.train(request(), config);
    expect(outcome?.status).toBe('done');
    const notices = posts.filter((p) => p.type === 'notice');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ level: 'error', message: expect.stringMatching(/quota exceeded/) });
    session.dispose();
  });

  it('loads weights that fit all or nothing, and exports what it holds', async () => {
    const { session, posts } = recorded();
    await session.export();
    expect(posts).toEqual([
      expect.objectContaining({ type: 'notice', level: 'error' }),
      { type: 'exported', artifacts: null },
    ]);
    posts.length = 0;

    const donor = recorded();
    await donor.session.train(request(), { ...config, epochs: 1 });
    const values = new Map<string, SavedWeight>(
      donor.session.model!.model.weights.map((w) => [
        w.originalName,
        { shape: w.shape as number[], values: w.read().dataSync() as Float32Array },
      ]),
    );
    await session.load(request(tiny(6)), values, 'other.model.json', config);
    expect(posts).toEqual([
      expect.objectContaining({
        type: 'notice',
        message: expect.stringMatching(/do not fit this graph: shapes differ for conv\/kernel/),
      }),
    ]);
    expect(session.model).toBeUndefined();
    posts.length = 0;

    await session.load(request(), values, 'donor.model.json', config);
    expect(posts[0]).toMatchObject({ type: 'restored', source: 'loaded' });
    expect(predictions(session)).toEqual(predictions(donor.session));
    posts.length = 0;

    await session.export();
    const exported = posts.find((p) => p.type === 'exported');
    expect(exported?.type === 'exported' && exported.artifacts?.weightSpecs.map((w) => w.name)).toEqual(
      donor.session.model!.model.weights.map((w) => w.originalName),
    );
    session.dispose();
    donor.session.dispose();
  });
});

describe('model session: the data follows the graph', () => {
  const graphWith = (input: Record<string, number>, classes = 10) => {
    const g = new GraphBuilder('sized');
    const x = g.node('input', input, [], { id: 'image' });
    g.node('output', { classes }, g.node('gap', {}, g.node('conv', { filters: 2 }, x)), { id: 'out' });
    return g.build();
  };
  /** A dataset source that counts how often it is asked to draw. */
  const counting = () => {
    const source = cachedDatasets();
    const calls: InputSize[] = [];
    return {
      calls,
      datasets: (request: ShapesRequest, input: InputSize) => {
        calls.push(input);
        return source(request, input);
      },
    };
  };

  it('draws the images at the Input node’s height, width and channels, and trains the graph as it is', async () => {
    const { calls, datasets } = counting();
    const session = new ModelSession({ post: () => {}, datasets });
    const outcome = await session.train(
      { graph: graphWith({ height: 12, width: 10, channels: 1 }), dataset },
      config,
    );
    expect(outcome?.status).toBe('done');
    expect(calls).toEqual([{ height: 12, width: 10, channels: 1 }]);
    const data = session.model!.data!;
    expect([data.height, data.width, data.channels, data.train.images.length]).toEqual([12, 10, 1, 64 * 120]);
    expect(session.model!.model.inputs[0]!.shape).toEqual([null, 12, 10, 1]);
    session.dispose();
  });

  it('refuses an Output with another number of classes, naming it and the fix, before drawing anything', async () => {
    const { calls, datasets } = counting();
    const posts: FromWorker[] = [];
    const session = new ModelSession({ post: (m) => posts.push(m), datasets });
    expect(
      await session.train({ graph: graphWith({ height: 8, width: 8 }, 37), dataset }, config),
    ).toBeUndefined();
    expect(calls).toEqual([]);
    expect(posts).toEqual([
      expect.objectContaining({
        type: 'failed',
        kind: 'compile',
        errors: [
          {
            nodeId: 'out',
            message: expect.stringMatching(/37 classes, but Shapes has 10: set the Output to 10/),
          },
        ],
      }),
    ]);
  });

  it('refuses data that would not fit in memory, saying how many images would, before drawing anything', async () => {
    const { calls, datasets } = counting();
    const posts: FromWorker[] = [];
    const session = new ModelSession({ post: (m) => posts.push(m), datasets });
    const big = { ...dataset, trainCount: 5000, validationCount: 1000 };
    expect(
      await session.train({ graph: graphWith({ height: 352, width: 352 }), dataset: big }, config),
    ).toBeUndefined();
    expect(calls).toEqual([]);
    const bytes = 352 * 352 * 3 * 4;
    const limit = Math.floor(DATASET_BYTES_LIMIT / bytes);
    const gb = ((6000 * bytes) / 1024 ** 3).toFixed(1).replace('.', '\\.');
    expect(posts[0]).toMatchObject({
      type: 'failed',
      message: expect.stringMatching(
        new RegExp(
          `6,000 images at 352×352 colour take ${gb} GB.*at most ${limit.toLocaleString('en-US')} fit`,
        ),
      ),
    });
  });
});

describe('model session: a look at the data', () => {
  it('sends the first training images of every class, at the graph’s input size', async () => {
    const posts: FromWorker[] = [];
    const datasets = cachedDatasets();
    const session = new ModelSession({ post: (m) => posts.push(m), datasets });
    await session.preview(request(), 3);
    const preview = posts[0]?.type === 'preview' ? posts[0].preview : undefined;
    expect(preview).toMatchObject({ height: 8, width: 8, channels: 3, perClass: 3, trainCount: 64 });
    const data = datasets(dataset, { height: 8, width: 8, channels: 3 });
    const per = 8 * 8 * 3;
    for (let c = 0; c < data.classes.length; c++) {
      const indices = Array.from(data.train.labels.keys())
        .filter((i) => data.train.labels[i] === c)
        .slice(0, 3);
      indices.forEach((i, k) =>
        expect(preview!.images.subarray((c * 3 + k) * per, (c * 3 + k + 1) * per)).toEqual(
          data.train.images.subarray(i * per, (i + 1) * per),
        ),
      );
    }
  });
});

describe('model session: out of memory', () => {
  const wide = (batchSize: number) => ({ ...config, batchSize });
  /** A graph whose activations at batch 1,024 overflow WebAssembly's 4 GB. */
  const hungry = () => {
    const g = new GraphBuilder('hungry');
    const x = g.node('input', { height: 64, width: 64 }, [], { id: 'image' });
    const c = g.node('conv', { filters: 256 }, x, { id: 'conv' });
    g.node('output', {}, g.node('gap', {}, c));
    return g.build();
  };

  it('refuses before compiling when the estimate exceeds what wasm can hold, naming a batch that fits', async () => {
    const { session, posts } = recorded();
    expect(await session.train(request(hungry()), wide(1024))).toBeUndefined();
    const estimate = estimateTrainingMemory(analyzeGraph(hungry()), wide(1024));
    expect(estimate.total).toBeGreaterThan(BACKEND_MEMORY_LIMIT.wasm!);
    const perImage = estimate.activations / 1024;
    const fits = Math.floor((BACKEND_MEMORY_LIMIT.wasm! - estimate.weights) / perImage);
    expect(posts).toEqual([
      {
        type: 'failed',
        kind: 'out-of-memory',
        message: expect.stringMatching(
          new RegExp(`^The wasm backend would run out of memory\\..*try batch ${fits} or smaller`),
        ),
      },
    ]);
    expect(session.model).toBeUndefined();
    // The same graph at a batch that fits trains.
    expect((await session.train(request(hungry()), wide(8)))?.status).toBe('done');
    session.dispose();
  });

  it('after a WebAssembly abort says it ran out of memory and asks for a fresh backend', async () => {
    const { session, posts } = recorded();
    expect(session.open(request(), config)).toBe(true);
    const model = session.model!.model;
    model.apply = () => {
      throw new Error('Aborted(). Build with -sASSERTIONS for more info.');
    };
    expect(await session.continue(config)).toBeUndefined();
    expect(posts).toEqual([
      {
        type: 'failed',
        kind: 'out-of-memory',
        message: expect.stringMatching(/^The wasm backend ran out of memory\..*starts afresh\.$/),
        restart: true,
      },
    ]);
    expect(session.model).toBeUndefined();
  });
});

describe('model session: weights without fitting data', () => {
  it('loads weights into a graph whose Output does not match the data, and trains more once it does', async () => {
    const g = (classes: number) => {
      const b = new GraphBuilder('other classes');
      const x = b.node('input', { height: 8, width: 8 }, [], { id: 'image' });
      b.node('output', { classes }, b.node('gap', {}, b.node('conv', { filters: 2 }, x, { id: 'conv' })), {
        id: 'out',
      });
      return b.build();
    };
    const donor = compileGraph(g(3));
    if (!donor.ok) throw new Error('compile');
    const weights = new Map<string, SavedWeight>(
      donor.compiled.model.weights.map((w) => [
        w.originalName,
        { shape: w.shape as number[], values: w.read().dataSync() as Float32Array },
      ]),
    );
    const { session, posts } = recorded();
    await session.load({ graph: g(3), dataset }, weights, 'three.model.json', config);
    // Loaded, with no validation results: Shapes has 10 classes, this Output 3.
    expect(posts.map((p) => p.type)).toEqual(['restored']);
    expect(session.model?.data).toBeUndefined();
    posts.length = 0;
    expect(await session.continue(config, dataset)).toBeUndefined();
    expect(posts).toEqual([
      expect.objectContaining({
        type: 'failed',
        message: expect.stringMatching(/3 classes, but Shapes has 10/),
      }),
    ]);
    donor.compiled.model.dispose();
    session.dispose();
  });
});
