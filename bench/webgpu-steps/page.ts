/**
 * What one training step asks of WebGPU, counted inside tfjs-webgpu and the GPU device: dispatches,
 * uploads (each into a newly created buffer), buffers created, queue submits, reads, pipelines
 * compiled; and the wall time of the first step and of later ones. bench/webgpu-steps.ts opens
 * this page once per network and kernel set.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgpu';
// Gradients: tfjs-layers registers every op's gradient when it loads.
import '@tensorflow/tfjs-layers';
import { compileGraph } from '../../src/compile/compile';
import { loadGraph } from '../../src/core/load';
import { inputSizeOf } from '../../src/core/training/data';
import { defaultTrainConfig } from '../../src/core/training/settings';
import { shapesDataset } from '../../src/data/shapes';
import { registerTrainingKernels } from '../../src/train/kernels';
import { batchNormGradient } from '../../src/train/kernels/batchnorm-gradient';
import { batchNormTrainingGradient } from '../../src/train/kernels/batchnorm-training';
import { reluGradient } from '../../src/train/kernels/relu-gradient';
import { trainModel } from '../../src/train/trainer';
import { findTemplate } from '../../templates';

export interface Counts {
  dispatches: number;
  uploads: number;
  uploadKiB: number;
  buffers: number;
  submits: number;
  reads: number;
  pipelines: number;
}

export interface Measured {
  readonly adapter: string;
  readonly firstStepMs: number;
  readonly firstStepPipelines: number;
  readonly stepMs: number;
  readonly perStep: Counts;
}

export interface Request {
  readonly template: string;
  readonly batch: number;
  /** Steps counted (after a first step alone and one more). */
  readonly steps: number;
  /** 'tfjs': tfjs' own kernels, with what the app registered for WebGPU before (three gradients). */
  readonly kernels: 'tfjs' | 'added';
}

const counts: Counts = {
  dispatches: 0,
  uploads: 0,
  uploadKiB: 0,
  buffers: 0,
  submits: 0,
  reads: 0,
  pipelines: 0,
};

type Wrappable = Record<string, unknown>;

/** Counts calls of `object[name]` with `count`, keeping its behaviour. */
function wrap(object: Wrappable, name: string, count: (self: Wrappable, args: unknown[]) => void): void {
  const original = object[name] as (...args: unknown[]) => unknown;
  object[name] = function (this: Wrappable, ...args: unknown[]) {
    count(this, args);
    return original.apply(this, args);
  };
}

function instrument(): void {
  const backend = tf.backend() as unknown as Wrappable & {
    device: GPUDevice;
    tensorMap: {
      get(id: unknown): { resource?: unknown; values?: { byteLength: number } | null } | undefined;
    };
  };
  wrap(backend, 'recordAndSubmit', () => counts.dispatches++);
  wrap(backend, 'submitQueue', () => counts.submits++);
  wrap(backend, 'getBufferData', () => counts.reads++);
  wrap(backend, 'uploadToGPU', (_, [id]) => {
    // Values on the CPU and no GPU buffer yet: this call uploads them.
    const d = backend.tensorMap.get(id);
    if (d !== undefined && !d.resource && d.values) {
      counts.uploads++;
      counts.uploadKiB += d.values.byteLength / 1024;
    }
  });
  const device = backend.device as unknown as Wrappable;
  wrap(device, 'createBuffer', () => counts.buffers++);
  wrap(device, 'createComputePipeline', () => counts.pipelines++);
  wrap(device, 'createComputePipelineAsync', () => counts.pipelines++);
}

const snapshot = (): Counts => ({ ...counts });
const minus = (a: Counts, b: Counts, steps: number): Counts =>
  Object.fromEntries(
    Object.keys(a).map((k) => [k, (a[k as keyof Counts] - b[k as keyof Counts]) / steps]),
  ) as unknown as Counts;

async function measure(r: Request): Promise<Measured> {
  tf.env().set('PROD', true);
  if (!(await tf.setBackend('webgpu'))) throw new Error('WebGPU did not start');
  await tf.ready();
  if (r.kernels === 'added') registerTrainingKernels('webgpu');
  else for (const g of [batchNormGradient, batchNormTrainingGradient, reluGradient]) tf.registerGradient(g);
  instrument();
  const loaded = loadGraph(findTemplate(r.template)!.document);
  if (!loaded.ok) throw new Error(r.template);
  const size = inputSizeOf(loaded.doc)!;
  const compiled = compileGraph(loaded.doc, undefined, { seed: 1 });
  if (!compiled.ok) throw new Error(r.template);
  const { model } = compiled.compiled;
  const data = (count: number) =>
    shapesDataset({ height: size.height, width: size.width, trainCount: count, validationCount: 1 });
  const config = { ...defaultTrainConfig, epochs: 1, batchSize: r.batch };

  // The first step alone: shader compilation, pipelines, first uploads.
  const first = { at: 0, pipelines: 0, ms: 0 };
  await trainModel(model, data(r.batch), config, {
    shouldStop: () => {
      first.at = performance.now();
      first.pipelines = counts.pipelines;
      return false;
    },
    onBatch: () => {
      first.ms = performance.now() - first.at;
      first.pipelines = counts.pipelines - first.pipelines;
    },
  });

  // Then more steps, counted from the second one's start (the first makes the optimizer's state)
  // to the last one's results (validation comes after).
  let start: { at: number; counts: Counts } | undefined;
  let end: { at: number; counts: Counts } | undefined;
  let batches = 0;
  await trainModel(model, data(r.batch * (r.steps + 1)), config, {
    shouldStop: () => {
      if (++batches === 2) start = { at: performance.now(), counts: snapshot() };
      return false;
    },
    onBatch: () => void (end = { at: performance.now(), counts: snapshot() }),
  });
  model.dispose();
  const adapter = await navigator.gpu.requestAdapter();
  const info = adapter?.info;
  return {
    adapter: [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' '),
    firstStepMs: first.ms,
    firstStepPipelines: first.pipelines,
    stepMs: (end!.at - start!.at) / r.steps,
    perStep: minus(end!.counts, start!.counts, r.steps),
  };
}

declare global {
  interface Window {
    measureSteps(r: Request): Promise<Measured>;
  }
}

window.measureSteps = measure;
