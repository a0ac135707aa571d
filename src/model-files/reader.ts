/**
 * Reads tfjs' layers-model files without TensorFlow.js (this runs in the page): the weights of a
 * weightsManifest from the .bin files it names (float32, and uint8/uint16/float16 quantized values),
 * and ConvCanvas' own metadata.
 */
import { shown } from '../../nodes/keras';
import type { DocError } from '../core/issues';
import type { SavedWeight, TrainedMeta } from './types';
import { concatBuffers } from './writer';

export type WeightsResult =
  | { readonly ok: true; readonly weights: ReadonlyMap<string, SavedWeight> }
  | { readonly ok: false; readonly errors: readonly DocError[] };

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The file name a manifest path refers to ("./group1-shard1of1.bin" -> "group1-shard1of1.bin"). */
export const baseName = (path: string): string => path.split(/[\\/]/).pop() ?? path;

/** Every file name the manifest refers to, in order; empty when it has no usable manifest. */
export function manifestFiles(manifest: unknown): string[] {
  if (!Array.isArray(manifest)) return [];
  return manifest.flatMap((group) =>
    isObject(group) && Array.isArray(group['paths'])
      ? group['paths'].filter((p): p is string => typeof p === 'string').map(baseName)
      : [],
  );
}

/** Bytes per stored value, by dtype. A Map: a dtype read from a file is never a prototype member. */
const BYTES: ReadonlyMap<string, number> = new Map([
  ['float32', 4],
  ['int32', 4],
  ['uint8', 1],
  ['uint16', 2],
  ['float16', 2],
  ['bool', 1],
]);

/** Most weight tensors a manifest may list: a graph of 10,000 nodes has at most 40,000. */
export const MAX_WEIGHT_TENSORS = 100_000;
/** Most values all weights together may hold: 2^28, 1 GiB as float32. */
export const MAX_WEIGHT_VALUES = 2 ** 28;

/** IEEE half-precision to a number. */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** Reads `count` values of one weight at `offset`, as float32. */
function readValues(
  data: DataView,
  offset: number,
  count: number,
  stored: string,
  q: Json | undefined,
): Float32Array {
  const out = new Float32Array(count);
  const scale = typeof q?.['scale'] === 'number' ? q['scale'] : 1;
  const min = typeof q?.['min'] === 'number' ? q['min'] : 0;
  for (let i = 0; i < count; i++) {
    switch (stored) {
      case 'float32':
        out[i] = data.getFloat32(offset + 4 * i, true);
        break;
      case 'int32':
        out[i] = data.getInt32(offset + 4 * i, true);
        break;
      case 'uint8':
        out[i] = data.getUint8(offset + i) * scale + min;
        break;
      case 'uint16':
        out[i] = data.getUint16(offset + 2 * i, true) * scale + min;
        break;
      case 'float16':
        out[i] = halfToFloat(data.getUint16(offset + 2 * i, true));
        break;
      case 'bool':
        out[i] = data.getUint8(offset + i);
        break;
    }
  }
  return out;
}

/** Where one weight's values lie in its group's files. */
interface Planned {
  readonly name: string;
  readonly shape: number[];
  readonly offset: number;
  readonly count: number;
  readonly stored: string;
  readonly quantization: Json | undefined;
}

/** The dtype a weight's values are stored as: the quantized one when there is one. */
function storedType(w: Json): unknown {
  const q = isObject(w['quantization']) ? w['quantization'] : undefined;
  return q?.['dtype'] ?? w['dtype'] ?? 'float32';
}

/**
 * Where each weight of one group lies in its files (`bytes` long together), or what is wrong. Only
 * reads the manifest: nothing is allocated for a weight until every claim has been checked against
 * the files' real size.
 */
