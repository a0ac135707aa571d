import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../src/train/node-backend';
import { compileGraph } from '../../src/compile/compile';
import { GraphBuilder } from '../../src/core/builder';
import { bindDataset } from '../../src/data/bind';
import { shapesDataset } from '../../src/data/shapes';
import type { TrainConfig } from '../../src/train/config';
import { defaultTrainConfig, learningRateAt } from '../../src/train/config';
import { trainModel } from '../../src/train/trainer';

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
  const x = g.node('input', {});
  const c = g.node('conv', { filters: 4 }, x);
  g.node('output', {}, g.node('gap', {}, c));
  const result = compileGraph(bindDataset(g.build(), data));
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
