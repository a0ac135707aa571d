import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImageDataset } from '../../src/data/dataset';
import { batchPixels, imageFloats } from '../../src/data/dataset';
import { DATASET_BYTES_LIMIT, datasetSizeProblem } from '../../src/data/limits';
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
  it('fits 50,000 32×32×3 images as bytes but not as float32, and says what would fit', () => {
    expect(datasetSizeProblem(50_000, 32, 32, 3)).toBeNull();
    expect(datasetSizeProblem(50_000, 32, 32, 3, 4)).toBe(
      '50,000 images of 32×32×3 need 614 MB, more than the 537 MB a dataset may hold in memory; at this size 43,690 images fit. Use fewer images or a smaller input size.',
    );
    expect(Math.floor(DATASET_BYTES_LIMIT / (32 * 32 * 3 * 4))).toBe(43_690);
  });

  it('applies to the built-in shapes (float32, four bytes a value) before they are drawn', () => {
    expect(() => shapesDataset({ trainCount: 50_000, validationCount: 1000 })).toThrow(
      /51,000 images of 32×32×3 need 627 MB/,
    );
  });
});
