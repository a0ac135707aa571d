/**
 * Loss-surface slices of a model: builds the directions a slice asks for (random filter-normalised
 * ones, the training path's main directions, or the line from the initial weights), runs the slice
 * engine on a fixed validation subset, and reports the growing grid.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { axis } from '../core/surface/grid';
import { pathPlane } from '../core/surface/pca';
import type { ProjectedPath, SliceRequest, Surface, SurfaceStatus } from '../core/surface/types';
import type { ImageDataset } from '../data/dataset';
import { seededRandom } from '../data/random';
import { gaussian, movedWeights, randomDirection } from './directions';
import { SubsetEvaluator } from './evaluator';
import type { Snapshot } from './path';
import { flatTrainable } from './path';
import type { SlicePlan } from './slice';
import { runSlice } from './slice';

export interface SliceSubject {
  readonly model: tfl.LayersModel;
  readonly data: ImageDataset;
  /** Weight snapshots of the run that trained the model, oldest first (for a `path` slice). */
  readonly path?: readonly Snapshot[];
  /** The run's initial trainable weights, flattened as the snapshots are (for a `line` slice). */
  readonly initial?: () => Promise<Float32Array | undefined>;
}

export type SurfaceResult =
  | { readonly ok: true; readonly status: Exclude<SurfaceStatus, 'running'>; readonly surface: Surface }
  | { readonly ok: false; readonly message: string };

export interface SurfaceHooks {
  /** The grid so far, each time a coarser lattice completes (and now and then in between). */
  onProgress?(surface: Surface): void;
  shouldStop?(): boolean;
}

/** Where each trainable weight lies in the flattened vector. */
function offsets(model: tfl.LayersModel): Map<tfl.LayerVariable, [number, number]> {
  const out = new Map<tfl.LayerVariable, [number, number]>();
  let at = 0;
  for (const w of model.trainableWeights) {
    const size = w.shape.reduce<number>((a, b) => a * (b ?? 1), 1);
    out.set(w, [at, at + size]);
    at += size;
  }
  return out;
}

const values = async (w: tfl.LayerVariable) => (await w.read().data()) as Float32Array;
const toTensor = (w: tfl.LayerVariable, v: Float32Array) => tf.tensor(v, w.shape as number[]);

/** Span of `v` with a margin on both sides (and 0 inside it): the grid around a projected path. */
function spanOf(v: readonly number[]): [number, number] {
  const lo = Math.min(0, ...v);
  const hi = Math.max(0, ...v);
  const margin = Math.max((hi - lo) * 0.2, 1e-3);
  return [lo - margin, hi + margin];
}

const percent = (x: number) => `${Math.round(x * 100)}%`;

interface Planned {
  readonly plan: SlicePlan;
  readonly axes: readonly [string, string];
  readonly path?: ProjectedPath;
}

