/**
 * Loss-surface costs in Node: `npm run bench:surface`.
 * 1. A slice against grid² evaluations of its subset back to back, per backend (the goal: at most
 *    1.1×), alternated and best of two each, since the machine's load changes.
 * 2. A 21×21 slice of the Starter CNN on 256 images on wasm (the goal: under 30 s).
 * 3. The classroom comparison end to end on wasm (both trainings and an 11×11 slice each; the goal:
 *    under 5 minutes, with the plain network's training loss ending higher than its twin's).
 * 4. One evaluation of 256 images on wasm with tfjs' own batch-norm kernel and with the added
 *    one (src/train/kernels/batchnorm-inference.ts), alternated.
 * `npx tsx bench/surface.ts ratio|starter|classroom|batchnorm` runs one part.
 */
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs-core';
import { renderTable } from '../src/cli/table';
import { loadGraph } from '../src/core/load';
import { defaultSliceConfig } from '../src/core/surface/settings';
import { defaultTrainConfig } from '../src/core/training/settings';
import { shapesDataset } from '../src/data/shapes';
import { runSide } from '../src/session/compare';
import { prepareModel } from '../src/session/prepare';
import { SubsetEvaluator } from '../src/surface/evaluator';
import { computeSurface } from '../src/surface/service';
import { useNodeBackend } from '../src/train/node-backend';
import type { NodeBackend } from '../src/train/node-backend';
import { findTemplate } from '../templates';
import { CLASSROOM, findPreset } from '../templates/pairs';

const starter = () => {
  const loaded = loadGraph(findTemplate('starter-cnn')!.document);
  if (!loaded.ok) throw new Error('Starter CNN does not load');
  return loaded.doc;
};

function prepared(samples: number) {
  const data = shapesDataset({
    seed: 1,
    height: 32,
    width: 32,
    channels: 3,
    trainCount: 64,
    validationCount: samples,
  });
  const result = prepareModel(starter(), data, { seed: 1, forTraining: true });
  if (!result.ok) throw new Error('Starter CNN does not compile');
  return { ...result.prepared, data: result.prepared.data! };
}

/** Seconds for `count` evaluations back to back, the model as it is. */
async function evaluations(
  model: Parameters<SubsetEvaluator['evaluate']>[0],
  evaluator: SubsetEvaluator,
  count: number,
) {
  const t0 = performance.now();
  for (let i = 0; i < count; i++) await evaluator.evaluate(model);
  return (performance.now() - t0) / 1000;
}

/**
 * Each configuration alternates a slice with grid² plain evaluations, `rounds` times, and keeps the
 * best of each: both see the same machine load (it is shared and busy).
 */
async function ratio(rounds = 2): Promise<string[][]> {
  const rows: string[][] = [];
  for (const [backend, grid, samples] of [
    ['wasm', 11, 256],
    ['wasm', 21, 256],
    ['cpu', 11, 32],
  ] as const) {
    await useNodeBackend(backend as NodeBackend);
    const { model, data } = prepared(samples);
    const evaluator = new SubsetEvaluator(data, samples);
    await evaluator.evaluate(model); // warm-up
    let [plain, slice] = [Infinity, Infinity];
    for (let r = 0; r < rounds; r++) {
      plain = Math.min(plain, await evaluations(model, evaluator, grid * grid));
      const t0 = performance.now();
      const result = await computeSurface(
        { model, data },
        { ...defaultSliceConfig, kind: 'random', grid, samples },
      );
      if (!result.ok) throw new Error(result.message);
      slice = Math.min(slice, (performance.now() - t0) / 1000);
    }
    evaluator.dispose();
    model.dispose();
    rows.push([
      backend,
      `${grid}×${grid}`,
      String(samples),
      ((plain / (grid * grid)) * 1000).toFixed(1),
      plain.toFixed(2),
      slice.toFixed(2),
      (slice / plain).toFixed(3),
    ]);
    console.error(rows.at(-1)!.join(' '));
  }
  return rows;
}

