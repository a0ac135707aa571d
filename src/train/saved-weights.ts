/**
 * Trained weights outside the worker's memory: as tfjs model artifacts (model.json + one binary
 * file), and in IndexedDB keyed by the graph they were trained on.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { shortHash } from '../core/structure';
import type { DatasetRequest } from '../core/training/data';
import { dataIdentity } from '../core/training/stored-data';
import { metaOf } from '../model-files/reader';
import type { Artifacts, SavedWeight, TrainedMeta } from '../model-files/types';
import { concatBuffers } from '../model-files/writer';

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

/** Artifacts' weights by name, as float32 arrays. */
export function savedWeightsOf(
  artifacts: Pick<Artifacts, 'weightSpecs' | 'weightData'>,
): Map<string, SavedWeight> {
  const named = tf.io.decodeWeights(artifacts.weightData, [...artifacts.weightSpecs]);
  const out = new Map<string, SavedWeight>();
  for (const [name, t] of Object.entries(named)) {
    out.set(name, { shape: t.shape, values: Float32Array.from(t.dataSync()) });
    t.dispose();
  }
  return out;
}

// ---- IndexedDB slots (browser only) -------------------------------------------------------------

const PREFIX = 'indexeddb://convcanvas-weights-';
/** Trained graphs kept; the least recently saved go first. */
export const KEPT_MODELS = 8;

/**
 * One slot per graph and data: weights trained on a stored dataset are kept apart from the same
 * graph's weights on Shapes (whose slot is named as it always was, so earlier saves still restore).
 */
const slot = (key: string, dataset: DatasetRequest | undefined) => {
  const data = dataIdentity(dataset);
  return `${PREFIX}${shortHash(data === 'shapes' ? key : `${key}|${data}`)}`;
};

export async function storeWeights(model: tfl.LayersModel, meta: TrainedMeta): Promise<void> {
  const artifacts = await toArtifacts(model, meta);
  await tf.io.getSaveHandlers(slot(meta.key, meta.dataset))[0]!.save!({
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

/** The stored artifacts for `key` and `dataset`'s data, if any were saved for exactly that graph and data. */
export async function fetchWeights(
  key: string,
  dataset?: DatasetRequest,
): Promise<(Artifacts & { meta: TrainedMeta }) | undefined> {
  const url = slot(key, dataset);
  const known = await tf.io.listModels();
  if (!(url in known)) return undefined;
  const loaded = await tf.io.getLoadHandlers(url)[0]!.load!();
  const meta = metaOf(loaded);
  if (
    meta?.key !== key ||
    dataIdentity(meta.dataset) !== dataIdentity(dataset) ||
    loaded.weightSpecs === undefined ||
    loaded.weightData === undefined
  )
    return undefined;
  const data = loaded.weightData;
  return {
    modelTopology: loaded.modelTopology as object,
    weightSpecs: loaded.weightSpecs,
    weightData: Array.isArray(data) ? concatBuffers(data) : data,
    meta,
  };
}
