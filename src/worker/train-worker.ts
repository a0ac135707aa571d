/// <reference lib="webworker" />
/**
 * The training worker: all TensorFlow.js work happens here, so the page never waits on it.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-layers';
import { compileGraph } from '../compile/compile';
import { bindDataset } from '../data/bind';
import { shapesDataset } from '../data/shapes';
import { selectBackend } from '../train/backend-select';
import { validationResults } from '../train/results';
import { trainModel } from '../train/trainer';
import type { ImageDataset } from '../data/dataset';
import type { TrainConfig } from '../train/config';
import type { FromWorker, ToWorker } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
});
// Threaded wasm hangs in production builds (its helper workers die): one thread is what we get anyway.
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
tf.env().set('PROD', true);

const post = (message: FromWorker) => self.postMessage(message);

let ready: Promise<void> | undefined;
/** The last trained model and its data, kept for "train more epochs". */
let last: { model: tfl.LayersModel; data: ImageDataset; epochs: number } | undefined;
let paused: { promise: Promise<void>; resolve(): void } | undefined;
let stopRequested = false;

function init(choice: Extract<ToWorker, { type: 'init' }>['backend']): Promise<void> {
  ready = selectBackend(choice).then(
    (selected) => post({ type: 'backend', ...selected }),
    (e: unknown) =>
      post({ type: 'failed', kind: 'backend', message: e instanceof Error ? e.message : String(e) }),
  );
  return ready;
}

async function train(message: Extract<ToWorker, { type: 'train' }>): Promise<void> {
  await (ready ?? init('auto'));
  stopRequested = false;
  const data = shapesDataset({ seed: message.dataset.seed, size: message.dataset.size });
  const compiled = compileGraph(bindDataset(message.graph, data));
  if (!compiled.ok) {
    post({ type: 'failed', kind: 'compile', message: compiled.errors.map((e) => e.message).join(' ') });
    return;
  }
  const { model } = compiled.compiled;
  post({
    type: 'compiled',
    trainable: model.countParams(),
    batches: Math.ceil(data.train.count / message.config.batchSize),
  });
  last?.model.dispose();
  last = { model, data, epochs: 0 };
  await run(message.config);
}

/** Trains the kept model; posts progress, then the outcome and the validation results. */
async function run(config: TrainConfig): Promise<void> {
  if (last === undefined) return;
  const current = last;
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
        onEpoch: (report) => post({ type: 'epoch', report }),
        shouldStop: () => stopRequested,
      },
      current.epochs,
    );
    current.epochs += outcome.epochs.length;
    if (outcome.status === 'diverged') post({ type: 'failed', kind: 'diverged', message: outcome.message });
    else {
      post({ type: 'finished', stopped: outcome.status === 'stopped' });
      const results = validationResults(current.model, current.data);
      self.postMessage(
        { type: 'results', results } satisfies FromWorker,
        results.topLosses.map((t) => t.image.buffer as ArrayBuffer),
      );
    }
  } catch (e) {
    const text = e instanceof Error ? e.message : String(e);
    const memory = /memory|allocation|OOM/i.test(text);
    post({
      type: 'failed',
      kind: memory ? 'out-of-memory' : 'crash',
      message: memory
        ? `The backend ran out of memory (${text}). Try a smaller batch size or a smaller input image.`
        : `Training stopped with an error: ${text}`,
    });
  }
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
      void run(message.config);
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
