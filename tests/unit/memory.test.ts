import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../src/compile/compile';
import { analyzeGraph } from '../../src/core/analyze';
import { shapesFor } from './support/graphs';
import { defaultTrainConfig } from '../../src/core/training/settings';
import {
  estimateTrainingMemory,
  formatBytes,
  isOutOfMemory,
  outOfMemoryMessage,
} from '../../src/core/training/memory';
import { trainModel } from '../../src/train/trainer';
import { loadGraph } from '../../src/core/load';
import { findTemplate } from '../../templates';
import { beforeAll } from 'vitest';
import { useNodeBackend } from '../../src/train/node-backend';

function templateGraph(name: string) {
  const loaded = loadGraph(findTemplate(name)!.document);
  if (!loaded.ok) throw new Error(name);
  return loaded.doc;
}

beforeAll(() => useNodeBackend('wasm'));

describe('training memory', () => {
  it.each([
    ['starter-cnn', 32],
    ['resnet-20', 8],
    ['tiny-vgg', 16],
  ])(
    "%s at batch %i: within a factor of two of tfjs' measured peak while training",
    async (name, batchSize) => {
      const doc = templateGraph(name);
      const data = shapesFor(doc, { trainCount: batchSize, validationCount: 4 });
      const config = { ...defaultTrainConfig, batchSize, epochs: 1 };
      const estimate = estimateTrainingMemory(analyzeGraph(doc), config);
      const compiled = compileGraph(doc);
      if (!compiled.ok) throw new Error('compile');
      const { model } = compiled.compiled;
      const before = tf.memory().numBytes;
      const profile = await tf.profile(async () => {
        await trainModel(model, data, config);
        return [];
      });
      // Peak bytes in use during the run, counting what was there before it.
      const measured = profile.peakBytes + before;
      expect(estimate.total).toBeGreaterThan(measured / 2);
      expect(estimate.total).toBeLessThan(measured * 2);
      model.dispose();
    },
    60_000,
  );

  it('recognises out-of-memory errors from the backends', () => {
    expect(isOutOfMemory(new Error("Failed to execute 'createBuffer' on 'GPUDevice': out of memory"))).toBe(
      true,
    );
    expect(isOutOfMemory(new RangeError('Array buffer allocation failed'))).toBe(true);
    expect(isOutOfMemory(new Error('Aborted(). memory access out of bounds'))).toBe(true);
    expect(isOutOfMemory(new Error('Error in matMul: inner shapes (3) and (4) do not match'))).toBe(false);
  });

  it('says how much was needed, where it goes, and what to change', () => {
    const big = analyzeGraph(templateGraph('lesson-resnet34-pets'));
    const config = { ...defaultTrainConfig, batchSize: 64 };
    const estimate = estimateTrainingMemory(big, config);
    const text = outOfMemoryMessage('webgl', estimate, config, 'allocation failed');
    expect(text).toContain(`needs about ${formatBytes(estimate.total)}`);
    expect(text).toMatch(/most of it is activations .* at batch 64.*try batch 16, or a smaller input image/);
    expect(text).toContain('Your graph is unchanged');
  });
});
