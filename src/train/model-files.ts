/**
 * tfjs' layers-model file format (model.json plus binary weight files), read and written without
 * TensorFlow.js itself so the page can handle files while the worker owns the tensors.
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

export type ReadResult =
  { readonly ok: true; readonly artifacts: Artifacts } | { readonly ok: false; readonly message: string };

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A model.json and the weight files it names (matched by file name, in manifest order) as one set
 * of artifacts; every problem is reported with the file it is in.
 */
export function readModelFiles(
  jsonName: string,
  jsonText: string,
  files: ReadonlyMap<string, ArrayBuffer>,
): ReadResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(jsonText);
  } catch (e) {
    return { ok: false, message: `${jsonName}: not JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  if (!isRecord(parsed) || !isRecord(parsed['modelTopology']))
    return { ok: false, message: `${jsonName}: not a TensorFlow.js layers model (it has no modelTopology)` };
  const manifest = parsed['weightsManifest'];
  if (!Array.isArray(manifest))
    return { ok: false, message: `${jsonName}: it names no weight files (weightsManifest is missing)` };
  const specs: WeightSpec[] = [];
  const buffers: ArrayBuffer[] = [];
  for (const [g, group] of manifest.entries()) {
    if (!isRecord(group) || !Array.isArray(group['paths']) || !Array.isArray(group['weights']))
      return { ok: false, message: `${jsonName}: weightsManifest[${g}] needs 'paths' and 'weights'` };
    for (const path of group['paths'] as unknown[]) {
      const name = String(path).split('/').at(-1)!;
      const data = files.get(name);
      if (data === undefined)
        return {
          ok: false,
          message: `${jsonName} needs the weights file '${name}': choose it together with ${jsonName}`,
        };
      buffers.push(data);
    }
    specs.push(...(group['weights'] as WeightSpec[]));
  }
  const weightData = concatBuffers(buffers);
  const bytes = specs.reduce(
    (n, s) => n + (s.quantization ? Number.NaN : 4 * s.shape.reduce((a, b) => a * b, 1)),
    0,
  );
  if (Number.isFinite(bytes) && bytes !== weightData.byteLength)
    return {
      ok: false,
      message: `the weight files hold ${weightData.byteLength} bytes but ${jsonName} describes ${bytes}: a file is missing, truncated or from another model`,
    };
  const meta = parsed['userDefinedMetadata'];
  return {
    ok: true,
    artifacts: {
      modelTopology: parsed['modelTopology'],
      weightSpecs: specs,
      weightData,
      ...(isRecord(meta) ? { userDefinedMetadata: meta } : {}),
    },
  };
}
