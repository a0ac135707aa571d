/**
 * Random directions for loss-surface slices, normalised filter by filter (Li et al. 2018): a Gaussian
 * direction is rescaled so that each filter of it (the weights producing one output channel; for a
 * dense layer, one unit) has the norm of the same filter of the weights. Biases and batch-norm
 * parameters get no direction unless asked; moving statistics never move (inference mode).
 */
import type * as tfl from '@tensorflow/tfjs-layers';

/** The weights a slice moves: every trainable kernel, and the trainable vectors when asked. */
export function movedWeights(model: tfl.LayersModel, includeBiasBn: boolean): tfl.LayerVariable[] {
  return model.trainableWeights.filter((w) => w.shape.length > 1 || includeBiasBn);
}

export interface Direction {
  readonly weight: tfl.LayerVariable;
  /** Zero for a weight the slice keeps fixed. */
  readonly values: Float32Array;
}

/**
 * One random direction over every trainable weight, drawn from `normal`: filter-normalised for the
 * weights that move, zero for the others.
 */
export async function randomDirection(
  model: tfl.LayersModel,
  includeBiasBn: boolean,
  normal: () => number,
): Promise<Direction[]> {
  const moved = new Set(movedWeights(model, includeBiasBn));
  const values = (await Promise.all(model.trainableWeights.map((w) => w.read().data()))) as Float32Array[];
  return model.trainableWeights.map((weight, k) => {
    const w = values[k]!;
    return {
      weight,
      values: moved.has(weight)
        ? filterNormalised(w, weight.shape as number[], normal)
        : new Float32Array(w.length),
    };
  });
}

/** Standard normal numbers from a uniform generator (Box–Muller). */
export function gaussian(random: () => number): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    const u = 1 - random();
    const v = random();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

/**
 * A direction for one weight of `shape` with values `w`. Kernels (rank ≥ 2; tfjs puts output channels
 * last): each filter rescaled to its weights' filter norm. Vectors (biases, batch norm): each entry is
 * its own filter, so it becomes ±|w|.
 */
export function filterNormalised(
  w: Float32Array,
  shape: readonly number[],
  normal: () => number,
): Float32Array {
  const d = Float32Array.from({ length: w.length }, normal);
  const filters = shape.length > 1 ? shape[shape.length - 1]! : w.length;
  const wNorm = new Float64Array(filters);
  const dNorm = new Float64Array(filters);
  for (let i = 0; i < w.length; i++) {
    const f = i % filters;
    wNorm[f]! += w[i]! * w[i]!;
    dNorm[f]! += d[i]! * d[i]!;
  }
  for (let i = 0; i < d.length; i++) {
    const f = i % filters;
    d[i] = dNorm[f]! > 0 ? d[i]! * Math.sqrt(wNorm[f]! / dNorm[f]!) : 0;
  }
  return d;
}
