/**
 * Augmentation in the training loop: every training batch goes through augmentBatch (seen by a spy
 * wrapped around the real function), and no validation image ever does.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { GraphBuilder } from '../../src/core/builder';
import { noAugmentation } from '../../src/core/training/augment';
import { defaultTrainConfig } from '../../src/core/training/settings';
import * as augmentModule from '../../src/data/augment';
import type { ImageDataset } from '../../src/data/dataset';
import { seededRandom } from '../../src/data/random';
import { compileGraph } from '../../src/compile/compile';
import { useNodeBackend } from '../../src/train/node-backend';
import { trainModel } from '../../src/train/trainer';

vi.mock('../../src/data/augment', async (importOriginal) => {
  const real = await importOriginal<typeof augmentModule>();
  return { ...real, augmentBatch: vi.fn(real.augmentBatch) };
});

const spy = vi.mocked(augmentModule.augmentBatch);

beforeAll(async () => {
  await useNodeBackend('wasm');
});

/** Images whose first value is their own id (train 1…n, validation 1001…), so a batch tells whose images it holds. */
function labelledData(train: number, validation: number): ImageDataset<Float32Array> {
  const side = 4;
  const per = side * side;
  const random = seededRandom(2);
  const split = (count: number, first: number) => {
    const images = Float32Array.from({ length: count * per }, () => random());
    for (let i = 0; i < count; i++) images[i * per] = (first + i) / 4096;
    return { count, images, labels: Int32Array.from({ length: count }, (_, i) => i % 2) };
  };
  return {
    name: 'ids',
    classes: ['a', 'b'],
    height: side,
    width: side,
    channels: 1,
    train: split(train, 1),
    validation: split(validation, 1001),
  };
}

function model() {
  const g = new GraphBuilder('tiny');
  const x = g.node('input', { height: 4, width: 4, channels: 1 });
  g.node('output', { classes: 2 }, g.node('gap', {}, g.node('conv', { filters: 2 }, x)));
  const compiled = compileGraph(g.build(), undefined, { seed: 1 });
  if (!compiled.ok) throw new Error('compile');
  return compiled.compiled.model;
}

const config = { ...defaultTrainConfig, epochs: 2, batchSize: 8 };

describe('augmentation in the training loop', () => {
  it('goes through every training batch and never through a validation image', async () => {
    const data = labelledData(20, 12);
    spy.mockClear();
    const m = model();
    // A brightness of exactly 2 doubles each id value, so the ids can be read back from the calls.
    await trainModel(m, data, { ...config, augment: { ...noAugmentation, brightness: [2, 2] } });
    const seen = spy.mock.calls.flatMap(([images]) =>
      Array.from({ length: images.length / 16 }, (_, k) => Math.round((images[k * 16]! * 4096) / 2)),
    );
    // 2 epochs × 3 batches (8, 8, 4 images): every training image twice, no validation image.
    expect(spy).toHaveBeenCalledTimes(6);
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => [i + 1, i + 1]).flat());
    m.dispose();
  });
});
