/**
 * The slice engine: L(θ + (x − x₀)·d1 + (y − y₀)·d2) at every point of a grid, coarse lattices first.
 * Per point it writes each moved weight once, in place, and runs one evaluation on data already on
 * the backend: no recompilation, nothing else. Whatever happens (a finished grid, a cancel, an
 * error) the weights are put back exactly as they were, bit for bit.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { levelOf, refinementOrder } from '../core/surface/grid';
import type { SubsetEvaluator } from './evaluator';

export interface SlicePlan {
  /** The weights that move, and their directions (same order, same shapes). */
  readonly weights: readonly tfl.LayerVariable[];
  readonly d1: readonly tf.Tensor[];
  readonly d2?: readonly tf.Tensor[];
  readonly xs: readonly number[];
  readonly ys: readonly number[];
  /** The grid coordinates of the weights as they are now (0, 0 unless the grid is shifted). */
  readonly origin?: readonly [number, number];
}

export interface SliceProgress {
  readonly loss: Float32Array;
  readonly accuracy: Float32Array;
  readonly done: number;
  readonly seconds: number;
  readonly secondsLeft: number | null;
}

export interface SliceHooks {
  /** Called when a lattice of the refinement completes, and at most every `progressMs` in between. */
  onProgress?(progress: SliceProgress): void;
  /** Checked between points. */
  shouldStop?(): boolean;
  readonly progressMs?: number;
}

/** How long the engine computes before letting other messages (a cancel) in. */
const YIELD_MS = 150;
const yieldToEvents = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export async function runSlice(
  model: tfl.LayersModel,
  evaluator: SubsetEvaluator,
  plan: SlicePlan,
  hooks: SliceHooks = {},
): Promise<SliceProgress & { readonly status: 'done' | 'cancelled' }> {
  const nx = plan.xs.length;
  const ny = plan.ys.length;
  const total = nx * ny;
  const loss = new Float32Array(total).fill(NaN);
  const accuracy = new Float32Array(total).fill(NaN);
  const order = refinementOrder(nx, ny);
  const [x0, y0] = plan.origin ?? [0, 0];
  // The weights as they are: the centre of every point, and what is put back at the end.
  const base = plan.weights.map((w) => w.read().clone());
  const started = performance.now();
  let lastYield = started;
  let lastProgress = started;
  let done = 0;
  const progress = (): SliceProgress => {
    const seconds = (performance.now() - started) / 1000;
    return {
      loss: loss.slice(),
      accuracy: accuracy.slice(),
      done,
      seconds,
      secondsLeft: done === 0 ? null : (seconds / done) * (total - done),
    };
  };
  try {
    for (let k = 0; k < total; k++) {
      if (hooks.shouldStop?.()) return { ...progress(), status: 'cancelled' };
      const index = order[k]!;
      const a = plan.xs[index % nx]! - x0;
      const b = plan.ys[Math.floor(index / nx)]! - y0;
      plan.weights.forEach((w, i) => {
        const next = tf.tidy(() => {
          let v = tf.add(base[i]!, tf.mul(plan.d1[i]!, a));
          if (plan.d2 !== undefined) v = tf.add(v, tf.mul(plan.d2[i]!, b));
          return v;
        });
        w.write(next);
        next.dispose();
      });
      const result = await evaluator.evaluate(model);
      loss[index] = result.loss;
      accuracy[index] = result.accuracy;
      done++;
      const now = performance.now();
      const levelEnds = k + 1 === total || levelBoundary(order, k, nx, ny);
      if (hooks.onProgress && (levelEnds || now - lastProgress >= (hooks.progressMs ?? 250))) {
        lastProgress = now;
        if (k + 1 < total) hooks.onProgress(progress());
      }
      if (now - lastYield >= YIELD_MS) {
        await yieldToEvents();
        lastYield = performance.now();
      }
    }
    return { ...progress(), status: 'done' };
  } finally {
    plan.weights.forEach((w, i) => w.write(base[i]!));
    tf.dispose(base);
  }
}

/** Whether point k of the order is the last of its lattice (the next belongs to a finer one). */
function levelBoundary(order: Int32Array, k: number, nx: number, ny: number): boolean {
  if (k + 1 >= order.length) return true;
  const level = (index: number) => levelOf(index % nx, Math.floor(index / nx), nx, ny);
  return level(order[k]!) !== level(order[k + 1]!);
}
