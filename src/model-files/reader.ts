/**
 * Reads tfjs' layers-model files without TensorFlow.js (this runs in the page): the weights of a
 * weightsManifest from the .bin files it names (float32, and uint8/uint16/float16 quantized values),
 * and ConvCanvas' own metadata.
 */
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

const BYTES: Readonly<Record<string, number>> = {
  float32: 4,
  int32: 4,
  uint8: 1,
  uint16: 2,
  float16: 2,
  bool: 1,
};

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

/**
 * Decodes every weight of the manifest from `files` (by file name). Names are as saved, e.g.
 * `conv2d/kernel`; the caller maps them to layers.
 */
export function decodeWeights(manifest: unknown, files: ReadonlyMap<string, ArrayBuffer>): WeightsResult {
  const errors: DocError[] = [];
  const weights = new Map<string, SavedWeight>();
  if (!Array.isArray(manifest))
    return { ok: false, errors: [{ path: 'weightsManifest', message: 'must be a list of weight groups' }] };
  manifest.forEach((group, g) => {
    const at = `weightsManifest[${g}]`;
    if (!isObject(group) || !Array.isArray(group['paths']) || !Array.isArray(group['weights'])) {
      errors.push({ path: at, message: 'must be an object with paths and weights lists' });
      return;
    }
    const buffers: ArrayBuffer[] = [];
    group['paths'].forEach((p, i) => {
      const file = typeof p === 'string' ? files.get(baseName(p)) : undefined;
      if (file === undefined)
        errors.push({
          path: `${at}.paths[${i}]`,
          message: `the weights file ${JSON.stringify(p)} was not among the selected files: select it together with model.json`,
        });
      else buffers.push(file);
    });
    if (buffers.length !== group['paths'].length) return;
    const data = new DataView(concatBuffers(buffers));
    let offset = 0;
    group['weights'].forEach((w, i) => {
      const where = `${at}.weights[${i}]`;
      if (offset < 0) return;
      const shape = isObject(w) ? w['shape'] : undefined;
      if (
        !isObject(w) ||
        typeof w['name'] !== 'string' ||
        !Array.isArray(shape) ||
        !shape.every((d) => Number.isSafeInteger(d) && d >= 0)
      ) {
        errors.push({ path: where, message: 'must be an object with a name and a shape of whole numbers' });
        offset = -1;
        return;
      }
      const q = isObject(w['quantization']) ? w['quantization'] : undefined;
      const stored = String(q?.['dtype'] ?? w['dtype'] ?? 'float32');
      const size = BYTES[stored];
      if (size === undefined) {
        errors.push({ path: where, message: `values of type ${stored} cannot be read` });
        offset = -1;
        return;
      }
      const count = (shape as number[]).reduce((n, d) => n * d, 1);
      if (offset + count * size > data.byteLength) {
        errors.push({
          path: where,
          message: `"${w['name']}" needs ${count * size} bytes from byte ${offset}, but the weights files hold only ${data.byteLength}: are they the files saved with this model.json?`,
        });
        offset = -1;
        return;
      }
      weights.set(w['name'], {
        shape: shape as number[],
        values: readValues(data, offset, count, stored, q),
      });
      offset += count * size;
    });
    if (offset >= 0 && offset !== data.byteLength)
      errors.push({
        path: `${at}.paths`,
        message: `the weights files hold ${data.byteLength} bytes, but the manifest describes ${offset}: are they the files saved with this model.json?`,
      });
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, weights };
}

/** ConvCanvas' record of the run that made a model's weights, when the file carries one. */
export function metaOf(artifacts: {
  userDefinedMetadata?: Record<string, unknown> | undefined;
}): TrainedMeta | undefined {
  const meta = artifacts.userDefinedMetadata?.['convcanvas'] as TrainedMeta | undefined;
  return meta && typeof meta.key === 'string' && Array.isArray(meta.epochReports) ? meta : undefined;
}
