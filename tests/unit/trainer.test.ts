import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../src/train/node-backend';
import { compileGraph } from '../../src/compile/compile';
import { GraphBuilder } from '../../src/core/builder';
import { shapesDataset } from '../../src/data/shapes';
import type { TrainConfig } from '../../src/core/training/settings';
import { defaultTrainConfig, learningRateAt } from '../../src/core/training/settings';
import { trainModel } from '../../src/train/trainer';
import { trainingBlockers } from '../../src/train/trainability';
import { loadGraph } from '../../src/core/load';
import { findTemplate } from '../../templates';
import { shapesFor, withInputSize } from './support/graphs';

beforeAll(async () => {
  await useNodeBackend('wasm');
});

describe('learning-rate schedule', () => {
  const config: TrainConfig = { ...defaultTrainConfig, learningRate: 0.01, schedule: 'one-cycle' };
  it('one-cycle rises from lr/25 to lr over the first quarter, then falls to lr/25,000', () => {
    expect(learningRateAt(config, 0)).toBeCloseTo(0.01 / 25, 10);
    expect(learningRateAt(config, 0.125)).toBeCloseTo((0.01 / 25 + 0.01) / 2, 10); // cosine midpoint
    expect(learningRateAt(config, 0.25)).toBeCloseTo(0.01, 10);
    expect(learningRateAt(config, 1)).toBeCloseTo(0.01 / 25e3, 12);
  });
  it('constant stays put', () => {
    expect(learningRateAt({ ...config, schedule: 'constant' }, 0.7)).toBe(0.01);
  });
});

function tinyModel(data: ReturnType<typeof shapesDataset>) {
  const g = new GraphBuilder('tiny');
  const x = g.node('input', { height: data.height, width: data.width });
  const c = g.node('conv', { filters: 4 }, x);
  g.node('output', {}, g.node('gap', {}, c));
  const result = compileGraph(g.build());
  if (!result.ok) throw new Error('compile');
  return result.compiled.model;
}

describe('training loop', () => {
  const data = shapesDataset({ size: 8, trainCount: 64, validationCount: 20 });

  it('reports every batch and epoch with finite numbers', async () => {
    const model = tinyModel(data);
    const batches: number[] = [];
    const outcome = await trainModel(
      model,
      data,
      { ...defaultTrainConfig, epochs: 2, batchSize: 16 },
      {
        onBatch: (b) => void batches.push(b.loss),
      },
    );
    expect(outcome.status).toBe('done');
    expect(batches).toHaveLength(8);
    expect(outcome.epochs).toHaveLength(2);
    for (const e of outcome.epochs) for (const v of Object.values(e)) expect(Number.isFinite(v)).toBe(true);
    model.dispose();
  });

  it('reports how far each epoch moved the trainable weights, as a plain computation finds', async () => {
    const model = tinyModel(data);
    const flat = () => model.trainableWeights.flatMap((w) => [...w.read().dataSync()]);
    const start = flat();
    const outcome = await trainModel(model, data, { ...defaultTrainConfig, epochs: 1, batchSize: 16 });
    const end = flat();
    let moved = 0;
    let size = 0;
    start.forEach((v, i) => {
      moved += (end[i]! - v) ** 2;
      size += v * v;
    });
    expect(outcome.epochs[0]!.weightChange).toBeGreaterThan(0);
    expect(outcome.epochs[0]!.weightChange).toBeCloseTo(Math.sqrt(moved / size), 5);
    model.dispose();
  });

  it('one SGD step moves each kernel by −lr·(∂loss/∂W + decay·W), at the learning rate asked for', async () => {
    const one = shapesDataset({ size: 8, trainCount: 8, validationCount: 4 });
    const model = tinyModel(one);
    const kernel = model.trainableWeights.find((w) => w.shape.length === 4)!;
    const before = kernel.read().clone();
    // The gradient of the data loss alone, from tfjs' autodiff, with the same batch (all 8 images).
    const x = tf.tensor4d(one.train.images, [8, 8, 8, 3]);
    const labels = tf.tensor1d(one.train.labels, 'int32');
    const { grads } = tf.variableGrads(() => {
      const p = model.apply(x, { training: true }) as tf.Tensor2D;
      const picked = tf.sum(tf.mul(p, tf.oneHot(labels, p.shape[1])), 1);
      return tf.mean(tf.neg(tf.log(tf.clipByValue(picked, 1e-7, 1)))) as tf.Scalar;
    }, [kernel.read() as tf.Variable]);
    const lr = 0.3;
    const decay = 0.1;
    await trainModel(model, one, {
      ...defaultTrainConfig,
      optimizer: 'sgd',
      learningRate: lr,
      schedule: 'constant',
      weightDecay: decay,
      batchSize: 8,
      epochs: 1,
    });
    const expected = tf.sub(
      before,
      tf.mul(tf.add(grads[(kernel.read() as tf.Variable).name]!, tf.mul(before, decay)), lr),
    );
    const diff = tf.max(tf.abs(tf.sub(kernel.read(), expected))).dataSync()[0]!;
    expect(diff).toBeLessThan(1e-5);
    // ... and the step was not a no-op.
    expect(tf.max(tf.abs(tf.sub(kernel.read(), before))).dataSync()[0]!).toBeGreaterThan(1e-3);
    model.dispose();
  });

  it('stops on a NaN loss, says what to try, and keeps the last good weights', async () => {
    const model = tinyModel(data);
    const before = model.getWeights().map((w) => Array.from(w.dataSync()));
    // One pixel that is not a number poisons the batch it lands in.
    const images = Float32Array.from(data.train.images);
    images[5 * 8 * 8 * 3 + 17] = Number.NaN;
    const poisoned = { ...data, train: { ...data.train, images } };
    const outcome = await trainModel(model, poisoned, { ...defaultTrainConfig, epochs: 3, batchSize: 16 });
    expect(outcome.status).toBe('diverged');
    if (outcome.status === 'diverged')
      expect(outcome.message).toMatch(
        /loss became NaN at epoch 1.*learning rate about 10× smaller.*missing values.*weights from before training were kept/,
      );
    const after = model.getWeights().map((w) => Array.from(w.dataSync()));
    expect(after).toEqual(before);
    model.dispose();
  });

  it('stops between batches when asked', async () => {
    const model = tinyModel(data);
    let seen = 0;
    const outcome = await trainModel(
      model,
      data,
      { ...defaultTrainConfig, epochs: 5, batchSize: 8 },
      {
        onBatch: () => void seen++,
        shouldStop: () => seen >= 3,
      },
    );
    expect(outcome.status).toBe('stopped');
    expect(seen).toBe(3);
    model.dispose();
    expect(tf.memory().numTensors).toBeGreaterThanOrEqual(0);
  });
});

