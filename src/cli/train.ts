/** `npm run cli -- train`: trains a graph on the built-in dataset in Node and reports the result. */
import { parseArgs } from 'node:util';
import { compileGraph } from '../compile/compile';
import { bindDataset } from '../data/bind';
import { shapesDataset } from '../data/shapes';
import { defaultTrainConfig } from '../core/training/settings';
import { trainModel } from '../train/trainer';
import { trainingBlockers } from '../train/trainability';
import type { Io } from './main';
import { datasetOptionsFrom, locatedErrors, nodeBackendProblem, oneGraph, trainConfigFrom } from './options';
import { readGraphSource } from './source';
import type { NodeBackend } from '../train/node-backend';
import { useNodeBackend } from '../train/node-backend';

const BAR = 24;

function bar(done: number, total: number): string {
  const filled = Math.round((done / total) * BAR);
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}]`;
}

const trainUsage =
  'usage: npm run cli -- train <graph.json | template> --epochs N [--backend wasm|cpu] [--lr X] [--batch N] [--optimizer sgd|adam|adamw] [--seed N] [--size PX] [--train-images N] [--val-images N] [--json]';

export async function trainCommand(
  args: readonly string[],
  io: Io & { progress?(text: string): void },
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      epochs: { type: 'string', default: String(defaultTrainConfig.epochs) },
      backend: { type: 'string', default: 'wasm' },
      lr: { type: 'string' },
      batch: { type: 'string' },
      optimizer: { type: 'string' },
      seed: { type: 'string' },
      size: { type: 'string' },
      'train-images': { type: 'string' },
      'val-images': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
  const graphArg = oneGraph('train', positionals);
  const config = trainConfigFrom(values);
  const dataset = datasetOptionsFrom(values);
  const wrong = [
    'message' in graphArg ? graphArg.message : null,
    nodeBackendProblem(values),
    config,
    dataset,
  ];
  if (
    'message' in graphArg ||
    typeof config === 'string' ||
    typeof dataset === 'string' ||
    wrong.some((w) => typeof w === 'string')
  ) {
    io.err(`${wrong.filter((w) => typeof w === 'string').join('\n')}\n${trainUsage}`);
    return 2;
  }
  const backend = values.backend as NodeBackend;
  const source = graphArg.graph;
  const { size, trainCount, validationCount } = dataset;
  const graph = readGraphSource(source);
  if (!graph.ok) {
    io.err(graph.message);
    return 1;
  }
  await useNodeBackend(backend);
  const data = shapesDataset({ seed: config.seed, size, trainCount, validationCount });
  const compiled = compileGraph(bindDataset(graph.doc, data), undefined, { seed: config.seed });
  if (!compiled.ok) {
    io.err(locatedErrors('trained', compiled.errors));
    return 1;
  }
  const blockers = trainingBlockers(compiled.compiled);
  if (blockers.length > 0) {
    io.err(locatedErrors('trained', blockers));
    compiled.compiled.model.dispose();
    return 1;
  }
  const progress = io.progress ?? (() => undefined);
  const started = performance.now();
  const outcome = await trainModel(compiled.compiled.model, data, config, {
    onBatch: (b) => {
      if (b.batch % 5 !== 0 && b.batch !== b.batches) return;
      const done = (b.epoch - 1) * b.batches + b.batch;
      const total = b.batches * config.epochs;
      const elapsed = (performance.now() - started) / 1000;
      const eta = (elapsed / done) * (total - done);
      progress(
        `epoch ${b.epoch}/${config.epochs} ${bar(b.batch, b.batches)} loss ${b.loss.toFixed(3)} acc ${b.accuracy.toFixed(2)} ${b.imagesPerSecond.toFixed(0)} img/s ETA ${eta.toFixed(0)}s`,
      );
    },
    onEpoch: (e) => {
      if (!values.json)
        io.out(
          `epoch ${e.epoch}: loss ${e.loss.toFixed(4)} acc ${e.accuracy.toFixed(4)} | val loss ${e.valLoss.toFixed(4)} val acc ${e.valAccuracy.toFixed(4)} (${e.seconds.toFixed(1)} s)`,
        );
    },
  });
  const last = outcome.epochs.at(-1);
  const result = {
    status: outcome.status,
    backend,
    dataset: data.name,
    config,
    final: last ?? null,
    epochs: outcome.epochs,
    ...(outcome.status === 'diverged' ? { message: outcome.message } : {}),
    seconds: (performance.now() - started) / 1000,
  };
  if (values.json) io.out(JSON.stringify(result, null, 2));
  else if (outcome.status === 'diverged') io.err(outcome.message);
  else if (last)
    io.out(
      `final: train loss ${last.loss.toFixed(4)}, train accuracy ${last.accuracy.toFixed(4)}, validation loss ${last.valLoss.toFixed(4)}, validation accuracy ${last.valAccuracy.toFixed(4)}`,
    );
  compiled.compiled.model.dispose();
  return outcome.status === 'diverged' ? 1 : 0;
}
