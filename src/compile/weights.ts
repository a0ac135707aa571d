/** Loads weights opened with a saved model (src/import) into a compiled model, layer by layer. */
import * as tfc from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { SavedWeight } from '../import';

export interface WeightLoadReport {
  /** Layers whose every weight was set. */
  readonly loaded: readonly string[];
  /** Weights the model has and the saved ones lack, or hold in another shape; their layers keep their values. */
  readonly missing: readonly string[];
  readonly mismatched: readonly string[];
}

/**
 * Sets every layer whose weights are all in `weights` (by name, e.g. `conv/kernel`, and shape).
 * A layer with any weight missing or of another shape is left as it was.
 */
export function loadSavedWeights(
  model: tfl.LayersModel,
  weights: ReadonlyMap<string, SavedWeight>,
): WeightLoadReport {
  const loaded: string[] = [];
  const missing: string[] = [];
  const mismatched: string[] = [];
  for (const layer of model.layers) {
    if (layer.weights.length === 0) continue;
    const values: tfc.Tensor[] = [];
    for (const w of layer.weights) {
      const saved = weights.get(w.originalName);
      if (saved === undefined) missing.push(w.originalName);
      else if (saved.shape.length !== w.shape.length || saved.shape.some((d, i) => d !== w.shape[i]))
        mismatched.push(`${w.originalName} (saved ${saved.shape.join('×')}, model ${w.shape.join('×')})`);
      else values.push(tfc.tensor(saved.values, [...saved.shape]));
    }
    if (values.length === layer.weights.length) {
      layer.setWeights(values);
      loaded.push(layer.name);
    }
    tfc.dispose(values);
  }
  return { loaded, missing, mismatched };
}