describe('Starter CNN on the built-in shapes', () => {
  it('reaches at least 90% validation accuracy in three epochs (20×20 images, 5,000 + 1,000)', async () => {
    const loaded = loadGraph(findTemplate('starter-cnn')!.document);
    if (!loaded.ok) throw new Error('template');
    const graph = withInputSize(loaded.doc, 20);
    const data = shapesFor(graph, { trainCount: 5000, validationCount: 1000 });
    const config = { ...defaultTrainConfig, epochs: 3 };
    const compiled = compileGraph(graph, undefined, { seed: config.seed });
    if (!compiled.ok) throw new Error('compile');
    const outcome = await trainModel(compiled.compiled.model, data, config);
    const last = outcome.epochs.at(-1)!;
    console.log(`starter-cnn, 3 epochs at 20×20: ${outcome.epochs.map((e) => e.valAccuracy).join(' → ')}`);
    expect(outcome.status).toBe('done');
    expect(last.valAccuracy).toBeGreaterThanOrEqual(0.9);
    compiled.compiled.model.dispose();
  }, 300_000);
});

describe('seeded initial weights', () => {
  const weightsOf = (seed?: number) => {
    const loaded = loadGraph(findTemplate('starter-cnn')!.document);
    if (!loaded.ok) throw new Error('template');
    const compiled = compileGraph(loaded.doc, undefined, seed === undefined ? {} : { seed });
    if (!compiled.ok) throw new Error('compile');
    const { model } = compiled.compiled;
    const values = model.weights.map((w) => ({ shape: w.shape, values: [...w.read().dataSync()] }));
    model.dispose();
    return values;
  };
  it('the same seed gives the same weights, another seed others', () => {
    expect(weightsOf(7)).toEqual(weightsOf(7));
    const stem = (w: ReturnType<typeof weightsOf>) => w.find((x) => x.shape.join() === '3,3,3,16')!.values;
    expect(stem(weightsOf(8))).not.toEqual(stem(weightsOf(7)));
    // Without a seed, tfjs draws afresh each time.
    expect(stem(weightsOf())).not.toEqual(stem(weightsOf()));
  });
  it("draws kernels from Glorot's uniform distribution, like tfjs' default", () => {
    // The 3×3×16→32 kernel of the first stride-2 convolution: limit √(6 / (fan_in + fan_out)).
    const kernel = weightsOf(3).find((w) => w.shape.join() === '3,3,16,32')!.values;
    const limit = Math.sqrt(6 / (9 * 16 + 9 * 32));
    expect(Math.max(...kernel.map(Math.abs))).toBeLessThanOrEqual(limit);
    const variance = kernel.reduce((a, v) => a + v * v, 0) / kernel.length;
    expect(variance).toBeCloseTo(limit ** 2 / 3, 3);
  });
});

describe('what cannot be trained', () => {
  const graph = (dilation: number, trainable = true) => {
    const g = new GraphBuilder('dilated');
    const x = g.node('input', { height: 12, width: 12, channels: 3 });
    const c = g.node('conv', { filters: 4, dilation, trainable }, x, { id: 'wide' });
    g.node('output', { classes: 10 }, g.node('gap', {}, c));
    const compiled = compileGraph(g.build());
    if (!compiled.ok) throw new Error(compiled.errors[0]!.message);
    return compiled.compiled;
  };
  it('names a dilated convolution before training, which tfjs itself would refuse mid-gradient', async () => {
    const compiled = graph(2);
    expect(trainingBlockers(compiled)).toEqual([
      {
        nodeId: 'wide',
        message: expect.stringMatching(/^Node 'wide' uses dilation 2\. .*set its dilation to 1/),
      },
    ]);
    // The reason for the check: tfjs' own gradient throws for this layer.
    const data = shapesDataset({ size: 12, trainCount: 4, validationCount: 2 });
    await expect(
      trainModel(compiled.model, data, {
        ...defaultTrainConfig,
        epochs: 1,
        batchSize: 4,
      }),
    ).rejects.toThrow(/dilation/);
    compiled.model.dispose();
  });
  it('lets undilated or frozen convolutions through', () => {
    expect(trainingBlockers(graph(1))).toEqual([]);
    expect(trainingBlockers(graph(2, false))).toEqual([]);
  });
});
