import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImageDataset } from '../../src/data/dataset';
import { batchPixels, imageFloats } from '../../src/data/dataset';
import { DATASET_BYTES_LIMIT } from '../../src/core/training/data';
import { datasetSizeProblem } from '../../src/data/limits';
import { shapesDataset } from '../../src/data/shapes';
import { useCpuBackend } from '../../src/train/node-backend';
import { batchOf } from '../../src/train/trainer';

beforeAll(async () => {
  await useCpuBackend();
});

// Two 1×2 greyscale images stored as bytes.
const bytes: ImageDataset<Uint8Array> = {
  name: 't',
  classes: ['a', 'b'],
  height: 1,
  width: 2,
  channels: 1,
  train: { count: 2, images: Uint8Array.from([0, 51, 255, 128]), labels: Int32Array.from([1, 0]) },
  validation: { count: 0, images: new Uint8Array(0), labels: new Int32Array(0) },
};

describe('byte datasets', () => {
  it('become float32 value / 255 one batch at a time, in the order asked for', () => {
    const batch = batchPixels(bytes.train, [1, 0], 2);
    expect(Array.from(batch)).toEqual([1, Math.fround(128 / 255), 0, Math.fround(0.2)]);
    expect(Array.from(imageFloats(bytes.train, 1, 2))).toEqual([1, Math.fround(128 / 255)]);
  });

  it('reach the model as the same floats through batchOf, and float datasets pass through unchanged', () => {
    const { x, y } = batchOf(bytes.train, bytes, [1, 0]);
    expect(x.shape).toEqual([2, 1, 2, 1]);
    expect(Array.from(x.dataSync())).toEqual([1, Math.fround(128 / 255), 0, Math.fround(0.2)]);
    expect(Array.from(y.dataSync())).toEqual([0, 1]);
    tf.dispose([x, y]);
    const shapes = shapesDataset({ size: 4, trainCount: 3, validationCount: 1 });
    const floats = batchOf(shapes.train, shapes, [2]);
    expect(Array.from(floats.x.dataSync())).toEqual(Array.from(shapes.train.images.subarray(2 * 48, 3 * 48)));
    tf.dispose([floats.x, floats.y]);
  });
});

describe('the dataset memory limit', () => {
  it('holds four times the images as bytes that it holds as float32, and says what would fit', () => {
    // 1 GiB: 349,525 images of 32×32×3 as bytes, 87,381 as float32.
    expect(datasetSizeProblem(349_525, 32, 32, 3)).toBeNull();
    expect(datasetSizeProblem(87_381, 32, 32, 3, 4)).toBeNull();
    expect(datasetSizeProblem(87_382, 32, 32, 3, 4)).toBe(
      '87,382 images of 32×32×3 need 1.00001 GB, more than the 1 GB a dataset may hold in memory; at this size 87,381 images fit. Use fewer images or a smaller input size.',
    );
    expect(datasetSizeProblem(400_000, 32, 32, 3)).toMatch(
      /^400,000 images of 32×32×3 need 1.14 GB, more than the 1 GB .* 349,525 images fit/,
    );
    expect(Math.floor(DATASET_BYTES_LIMIT / (32 * 32 * 3))).toBe(349_525);
  });
});
