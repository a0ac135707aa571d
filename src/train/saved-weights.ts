/**
 * Trained weights outside the worker's memory: as tfjs model artifacts (model.json + one binary
 * file), in IndexedDB keyed by the graph they were trained on, and loaded back into a model compiled
 * from a graph — by weight name and shape, so a file from another network is refused, not misread.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { shortHash } from '../core/structure';
import { concatBuffers, metaOf, type Artifacts, type TrainedMeta } from './model-files';

/** Serialises a model (topology, weights and `meta`) without touching any storage. */
export async function toArtifacts(model: tfl.LayersModel, meta?: TrainedMeta): Promise<Artifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  if (meta) model.setUserDefinedMetadata({ convcanvas: meta });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (saved?.weightSpecs === undefined || saved.modelTopology === undefined)
    throw new Error('the model did not serialise');
  const data = saved.weightData;
  const weightData = Array.isArray(data) ? concatBuffers(data) : (data ?? new ArrayBuffer(0));
  return {
    modelTopology: saved.modelTopology as object,
    weightSpecs: saved.weightSpecs,
    weightData,
    ...(saved.userDefinedMetadata ? { userDefinedMetadata: saved.userDefinedMetadata } : {}),
  };
}

const dims = (shape: readonly (number | null)[]) => (shape.length === 0 ? 'a scalar' : shape.join('×'));

/**
 * Puts the artifacts' weights into `model`, matched by name (`conv/kernel`, ...). Either every weight
 * of the model is found with the right shape and all are set, or nothing changes and the first
 * mismatch is described.
 */
export function applyArtifacts(
  model: tfl.LayersModel,
  artifacts: Pick<Artifacts, 'weightSpecs' | 'weightData'>,
): { ok: true } | { ok: false; message: string } {
  let named: tf.NamedTensorMap;
  try {
    named = tf.io.decodeWeights(artifacts.weightData, [...artifacts.weightSpecs]);
  } catch (e) {
    return {
      ok: false,
      message: `the weights file does not match model.json (${e instanceof Error ? e.message : String(e)})`,
    };
  }
  try {
    const values: tf.Tensor[] = [];
    for (const w of model.weights) {
      const found = named[w.originalName];
      if (found === undefined)
        return {
          ok: false,
          message: `the file has no weight '${w.originalName}' (${dims(w.shape)}) that this graph needs`,
        };
      if (found.shape.join() !== w.shape.join())
        return {
          ok: false,
          message: `weight '${w.originalName}' is ${dims(found.shape)} in the file but ${dims(w.shape)} in this graph`,
        };
      values.push(found);
    }
    const used = new Set(model.weights.map((w) => w.originalName));
    const extra = Object.keys(named).filter((n) => !used.has(n));
    if (extra.length > 0)
      return { ok: false, message: `the file has weights this graph lacks, e.g. '${extra[0]}'` };
    model.setWeights(values);
    return { ok: true };
  } finally {
    tf.dispose(Object.values(named));
  }
}

// ---- IndexedDB slots (browser only) -------------------------------------------------------------

const PREFIX = 'indexeddb://convcanvas-weights-';
/** Trained graphs kept; the least recently saved go first. */
export const KEPT_MODELS = 8;

const slot = (key: string) => `${PREFIX}${shortHash(key)}`;

export async function storeWeights(model: tfl.LayersModel, meta: TrainedMeta): Promise<void> {
  const artifacts = await toArtifacts(model, meta);
  await tf.io.getSaveHandlers(slot(meta.key))[0]!.save!({
    modelTopology: artifacts.modelTopology,
    weightSpecs: [...artifacts.weightSpecs],
    weightData: artifacts.weightData,
    userDefinedMetadata: { convcanvas: meta as unknown as object },
  });
  const saved = Object.entries(await tf.io.listModels())
    .filter(([url]) => url.startsWith(PREFIX))
    .sort(([, a], [, b]) => new Date(b.dateSaved).getTime() - new Date(a.dateSaved).getTime());
  for (const [url] of saved.slice(KEPT_MODELS)) await tf.io.removeModel(url);
}

/** The stored artifacts for `key`, if any were saved for exactly that graph. */
export async function fetchWeights(key: string): Promise<(Artifacts & { meta: TrainedMeta }) | undefined> {
  const url = slot(key);
  const known = await tf.io.listModels();
  if (!(url in known)) return undefined;
  const loaded = await tf.io.getLoadHandlers(url)[0]!.load!();
  const meta = metaOf(loaded);
  if (meta?.key !== key || loaded.weightSpecs === undefined || loaded.weightData === undefined)
    return undefined;
  const data = loaded.weightData;
  return {
    modelTopology: loaded.modelTopology as object,
    weightSpecs: loaded.weightSpecs,
    weightData: Array.isArray(data) ? concatBuffers(data) : data,
    meta,
  };
}