async function classroom(): Promise<void> {
  await useNodeBackend('wasm');
  const preset = findPreset(CLASSROOM)!;
  const config = { ...defaultTrainConfig, ...preset.train };
  const slice = { ...defaultSliceConfig, ...preset.slice, kind: 'random' as const };
  const started = performance.now();
  const results = [];
  for (const graph of preset.graphs()) {
    const r = await runSide(
      { graph, dataset: { kind: 'shapes', seed: config.seed, ...preset.data } },
      config,
      slice,
    );
    const last = r.epochs.at(-1)!;
    console.error(`${r.name}: training ${r.trainSeconds.toFixed(1)} s, slice ${r.sliceSeconds.toFixed(1)} s`);
    results.push([
      r.name,
      last.loss.toFixed(3),
      `${(last.accuracy * 100).toFixed(0)}%`,
      last.valLoss.toFixed(3),
      `${(last.valAccuracy * 100).toFixed(0)}%`,
      r.trainSeconds.toFixed(1),
      r.sliceSeconds.toFixed(1),
    ]);
  }
  const total = (performance.now() - started) / 1000;
  console.log(
    `\nClassroom comparison (${preset.title}; ${config.epochs} epochs on ${preset.data.trainCount} images, ${slice.grid}×${slice.grid} slices on ${slice.samples} images), wasm:`,
  );
  console.log(
    renderTable(
      ['network', 'train loss', 'train acc', 'val loss', 'val acc', 'training s', 'slice s'],
      results,
      ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
    ),
  );
  const [plain, residual] = results.map((r) => Number(r[1]));
  console.log(
    `total ${total.toFixed(0)} s (goal under 300 s); the plain network's training loss ends ${plain! > residual! ? 'higher' : 'NOT higher'} than its twin's (${plain} against ${residual})`,
  );
}

/** ms per evaluation of 256 images with tfjs' FusedBatchNorm and with the added one, alternated. */
async function batchNormKernels(rounds = 5): Promise<void> {
  await useNodeBackend('wasm', { kernels: false });
  const stock = tf.getKernel('FusedBatchNorm', 'wasm')!;
  await useNodeBackend('wasm');
  const added = tf.getKernel('FusedBatchNorm', 'wasm')!;
  const { model, data } = prepared(256);
  const evaluator = new SubsetEvaluator(data, 256);
  const best = { stock: Infinity, added: Infinity };
  for (let r = 0; r < rounds; r++)
    for (const [name, kernel] of [
      ['stock', stock],
      ['added', added],
    ] as const) {
      tf.registerKernel(kernel);
      await evaluator.evaluate(model);
      best[name] = Math.min(best[name], ((await evaluations(model, evaluator, 10)) / 10) * 1000);
    }
  tf.registerKernel(added);
  evaluator.dispose();
  model.dispose();
  console.log(
    `\nOne evaluation of the Starter CNN on 256 images, wasm (best of ${rounds} alternated rounds): ` +
      `${best.stock.toFixed(1)} ms with tfjs' batch norm, ${best.added.toFixed(1)} ms with the added one`,
  );
}

const part = process.argv[2];
if (part === undefined || part === 'ratio') {
  const rows = await ratio();
  console.log('\nSlice time against grid² × one evaluation of the subset (Starter CNN, initial weights):');
  console.log(
    renderTable(
      [
        'backend',
        'grid',
        'images',
        'one evaluation ms',
        'grid² evaluations s',
        'slice s',
        'slice / evaluations',
      ],
      rows,
      ['left', 'left', 'right', 'right', 'right', 'right', 'right'],
    ),
  );
}
if (part === undefined || part === 'starter') {
  await useNodeBackend('wasm');
  const { model, data } = prepared(256);
  const t0 = performance.now();
  await computeSurface({ model, data }, { ...defaultSliceConfig, kind: 'random', grid: 21, samples: 256 });
  console.log(
    `\n21×21 slice of the Starter CNN on 256 images, wasm: ${((performance.now() - t0) / 1000).toFixed(1)} s (goal under 30 s)`,
  );
  model.dispose();
}
if (part === undefined || part === 'classroom') await classroom();
if (part === undefined || part === 'batchnorm') await batchNormKernels();
