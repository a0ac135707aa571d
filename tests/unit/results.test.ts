import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../src/compile/compile';
import { GraphBuilder } from '../../src/core/builder';
import { shapesDataset } from '../../src/data/shapes';
import { useNodeBackend } from '../../src/train/node-backend';
import { confusionMatrix, perClassAccuracy } from '../../src/core/training/reports';
import { validationResults } from '../../src/train/results';

beforeAll(async () => {
  await useNodeBackend('wasm');
});

describe('validation results', () => {
  it('count a confusion matrix and per-class accuracy by hand-checked example', () => {
    const m = confusionMatrix([0, 0, 1, 1, 1, 2], [0, 1, 1, 1, 2, 2], 3);
    expect(m).toEqual([
      [1, 1, 0],
      [0, 2, 1],
      [0, 0, 1],
    ]);
    expect(perClassAccuracy(m)).toEqual([0.5, 2 / 3, 1]);
  });

  it('agree with the model: matrix totals, accuracy, and the worst images sorted by loss', async () => {
    const data = shapesDataset({ size: 8, trainCount: 10, validationCount: 50 });
    const g = new GraphBuilder('t');
    const x = g.node('input', { height: 8, width: 8 });
    g.node('output', {}, g.node('gap', {}, g.node('conv', { filters: 4 }, x)));
    const compiled = compileGraph(g.build());
    if (!compiled.ok) throw new Error('compile');
    const { model } = compiled.compiled;
    const r = await validationResults(model, data, 5);
    expect(r.confusion.flat().reduce((a, b) => a + b, 0)).toBe(50);
    r.confusion.forEach((row) => expect(row.reduce((a, b) => a + b, 0)).toBe(5)); // balanced: 5 per class
    // The diagonal is the accuracy model.predict gives directly.
    const direct = tf.tidy(() => {
      const x = tf.tensor4d(data.validation.images, [50, 8, 8, 3]);
      const p = tf.argMax(model.predict(x) as tf.Tensor, 1).dataSync();
      return Array.from(p).filter((v, i) => v === data.validation.labels[i]).length;
    });
    expect(r.confusion.reduce((s, row, i) => s + row[i]!, 0)).toBe(direct);
    expect(r.topLosses).toHaveLength(5);
    for (let i = 1; i < 5; i++) expect(r.topLosses[i - 1]!.loss).toBeGreaterThanOrEqual(r.topLosses[i]!.loss);
    expect(r.topLosses[0]!.image).toHaveLength(8 * 8 * 3);
    model.dispose();
  });
});
