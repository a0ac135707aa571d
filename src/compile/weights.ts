/**
 * Puts saved weights (from a model file, an imported model or this browser's storage) into a
 * compiled model, matched by name (`<node id>/kernel`, ...) and shape. All or nothing: either every
 * weight of the model is found and set, or nothing changes and the report says what did not fit.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { SavedWeight } from '../model-files/types';

export interface WeightLoadReport {
  readonly ok: boolean;
  /** Weights the model has and the saved set lacks. */
  readonly missing: readonly string[];
  /** Weights saved in another shape: `name (saved 3×3×3×6, model 3×3×3×8)`. */
  readonly mismatched: readonly string[];
  /** Saved weights the model has no place for. */
  readonly unused: readonly string[];
}

const dims = (shape: readonly (number | null)[]) => (shape.length === 0 ? 'a scalar' : shape.join('×'));

export function loadSavedWeights(
  model: tfl.LayersModel,
  weights: ReadonlyMap<string, SavedWeight>,
): WeightLoadReport {
  const missing: string[] = [];
  const mismatched: string[] = [];
  for (const w of model.weights) {
    const saved = weights.get(w.originalName);
    if (saved === undefined) missing.push(w.originalName);
    else if (saved.shape.length !== w.shape.length || saved.shape.some((d, i) => d !== w.shape[i]))
      mismatched.push(`${w.originalName} (saved ${dims(saved.shape)}, model ${dims(w.shape)})`);
  }
  const names = new Set(model.weights.map((w) => w.originalName));
  const unused = [...weights.keys()].filter((n) => !names.has(n));
  const ok = missing.length === 0 && mismatched.length === 0 && unused.length === 0;
  if (ok) {
    const values = model.weights.map((w) => {
      const saved = weights.get(w.originalName)!;
      return tfc.tensor(saved.values, [...saved.shape]);
    });
    model.setWeights(values);
    tfc.dispose(values);
  }
  return { ok, missing, mismatched, unused };
}

/** The report in one sentence, naming at most a few weights. */
export function describeWeightProblems(report: WeightLoadReport): string {
  const some = (list: readonly string[]) => list.slice(0, 3).join(', ') + (list.length > 3 ? ', …' : '');
  const parts: string[] = [];
  if (report.mismatched.length > 0) parts.push(`shapes differ for ${some(report.mismatched)}`);
  if (report.missing.length > 0) parts.push(`the graph needs ${some(report.missing)}, which the file lacks`);
  if (report.unused.length > 0) parts.push(`the file has ${some(report.unused)}, which the graph lacks`);
  return parts.join('; ');
}
