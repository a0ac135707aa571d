/**
 * A comparison as state: two graphs trained alike, then sliced alike, one after the other (or both at
 * once in two workers). Pure: the slice feeds it the workers' messages and reads what to send next.
 */
import type { GraphDocument } from '../core/document';
import type { SliceRequest, Surface } from '../core/surface/types';
import type { BatchReport, EpochReport } from '../core/training/reports';
import type { DatasetConfig, TrainConfig } from '../core/training/settings';
import type { FromWorker } from '../worker/protocol';

export type SidePhase = 'waiting' | 'training' | 'slicing' | 'done' | 'failed';

export interface Side {
  readonly graph: GraphDocument;
  readonly phase: SidePhase;
  readonly batches: readonly BatchReport[];
  readonly epochs: readonly EpochReport[];
  readonly surface?: Surface;
  readonly message?: string;
}

export interface ComparisonPlan {
  readonly graphs: readonly [GraphDocument, GraphDocument];
  readonly config: TrainConfig;
  readonly data: DatasetConfig;
  readonly slice: SliceRequest;
  /** Both sides at once (two workers), or one after the other. */
  readonly parallel: boolean;
}

export type Comparison =
  | { readonly phase: 'idle' }
  | {
      readonly phase: 'running' | 'done' | 'cancelled';
      readonly plan: ComparisonPlan;
      readonly sides: readonly [Side, Side];
      /** performance.now() at the start, and at the end. */
      readonly started: number;
      readonly ended?: number;
    };

export const idleComparison: Comparison = { phase: 'idle' };

export function startComparison(plan: ComparisonPlan, now: number): Comparison {
  const side = (graph: GraphDocument): Side => ({ graph, phase: 'waiting', batches: [], epochs: [] });
  return { phase: 'running', plan, sides: [side(plan.graphs[0]), side(plan.graphs[1])], started: now };
}

/** What a side's worker should do next, if anything: train it or slice it. */
export type Step = { readonly side: 0 | 1; readonly action: 'train' | 'slice' };

/** A side's message applied to the comparison; with the step to send next. */
export function receiveSide(
  c: Comparison,
  side: 0 | 1,
  m: FromWorker,
  now: number,
): { comparison: Comparison; next?: Step } {
  if (c.phase !== 'running') return { comparison: c };
  const s = c.sides[side];
  let updated: Side = s;
  let next: Step | undefined;
  switch (m.type) {
    case 'batch':
      updated = { ...s, phase: 'training', batches: [...s.batches, m.report] };
      break;
    case 'epoch':
      updated = { ...s, epochs: [...s.epochs, m.report] };
      break;
    case 'finished':
      if (m.stopped) return { comparison: c };
      updated = { ...s, phase: 'slicing' };
      next = { side, action: 'slice' };
      break;
    case 'surface':
      updated = { ...s, surface: m.surface, phase: m.status === 'running' ? 'slicing' : 'done' };
      break;
    case 'failed':
    case 'surface-failed':
      updated = { ...s, phase: 'failed', message: m.message };
      break;
    default:
      return { comparison: c };
  }
  const sides: [Side, Side] = side === 0 ? [updated, c.sides[1]] : [c.sides[0], updated];
  const settled = (p: SidePhase) => p === 'done' || p === 'failed';
  // One after the other: the second side starts when the first has settled.
  if (!c.plan.parallel && side === 0 && settled(updated.phase) && !settled(s.phase))
    next = { side: 1, action: 'train' };
  const finished = sides.every((x) => settled(x.phase));
  return {
    comparison: { ...c, sides, ...(finished && { phase: 'done' as const, ended: now }) },
    ...(next && { next }),
  };
}

/** How far the whole comparison is, 0 … 1: training counts for most of each side, the slice for the rest. */
export function comparisonProgress(c: Comparison): number {
  if (c.phase === 'idle') return 0;
  if (c.phase === 'done') return 1;
  const share = 0.8;
  const per = (s: Side) => {
    if (s.phase === 'done' || s.phase === 'failed') return 1;
    const last = s.batches.at(-1);
    const trained =
      last === undefined ? 0 : (last.epoch - 1 + last.batch / last.batches) / c.plan.config.epochs;
    const sliced = s.surface === undefined ? 0 : s.surface.done / (s.surface.xs.length * s.surface.ys.length);
    return share * Math.min(1, trained) + (1 - share) * sliced;
  };
  return (per(c.sides[0]) + per(c.sides[1])) / 2;
}

/** Seconds left, from the time so far and the progress; null before there is enough to tell. */
export function comparisonSecondsLeft(c: Comparison, now: number): number | null {
  if (c.phase !== 'running') return null;
  const p = comparisonProgress(c);
  if (p < 0.02) return null;
  return ((now - c.started) / 1000 / p) * (1 - p);
}
