/**
 * `npm run cli -- train`: trains a graph on the built-in dataset (or `--data`: a folder, IDX files,
 * CIFAR batches) in Node and reports the result. The images are drawn or fitted at the graph's Input
 * size: the graph trains exactly as it is.
 */
import { parseArgs } from 'node:util';
import { runAdvice } from '../core/training/advice';
import { datasetSettingFlags, datasetSettings } from '../core/training/settings';
import { inputSizeOf } from '../core/training/data';
import type { DatasetRequest } from '../core/training/data';
import { describeRequest } from '../core/training/stored-data';
import { ModelSession } from '../session/model-session';
import type { NodeBackend } from '../train/node-backend';
import { useNodeBackend } from '../train/node-backend';
import type { FromWorker } from '../worker/protocol';
import type { Io } from './io';
import { augmentFrom, dataOptions, dataUsage, loadCliData, storedConfigFrom } from './data';
import type { LoadedData } from './data';
import {
  locatedErrors,
  nodeBackendProblem,
  oneGraph,
  settingValue,
  trainConfigFrom,
  trainSettingOptions,
  trainSettingsUsage,
} from './options';
import { readGraphSource } from './source';

const BAR = 24;

function bar(done: number, total: number): string {
  const filled = Math.round((done / total) * BAR);
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}]`;
}

const trainUsage = `usage: npm run cli -- train <graph.json | template> [--backend wasm|cpu] ${trainSettingsUsage()} [--${datasetSettingFlags.trainCount} N] [--${datasetSettingFlags.validationCount} N] ${dataUsage} [--json]`;

export async function trainCommand(
  args: readonly string[],
  io: Io & { progress?(text: string): void },
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      ...trainSettingOptions,
      backend: { type: 'string', default: 'wasm' },
      // Gone: the data follows the graph. Kept to say so rather than "unknown option".
      size: { type: 'string' },
      [datasetSettingFlags.trainCount]: {
        type: 'string',
        default: String(datasetSettings.trainCount.default),
      },
      [datasetSettingFlags.validationCount]: {
        type: 'string',
        default: String(datasetSettings.validationCount.default),
      },
      ...dataOptions,
      json: { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
  const graphArg = oneGraph('train', positionals);
  const backend = values.backend as NodeBackend;
  const config = trainConfigFrom(values);
  const counts = (['trainCount', 'validationCount'] as const).map((key) => {
    const flag = datasetSettingFlags[key];
    const value = settingValue(flag, datasetSettings[key], String((values as Record<string, unknown>)[flag]));
    return typeof value === 'object' ? value.problem : value;
  });
  const gone =
    values.size === undefined
      ? undefined
      : "--size is no longer needed: the images are drawn at the size of the graph's Input node (change that node to train at another size)";
  const augment = augmentFrom(values.augment);
  const stored = storedConfigFrom(values);
  const wrong = [
    'message' in graphArg ? graphArg.message : undefined,
    nodeBackendProblem(values),
    gone,
    config,
    ...counts,
    stored,
    augment !== undefined && 'problem' in augment ? augment.problem : undefined,
  ].find((v) => typeof v === 'string');
  if ('message' in graphArg || typeof config === 'string' || wrong !== undefined) {
    io.err(`${wrong === undefined ? '' : `${String(wrong)}\n`}${trainUsage}`);
    return 2;
  }
  const source = graphArg.graph;
  const [trainCount, validationCount] = counts as [number, number];
  const graph = readGraphSource(source);
  if (!graph.ok) {
    io.err(graph.message);
    return 1;
  }
  let own: LoadedData | undefined;
  if (values.data !== undefined) {
    const target = inputSizeOf(graph.doc) ?? { height: 32, width: 32, channels: 3 };
    const loaded = await loadCliData(
      values.data,
      target,
      stored as Exclude<typeof stored, string>,
      config.seed,
      io,
    );
    if (typeof loaded === 'string') {
      io.err(loaded);
      return 1;
    }
    own = loaded;
  }
  await useNodeBackend(backend);
  const dataset: DatasetRequest = own?.request ?? {
    kind: 'shapes',
    seed: config.seed,
    trainCount,
    validationCount,
  };
  const progress = io.progress ?? (() => undefined);
  const started = performance.now();
  let failure: Extract<FromWorker, { type: 'failed' }> | undefined;
  const session = new ModelSession({
    ...(own !== undefined && { library: own.library }),
    post: (message) => {
      if (message.type === 'failed') failure = message;
      else if (message.type === 'batch') {
        const b = message.report;
        if (b.batch % 5 !== 0 && b.batch !== b.batches) return;
        const done = (b.epoch - 1) * b.batches + b.batch;
        const total = b.batches * config.epochs;
        const elapsed = (performance.now() - started) / 1000;
        const eta = (elapsed / done) * (total - done);
        progress(
          `epoch ${b.epoch}/${config.epochs} ${bar(b.batch, b.batches)} loss ${b.loss.toFixed(3)} acc ${b.accuracy.toFixed(2)} ${b.imagesPerSecond.toFixed(0)} img/s ETA ${eta.toFixed(0)}s`,
        );
      } else if (message.type === 'epoch' && !values.json) {
        const e = message.report;
        io.out(
          `epoch ${e.epoch}: loss ${e.loss.toFixed(4)} acc ${e.accuracy.toFixed(4)} | val loss ${e.valLoss.toFixed(4)} val acc ${e.valAccuracy.toFixed(4)} (${e.seconds.toFixed(1)} s)`,
        );
      }
    },
  });
  try {
    const outcome = await session.train(
      { graph: graph.doc, dataset },
      config,
      augment === undefined || 'problem' in augment ? undefined : augment,
    );
    if (outcome === undefined) {
      io.err(
        failure?.errors === undefined
          ? (failure?.message ?? 'Training did not start.')
          : locatedErrors('trained', failure.errors),
      );
      return 1;
    }
    const last = outcome.epochs.at(-1);
    const data = session.model?.data;
    const advice =
      outcome.status === 'done' ? runAdvice(outcome.epochs, data?.classes.length ?? 0, config) : null;
    const result = {
      status: outcome.status,
      backend,
      data: data && {
        name: data.name,
        described: describeRequest(dataset, own?.info),
        ...(own !== undefined && {
          source: values.data,
          id: own.info.id,
          format: own.info.format,
          fit: own.request.fit,
          split: own.info.ownValidation ? 'own' : 'random',
          validationShare: own.request.validationShare,
          classNames: own.info.classes,
          skipped: own.info.skipped,
        }),
        height: data.height,
        width: data.width,
        channels: data.channels,
        classes: data.classes.length,
        trainImages: data.train.count,
        validationImages: data.validation.count,
      },
      config,
      augment: augment === undefined || 'problem' in augment ? null : augment,
      final: last ?? null,
      epochs: outcome.epochs,
      ...(outcome.status === 'diverged' ? { message: outcome.message } : {}),
      seconds: (performance.now() - started) / 1000,
      ...(advice !== null && { advice }),
    };
    if (advice !== null && !values.json) io.err(advice);
    if (values.json) io.out(JSON.stringify(result, null, 2));
    else if (outcome.status === 'diverged') io.err(outcome.message);
    else if (last)
      io.out(
        `final: train loss ${last.loss.toFixed(4)}, train accuracy ${last.accuracy.toFixed(4)}, validation loss ${last.valLoss.toFixed(4)}, validation accuracy ${last.valAccuracy.toFixed(4)}`,
      );
    return outcome.status === 'diverged' ? 1 : 0;
  } finally {
    session.dispose();
  }
}
