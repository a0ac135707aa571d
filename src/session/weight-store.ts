/**
 * Where a session keeps trained weights between runs: IndexedDB in the browser, memory in tests,
 * nowhere on the command line.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Artifacts, TrainedMeta } from '../model-files/types';
import { fetchWeights, storeWeights, toArtifacts } from '../train/saved-weights';

export interface WeightStore {
  save(model: tfl.LayersModel, meta: TrainedMeta): Promise<void>;
  /** The weights saved for exactly `key`, if any. */
  fetch(key: string): Promise<(Artifacts & { meta: TrainedMeta }) | undefined>;
}

/** This browser's IndexedDB (a few graphs kept; see saved-weights.ts). */
export const indexedDbWeights: WeightStore = { save: storeWeights, fetch: fetchWeights };

/** Keeps serialised weights in memory: for tests and for one process's lifetime. */
export function memoryWeights(): WeightStore {
  const saved = new Map<string, Artifacts & { meta: TrainedMeta }>();
  return {
    async save(model, meta) {
      saved.set(meta.key, { ...(await toArtifacts(model, meta)), meta });
    },
    fetch: (key) => Promise.resolve(saved.get(key)),
  };
}
