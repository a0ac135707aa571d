/**
 * Where a session keeps trained weights between runs: IndexedDB in the browser, memory in tests,
 * nowhere on the command line.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import type { DatasetRequest } from '../core/training/data';
import { dataIdentity } from '../core/training/stored-data';
import type { Artifacts, TrainedMeta } from '../model-files/types';
import { fetchWeights, storeWeights, toArtifacts } from '../train/saved-weights';

export interface WeightStore {
  save(model: tfl.LayersModel, meta: TrainedMeta): Promise<void>;
  /** The weights saved for exactly `key` trained on `dataset`'s data (Shapes when absent), if any. */
  fetch(key: string, dataset?: DatasetRequest): Promise<(Artifacts & { meta: TrainedMeta }) | undefined>;
}

/** This browser's IndexedDB (a few graphs kept; see saved-weights.ts). */
export const indexedDbWeights: WeightStore = { save: storeWeights, fetch: fetchWeights };

/** Keeps serialised weights in memory: for tests and for one process's lifetime. */
export function memoryWeights(): WeightStore {
  const saved = new Map<string, Artifacts & { meta: TrainedMeta }>();
  return {
    async save(model, meta) {
      saved.set(`${meta.key} ${dataIdentity(meta.dataset)}`, { ...(await toArtifacts(model, meta)), meta });
    },
    fetch: (key, dataset) => Promise.resolve(saved.get(`${key} ${dataIdentity(dataset)}`)),
  };
}
