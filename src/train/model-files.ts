/**
 * tfjs' layers-model file format (model.json plus a binary weights file), written without
 * TensorFlow.js itself so the page can save files while the worker owns the tensors. Reading such
 * files is src/import's job.
 */
import type { TrainConfig } from './config';
import type { EpochReport } from './trainer';

/** What travels with the weights so a reload shows the run that made them. */
export interface TrainedMeta {
  /** The graph structure plus dataset binding the weights belong to (see modelKey). */
  readonly key: string;
  readonly config: TrainConfig;
  readonly epochReports: readonly EpochReport[];
  readonly batchesPerEpoch: number;
}

export interface WeightSpec {
  readonly name: string;
  readonly shape: number[];
  readonly dtype: 'float32' | 'int32' | 'bool' | 'string' | 'complex64';
  readonly quantization?: { dtype: 'uint16' | 'uint8' | 'float16'; scale?: number; min?: number };
}

/** A model as tfjs' save handlers see it, with all weights in one buffer. */
export interface Artifacts {
  readonly modelTopology: object;
  readonly weightSpecs: readonly WeightSpec[];
  readonly weightData: ArrayBuffer;
  readonly userDefinedMetadata?: Record<string, unknown>;
}

export function metaOf(artifacts: {
  userDefinedMetadata?: Record<string, unknown> | undefined;
}): TrainedMeta | undefined {
  const meta = artifacts.userDefinedMetadata?.['convcanvas'] as TrainedMeta | undefined;
  return meta && typeof meta.key === 'string' && Array.isArray(meta.epochReports) ? meta : undefined;
}

export function concatBuffers(buffers: readonly ArrayBuffer[]): ArrayBuffer {
  const out = new Uint8Array(buffers.reduce((n, b) => n + b.byteLength, 0));
  let at = 0;
  for (const b of buffers) {
    out.set(new Uint8Array(b), at);
    at += b.byteLength;
  }
  return out.buffer;
}

/** The model.json text for artifacts whose weights are saved as `weightsPath` beside it. */
export function modelJson(artifacts: Artifacts, weightsPath: string): string {
  return JSON.stringify({
    format: 'layers-model',
    generatedBy: 'ConvCanvas',
    convertedBy: null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [weightsPath], weights: artifacts.weightSpecs }],
    ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
  });
}