async function planFor(subject: SliceSubject, request: SliceRequest): Promise<Planned | string> {
  const { model } = subject;
  const { grid, range, kind } = request;
  if (kind === 'random' || kind === 'random-line') {
    const weights = movedWeights(model, request.includeBiasBn);
    const normal = gaussian(seededRandom(request.seed));
    const moved = new Set(weights);
    const direction = async () =>
      (await randomDirection(model, request.includeBiasBn, normal))
        .filter((d) => moved.has(d.weight))
        .map((d) => toTensor(d.weight, d.values));
    const d1 = await direction();
    const line = kind === 'random-line';
    return {
      plan: {
        weights,
        d1,
        ...(!line && { d2: await direction() }),
        xs: axis(-range, range, grid),
        ys: line ? [0] : axis(-range, range, grid),
      },
      axes: line ? ['α along a random direction', ''] : ['d1 (random, filter-normalised)', 'd2'],
    };
  }
  if (kind === 'line') {
    const initial = await subject.initial?.();
    if (initial === undefined) return 'The initial weights of this model are not known.';
    const at = offsets(model);
    const weights = model.trainableWeights;
    const now = await Promise.all(weights.map(values));
    const d1 = weights.map((w, k) => {
      const [from] = at.get(w)!;
      return toTensor(
        w,
        now[k]!.map((v, i) => v - initial[from + i]!),
      );
    });
    return {
      // 4k + 1 points from −0.5 to 1.5 put the initial (0) and trained (1) weights on the grid.
      plan: {
        weights,
        d1,
        xs: axis(-0.5, 1.5, grid + ((4 - ((grid - 1) % 4)) % 4)),
        ys: [0],
        origin: [1, 0],
      },
      axes: ['α (0: initial weights, 1: trained)', ''],
    };
  }
  // kind === 'path'
  const snapshots = subject.path;
  if (snapshots === undefined || snapshots.length < 3)
    return 'The training path was not recorded: train the network here (a few batches at least) to draw it.';
  const weights = movedWeights(model, request.includeBiasBn);
  const at = offsets(model);
  const parts = weights.map((w) => at.get(w)!);
  const pick = (flat: Float32Array) => {
    const out = new Float32Array(parts.reduce((n, [a, b]) => n + b - a, 0));
    let k = 0;
    for (const [a, b] of parts) {
      out.set(flat.subarray(a, b), k);
      k += b - a;
    }
    return out;
  };
  const plane = pathPlane([...snapshots.map((s) => pick(s.weights)), pick(await flatTrainable(model))]);
  if (plane === undefined) return 'The training path is too short or too straight to span a plane.';
  const split = (d: Float32Array) => {
    let k = 0;
    return weights.map((w) => {
      const size = at.get(w)![1] - at.get(w)![0];
      const t = toTensor(w, d.subarray(k, k + size));
      k += size;
      return t;
    });
  };
  const [x0, x1] = spanOf(plane.x);
  const [y0, y1] = spanOf(plane.y);
  const epochs = [...snapshots.map((s) => s.epoch), snapshots.at(-1)!.epoch];
  return {
    plan: {
      weights,
      d1: split(plane.d1),
      d2: split(plane.d2),
      xs: axis(x0, x1, grid),
      ys: axis(y0, y1, grid),
    },
    axes: [`PC1 (${percent(plane.explained[0])} of the path)`, `PC2 (${percent(plane.explained[1])})`],
    path: { x: plane.x, y: plane.y, epoch: epochs, explained: plane.explained },
  };
}

/** Computes the slice `request` asks for; the model's weights are exactly as before afterwards. */
export async function computeSurface(
  subject: SliceSubject,
  request: SliceRequest,
  hooks: SurfaceHooks = {},
): Promise<SurfaceResult> {
  const planned = await planFor(subject, request);
  if (typeof planned === 'string') return { ok: false, message: planned };
  const { plan } = planned;
  const evaluator = new SubsetEvaluator(subject.data, request.samples);
  const surfaceOf = (p: {
    loss: Float32Array;
    accuracy: Float32Array;
    done: number;
    seconds: number;
    secondsLeft: number | null;
  }): Surface => ({
    kind: request.kind,
    xs: plan.xs,
    ys: plan.ys,
    loss: p.loss,
    accuracy: p.accuracy,
    done: p.done,
    samples: evaluator.count,
    seed: request.seed,
    includeBiasBn: request.includeBiasBn,
    axes: planned.axes,
    ...(planned.path && { path: planned.path }),
    seconds: p.seconds,
    secondsLeft: p.secondsLeft,
  });
  try {
    const result = await runSlice(subject.model, evaluator, plan, {
      ...(hooks.onProgress && { onProgress: (p) => hooks.onProgress!(surfaceOf(p)) }),
      ...(hooks.shouldStop && { shouldStop: hooks.shouldStop }),
    });
    return { ok: true, status: result.status, surface: surfaceOf(result) };
  } finally {
    evaluator.dispose();
    tf.dispose([...plan.d1, ...(plan.d2 ?? [])]);
  }
}
