/**
 * The training lifecycle as one state, moved only by `reduce`: a pure function from the current state
 * and an event to the next state. Events that make no sense in a state leave it unchanged.
 */
import type { BatchReport, EpochReport } from '../core/training/reports';
import { appendThinned } from '../core/training/reports';
import type { TrainConfig } from '../core/training/settings';
import type { FailureKind, FromWorker } from '../worker/protocol';

export interface Progress {
  readonly epochs: number;
  readonly batchesPerEpoch: number;
  readonly batches: readonly BatchReport[];
  readonly epochReports: readonly EpochReport[];
  /** Batches done since the start, for the progress bar and ETA. */
  readonly done: number;
  readonly imagesPerSecond: number;
}

export type TrainingState =
  | { readonly phase: 'idle' }
  | { readonly phase: 'compiling'; readonly config: TrainConfig }
  | { readonly phase: 'training'; readonly config: TrainConfig; readonly progress: Progress }
  | { readonly phase: 'paused'; readonly config: TrainConfig; readonly progress: Progress }
  | {
      readonly phase: 'done';
      readonly config: TrainConfig;
      readonly progress: Progress;
      readonly stopped: boolean;
    }
  | {
      readonly phase: 'error';
      readonly kind: FailureKind;
      readonly message: string;
      readonly progress?: Progress;
    };

export type TrainingEvent =
  | { readonly type: 'start'; readonly config: TrainConfig }
  | { readonly type: 'pause' }
  | { readonly type: 'resume' }
  | { readonly type: 'reset' }
  | { readonly type: 'more'; readonly epochs: number }
  | FromWorker;

export const idle: TrainingState = { phase: 'idle' };

/** Whether a run is under way (preparing, training or paused): the graph and settings are in use. */
export const isBusy = (state: TrainingState): boolean =>
  state.phase === 'compiling' || state.phase === 'training' || state.phase === 'paused';

function withBatch(p: Progress, report: BatchReport): Progress {
  const batches = appendThinned(p.batches, report);
  // A smoothed rate: the last reading counts a fifth.
  const imagesPerSecond =
    p.imagesPerSecond === 0 ? report.imagesPerSecond : 0.8 * p.imagesPerSecond + 0.2 * report.imagesPerSecond;
  return { ...p, batches, done: p.done + 1, imagesPerSecond };
}

/** Seconds left, from the smoothed rate; null before the first batch. */
export function etaSeconds(p: Progress, batchSize: number): number | null {
  if (p.imagesPerSecond === 0) return null;
  const left = p.epochs * p.batchesPerEpoch - p.done;
  return (left * batchSize) / p.imagesPerSecond;
}

export function reduce(state: TrainingState, event: TrainingEvent): TrainingState {
  switch (event.type) {
    case 'start':
      return isBusy(state) ? state : { phase: 'compiling', config: event.config };
    case 'compiled':
      return state.phase === 'compiling'
        ? {
            phase: 'training',
            config: state.config,
            progress: {
              epochs: state.config.epochs,
              batchesPerEpoch: event.batches,
              batches: [],
              epochReports: [],
              done: 0,
              imagesPerSecond: 0,
            },
          }
        : state;
    case 'batch':
      return state.phase === 'training' || state.phase === 'paused'
        ? { ...state, progress: withBatch(state.progress, event.report) }
        : state;
    case 'epoch':
      return state.phase === 'training' || state.phase === 'paused'
        ? {
            ...state,
            progress: { ...state.progress, epochReports: [...state.progress.epochReports, event.report] },
          }
        : state;
    case 'pause':
      return state.phase === 'training' ? { ...state, phase: 'paused' } : state;
    case 'resume':
      return state.phase === 'paused' ? { ...state, phase: 'training' } : state;
    case 'finished':
      return state.phase === 'training' || state.phase === 'paused'
        ? { phase: 'done', config: state.config, progress: state.progress, stopped: event.stopped }
        : state;
    case 'failed':
      return {
        phase: 'error',
        kind: event.kind,
        message: event.message,
        ...('progress' in state ? { progress: state.progress } : {}),
      };
    case 'more':
      return state.phase === 'done'
        ? {
            phase: 'training',
            config: { ...state.config, epochs: state.config.epochs + event.epochs },
            progress: { ...state.progress, epochs: state.progress.epochs + event.epochs },
          }
        : state;
    case 'reset':
      return state.phase === 'training' || state.phase === 'compiling' ? state : idle;
    case 'restored':
      return state.phase === 'idle' || state.phase === 'done' || state.phase === 'error'
        ? {
            phase: 'done',
            config: event.meta.config,
            stopped: false,
            progress: {
              epochs: event.meta.epochReports.length,
              batchesPerEpoch: event.meta.batchesPerEpoch,
              batches: event.meta.batches ?? [],
              epochReports: event.meta.epochReports,
              done: event.meta.epochReports.length * event.meta.batchesPerEpoch,
              imagesPerSecond: 0,
            },
          }
        : state;
    case 'backend':
    case 'results':
    case 'checked':
    case 'exported':
    case 'preview':
    case 'notice':
    case 'datasets':
    case 'data-progress':
    case 'data-loaded':
    case 'data-failed':
      return state;
  }
}
