/// <reference lib="webworker" />
/**
 * The training worker: all TensorFlow.js work happens here, so the page never waits on it. It keeps
 * the last trained model (for "train more", downloads and inspection) and saves its weights to
 * IndexedDB after every epoch, so neither a reload nor a crash loses them.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { compileGraph } from '../compile/compile';
import { describeWeightProblems, loadSavedWeights } from '../compile/weights';
import type { GraphAnalysis } from '../core/analyze';
import type { GraphDocument } from '../core/document';
import { modelKey } from '../core/structure';
import { bindDataset } from '../data/bind';
import type { ImageDataset } from '../data/dataset';
import { shapesDataset } from '../data/shapes';
import { selectBackend } from '../train/backend-select';
import { setUpBrowserTfjs } from '../train/browser-setup';
import type { TrainConfig } from '../core/training/settings';
import { CPU_CHECK_TOLERANCE } from '../core/training/cpu-check';
import { checkAgainstCpu } from '../train/cpu-check';
import { estimateTrainingMemory, isOutOfMemory, outOfMemoryMessage } from '../core/training/memory';
import type { TrainedMeta } from '../model-files/types';
import { validationResults } from '../train/results';
import { trainingBlockers } from '../train/trainability';
import { fetchWeights, savedWeightsOf, storeWeights, toArtifacts } from '../train/saved-weights';
import type { EpochReport } from '../core/training/reports';
import { trainModel } from '../train/trainer';
import type { DatasetRequest, FromWorker, ModelRequest, ToWorker } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

setUpBrowserTfjs();

const post = (message: FromWorker, transfer: Transferable[] = []) => self.postMessage(message, transfer);
const text = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The CPU comparison runs when one forward pass of a few images costs at most this many FLOPs. */
const CPU_CHECK_FLOPS = 2e9;

let ready: Promise<void> | undefined;
interface Held {
  readonly model: tfl.LayersModel;
  readonly data: ImageDataset;
  readonly analysis: GraphAnalysis;
  readonly key: string;
  readonly batchesPerEpoch: number;
  config: TrainConfig;
  epochReports: EpochReport[];
}
/** The last trained (or restored, or loaded) model. */
let held: Held | undefined;
let paused: { promise: Promise<void>; resolve(): void } | undefined;
let stopRequested = false;
let saveWarned = false;

function init(choice: Extract<ToWorker, { type: 'init' }>['backend']): Promise<void> {
  ready = selectBackend(choice).then(
    (selected) => post({ type: 'backend', ...selected }),
    (e: unknown) => post({ type: 'failed', kind: 'backend', message: text(e) }),
  );
  return ready;
}

let cachedData: { request: string; data: ImageDataset } | undefined;
function datasetFor(request: DatasetRequest): ImageDataset {
  const id = JSON.stringify(request);
  if (cachedData?.request !== id)
    cachedData = {
      request: id,
      data: shapesDataset({
        seed: request.seed,
        size: request.size,
        trainCount: request.trainCount,
        validationCount: request.validationCount,
      }),
    };
  return cachedData.data;
}

interface PrepareOptions {
  readonly batchSize: number;
  /** Refuse graphs tfjs cannot train, and draw the initial weights from this seed. */
  readonly training?: { readonly seed: number };
}

/** Compiles the graph bound to its data; the model is not yet anyone's. */
function prepare(request: ModelRequest, { batchSize, training }: PrepareOptions) {
  const data = datasetFor(request.dataset);
  const bound = bindDataset(request.graph, data);
  const compiled = compileGraph(bound, undefined, training ?? {});
  if (!compiled.ok) return { ok: false as const, message: compiled.errors.map((e) => e.message).join(' ') };
  const blockers = training ? trainingBlockers(compiled.compiled) : [];
  if (blockers.length > 0) {
    compiled.compiled.model.dispose();
    return { ok: false as const, message: blockers.map((b) => b.message).join(' ') };
  }
  return {
    ok: true as const,
    bound,
    held: {
      model: compiled.compiled.model,
      data,
      analysis: compiled.compiled.analysis,
      key: modelKey(request.graph, request.dataset.size),
      batchesPerEpoch: Math.ceil(data.train.count / batchSize),
    },
  };
}

function hold(next: Held): void {
  if (held !== undefined && held.model !== next.model) held.model.dispose();
  held = next;
}

const trainedMeta = (h: Held): TrainedMeta => ({
  key: h.key,
  config: h.config,
  epochReports: h.epochReports,
  batchesPerEpoch: h.batchesPerEpoch,
});

async function save(h: Held): Promise<void> {
  try {
    await storeWeights(h.model, trainedMeta(h));
  } catch (e) {
    if (!saveWarned)
      post({
        type: 'notice',
        level: 'error',
        message: `The trained weights could not be saved in this browser (${text(e)}); download them to keep them.`,
      });
    saveWarned = true;
  }
}

async function postResults(h: Held): Promise<void> {
  const results = await validationResults(h.model, h.data);
  post(
    { type: 'results', results },
    results.topLosses.map((t) => t.image.buffer as ArrayBuffer),
  );
}

/** On a GPU backend, compares the new model's forward pass with the CPU's and reports it. */
async function crossCheck(h: Held, bound: GraphDocument): Promise<void> {
  const backend = tf.getBackend();
  if ((backend !== 'webgpu' && backend !== 'webgl') || h.analysis.totals.flops * 4 > CPU_CHECK_FLOPS) return;
  try {
    const check = await checkAgainstCpu(h.model, bound, h.data);
    post({ type: 'checked', check });
    if (check.maxDifference > CPU_CHECK_TOLERANCE)
      post({
        type: 'notice',
        level: 'error',
        message: `${backend} computes this network differently from the CPU (probabilities differ by up to ${check.maxDifference.toPrecision(2)}). Its training may not be trustworthy here: try ?backend=wasm.`,
      });
  } catch (e) {
    post({
      type: 'notice',
      level: 'info',
      message: `The ${backend} result could not be compared with the CPU (${text(e)}).`,
    });
  }
}