function planGroup(
  weights: readonly unknown[],
  at: string,
  bytes: number,
  budget: { values: number },
  errors: DocError[],
): Planned[] | undefined {
  const planned: Planned[] = [];
  let offset = 0;
  for (const [i, w] of weights.entries()) {
    const where = `${at}.weights[${i}]`;
    const shape = isObject(w) ? w['shape'] : undefined;
    if (
      !isObject(w) ||
      typeof w['name'] !== 'string' ||
      !Array.isArray(shape) ||
      !shape.every((d) => Number.isSafeInteger(d) && d >= 0)
    ) {
      errors.push({ path: where, message: 'must be an object with a name and a shape of whole numbers' });
      return undefined;
    }
    const stored = storedType(w);
    if (typeof stored !== 'string' || !BYTES.has(stored)) {
      errors.push({ path: where, message: `values of type ${shown(stored)} cannot be read` });
      return undefined;
    }
    const count = (shape as number[]).reduce((n, d) => n * d, 1);
    budget.values -= count;
    if (budget.values < 0) {
      errors.push({
        path: where,
        message: `the weights hold more than ${MAX_WEIGHT_VALUES} values in all (${(MAX_WEIGHT_VALUES * 4) / 2 ** 30} GiB as float32), more than ConvCanvas opens`,
      });
      return undefined;
    }
    const size = count * BYTES.get(stored)!;
    if (offset + size > bytes) {
      errors.push({
        path: where,
        message: `"${shown(w['name'])}" needs ${size} bytes from byte ${offset}, but the weights files hold only ${bytes}: are they the files saved with this model.json?`,
      });
      return undefined;
    }
    const quantization = isObject(w['quantization']) ? w['quantization'] : undefined;
    planned.push({ name: w['name'], shape: shape as number[], offset, count, stored, quantization });
    offset += size;
  }
  if (offset !== bytes) {
    errors.push({
      path: `${at}.paths`,
      message: `the weights files hold ${bytes} bytes, but the manifest describes ${offset}: are they the files saved with this model.json?`,
    });
    return undefined;
  }
  return planned;
}

/**
 * Decodes every weight of the manifest from `files` (by file name). Names are as saved, e.g.
 * `conv2d/kernel`; the caller maps them to layers. Every size the manifest claims is checked
 * against the files before anything is allocated for it.
 */
export function decodeWeights(manifest: unknown, files: ReadonlyMap<string, ArrayBuffer>): WeightsResult {
  const errors: DocError[] = [];
  if (!Array.isArray(manifest))
    return { ok: false, errors: [{ path: 'weightsManifest', message: 'must be a list of weight groups' }] };
  const tensors = manifest.reduce<number>(
    (n, group) => n + (isObject(group) && Array.isArray(group['weights']) ? group['weights'].length : 0),
    0,
  );
  if (tensors > MAX_WEIGHT_TENSORS)
    return {
      ok: false,
      errors: [
        {
          path: 'weightsManifest',
          message: `lists ${tensors} weights; ConvCanvas opens models of at most ${MAX_WEIGHT_TENSORS}`,
        },
      ],
    };
  const budget = { values: MAX_WEIGHT_VALUES };
  const used = new Map<string, string>();
  const plans: { data: ArrayBuffer[]; weights: Planned[] }[] = [];
  manifest.forEach((group, g) => {
    const at = `weightsManifest[${g}]`;
    if (!isObject(group) || !Array.isArray(group['paths']) || !Array.isArray(group['weights'])) {
      errors.push({ path: at, message: 'must be an object with paths and weights lists' });
      return;
    }
    const buffers: ArrayBuffer[] = [];
    group['paths'].forEach((p, i) => {
      const where = `${at}.paths[${i}]`;
      const name = typeof p === 'string' ? baseName(p) : undefined;
      const file = name === undefined ? undefined : files.get(name);
      if (name !== undefined && used.has(name))
        errors.push({
          path: where,
          message: `the weights file ${JSON.stringify(shown(name))} is already named at ${used.get(name)}: each file holds one part of the weights`,
        });
      else if (name === undefined || file === undefined)
        errors.push({
          path: where,
          message: `the weights file ${typeof p === 'string' ? JSON.stringify(shown(p)) : shown(p)} was not among the selected files: select it together with model.json`,
        });
      else {
        used.set(name, where);
        buffers.push(file);
      }
    });
    if (buffers.length !== group['paths'].length) return;
    const bytes = buffers.reduce((n, b) => n + b.byteLength, 0);
    const planned = planGroup(group['weights'], at, bytes, budget, errors);
    if (planned !== undefined) plans.push({ data: buffers, weights: planned });
  });
  if (errors.length > 0) return { ok: false, errors };
  // Every claim fits the files: only now are values read.
  const weights = new Map<string, SavedWeight>();
  for (const plan of plans) {
    const data = new DataView(concatBuffers(plan.data));
    for (const w of plan.weights)
      weights.set(w.name, {
        shape: w.shape,
        values: readValues(data, w.offset, w.count, w.stored, w.quantization),
      });
  }
  return { ok: true, weights };
}

/** ConvCanvas' record of the run that made a model's weights, when the file carries one. */
export function metaOf(artifacts: {
  userDefinedMetadata?: Record<string, unknown> | undefined;
}): TrainedMeta | undefined {
  const meta = artifacts.userDefinedMetadata?.['convcanvas'] as TrainedMeta | undefined;
  return meta && typeof meta.key === 'string' && Array.isArray(meta.epochReports) ? meta : undefined;
}