async function train(message: Extract<ToWorker, { type: 'train' }>): Promise<void> {
  await (ready ?? init('auto'));
  stopRequested = false;
  const prepared = prepare(message, {
    batchSize: message.config.batchSize,
    training: { seed: message.config.seed },
  });
  if (!prepared.ok) {
    post({ type: 'failed', kind: 'compile', message: prepared.message });
    return;
  }
  const next: Held = { ...prepared.held, config: message.config, epochReports: [] };
  hold(next);
  post({ type: 'compiled', trainable: next.model.countParams(), batches: next.batchesPerEpoch });
  await crossCheck(next, prepared.bound);
  await run(next, message.config);
}

/** Trains the held model; posts progress, then the outcome and the validation results. */
async function run(current: Held, config: TrainConfig): Promise<void> {
  try {
    const outcome = await trainModel(
      current.model,
      current.data,
      config,
      {
        onBatch: async (report) => {
          post({ type: 'batch', report });
          // Let pause/stop messages in between batches.
          await new Promise((resolve) => setTimeout(resolve, 0));
          while (paused && !stopRequested) await paused.promise;
        },
        onEpoch: async (report) => {
          current.epochReports = [...current.epochReports, report];
          current.config = { ...config, epochs: current.epochReports.length };
          post({ type: 'epoch', report });
          await save(current);
        },
        shouldStop: () => stopRequested,
      },
      current.epochReports.length,
    );
    if (outcome.status === 'diverged') post({ type: 'failed', kind: 'diverged', message: outcome.message });
    else {
      post({ type: 'finished', stopped: outcome.status === 'stopped' });
      await postResults(current);
    }
  } catch (e) {
    const memory = isOutOfMemory(e);
    post({
      type: 'failed',
      kind: memory ? 'out-of-memory' : 'crash',
      message: memory
        ? outOfMemoryMessage(
            tf.getBackend(),
            estimateTrainingMemory(current.analysis, config),
            config,
            text(e),
          )
        : `Training stopped with an error: ${text(e)}. Your graph is unchanged${current.epochReports.length > 0 ? ' and the weights from the last finished epoch are saved' : ''}.`,
    });
  }
}

/** Brings back weights saved in this browser for exactly this graph and data. */
async function restore(message: Extract<ToWorker, { type: 'restore' }>): Promise<void> {
  await ready;
  const key = modelKey(message.graph, message.dataset.size);
  if (held?.key === key) return;
  let saved: Awaited<ReturnType<typeof fetchWeights>>;
  try {
    saved = await fetchWeights(key);
  } catch {
    return; // No storage (private mode, blocked): nothing to restore.
  }
  if (saved === undefined) return;
  const prepared = prepare(message, { batchSize: saved.meta.config.batchSize });
  if (!prepared.ok) return;
  const applied = loadSavedWeights(prepared.held.model, savedWeightsOf(saved));
  if (!applied.ok) {
    prepared.held.model.dispose();
    return;
  }
  const next: Held = {
    ...prepared.held,
    config: saved.meta.config,
    epochReports: [...saved.meta.epochReports],
  };
  hold(next);
  post({ type: 'restored', key, meta: trainedMeta(next), source: 'restored' });
  await postResults(next);
}

/** Puts a model file's weights into the current graph, when every weight fits. */
async function load(message: Extract<ToWorker, { type: 'load' }>, config: TrainConfig): Promise<void> {
  await ready;
  const prepared = prepare(message, { batchSize: config.batchSize });
  if (!prepared.ok) {
    post({
      type: 'notice',
      level: 'error',
      message: `The graph cannot take weights yet: ${prepared.message}`,
    });
    return;
  }
  const applied = loadSavedWeights(prepared.held.model, message.weights);
  if (!applied.ok) {
    prepared.held.model.dispose();
    post({
      type: 'notice',
      level: 'error',
      message: `The weights in ${message.source} do not fit this graph: ${describeWeightProblems(applied)}. To open that model's own architecture, use Import in the top bar.`,
    });
    return;
  }
  const next: Held = { ...prepared.held, config, epochReports: [] };
  hold(next);
  post({ type: 'restored', key: next.key, meta: trainedMeta(next), source: 'loaded' });
  await save(next);
  await postResults(next);
}

async function exportModel(): Promise<void> {
  if (held === undefined) {
    post({ type: 'notice', level: 'error', message: 'There is no trained model to download yet.' });
    post({ type: 'exported', artifacts: null });
    return;
  }
  const artifacts = await toArtifacts(held.model, trainedMeta(held));
  post({ type: 'exported', artifacts }, [artifacts.weightData]);
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  switch (message.type) {
    case 'init':
      void init(message.backend);
      break;
    case 'train':
      void train(message);
      break;
    case 'continue':
      stopRequested = false;
      if (held) void run(held, message.config);
      break;
    case 'restore':
      void restore(message);
      break;
    case 'load':
      void load(message, message.config);
      break;
    case 'export':
      void exportModel();
      break;
    case 'pause':
      if (!paused) {
        let resolve = () => {};
        const promise = new Promise<void>((r) => (resolve = r));
        paused = { promise, resolve };
      }
      break;
    case 'resume':
      paused?.resolve();
      paused = undefined;
      break;
    case 'stop':
      stopRequested = true;
      paused?.resolve();
      paused = undefined;
      break;
  }
};
