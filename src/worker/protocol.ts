/**
 * Messages between the page and the training worker: one union each way, so both sides are checked
 * by the compiler. Large arrays travel as transferable Float32Arrays.
 */
import type { AnalysisError as CompileError } from '../core/analyze';
import type { GraphDocument } from '../core/document';
import type { DatasetRequest, InputSize } from '../core/training/data';
import type { AugmentConfig } from '../core/training/augment';
import type { SkippedFile, StoredDataConfig, StoredDatasetInfo } from '../core/training/stored-data';
import type { BackendChoice, BackendName } from '../core/training/backends';
import type { CpuCheck } from '../core/training/cpu-check';
import type { BatchReport, DataPreview, EpochReport, ValidationResults } from '../core/training/reports';
import type { TrainConfig } from '../core/training/settings';
import type { Artifacts, SavedWeight, TrainedMeta } from '../model-files/types';

/** A graph and the data it trains on (drawn at the graph's input size). */
export interface ModelRequest {
  readonly graph: GraphDocument;
  readonly dataset: DatasetRequest;
}

/** One file the person dropped or picked, with its path inside what was dropped ("pets/cat/1.jpg"). */
export interface DroppedFile {
  readonly path: string;
  /** A File on the page (cloned to the worker as a handle: its bytes are read there). */
  readonly file: Blob;
}

/** Files to load as a dataset, fitted first at the Input's size. */
export interface DataLoad {
  readonly files: readonly DroppedFile[];
  readonly target: InputSize;
  readonly config: StoredDataConfig;
  /** Seeds the split. */
  readonly seed: number;
  /** Loose images: all of one class, added to the collection `into` (a new one when absent). */
  readonly loose?: { readonly className: string; readonly into?: string };
}

export type ToWorker =
  | { readonly type: 'init'; readonly backend: BackendChoice }
  | ({
      readonly type: 'train';
      readonly config: TrainConfig;
      /** Applied to training images only, never to validation ones. */
      readonly augment?: AugmentConfig;
    } & ModelRequest)
  /** Bring back weights saved for exactly this graph and data, if there are any. */
  | ({ readonly type: 'restore' } & ModelRequest)
  /** Put the weights of a model file into this graph. */
  | ({
      readonly type: 'load';
      readonly weights: ReadonlyMap<string, SavedWeight>;
      /** Where they came from, for messages. */
      readonly source: string;
      readonly config: TrainConfig;
    } & ModelRequest)
  /** A few images of every class of the data this graph would train on. */
  | ({ readonly type: 'preview' } & ModelRequest)
  /** Send the trained model back as tfjs artifacts (for download). */
  | { readonly type: 'export' }
  /** Train the last trained model for more epochs, from where it stopped. */
  | {
      readonly type: 'continue';
      readonly config: TrainConfig;
      readonly dataset?: DatasetRequest;
      readonly augment?: AugmentConfig;
    }
  /** Decode files into a stored dataset (kept in this browser when it can be). */
  | { readonly type: 'data-load'; readonly load: DataLoad }
  | { readonly type: 'data-remove'; readonly id: string }
  | { readonly type: 'pause' }
  | { readonly type: 'resume' }
  | { readonly type: 'stop' };

export type FailureKind = 'compile' | 'diverged' | 'out-of-memory' | 'crash' | 'backend';

/** Trained weights now in the worker, and the run that made them. */
export interface TrainedModel {
  readonly key: string;
  readonly meta: TrainedMeta;
  /** 'restored' from this browser's storage, or 'loaded' from a file. */
  readonly source: 'restored' | 'loaded';
}

export type FromWorker =
  | { readonly type: 'backend'; readonly name: BackendName; readonly reason: string }
  | { readonly type: 'compiled'; readonly trainable: number; readonly batches: number }
  | { readonly type: 'batch'; readonly report: BatchReport }
  | { readonly type: 'epoch'; readonly report: EpochReport }
  | { readonly type: 'finished'; readonly stopped: boolean }
  | { readonly type: 'results'; readonly results: ValidationResults }
  | {
      readonly type: 'failed';
      readonly kind: FailureKind;
      readonly message: string;
      /** For a graph that cannot be compiled or trained: each problem with its node. */
      readonly errors?: readonly CompileError[];
      /** The backend is unusable after this: the page starts a fresh worker. */
      readonly restart?: boolean;
    }
  /** The GPU backend's forward pass compared with the CPU's, before training. */
  | { readonly type: 'checked'; readonly check: CpuCheck }
  | ({ readonly type: 'restored' } & TrainedModel)
  /** The answer to 'export': null when there is no model (a notice says why). */
  | { readonly type: 'exported'; readonly artifacts: Artifacts | null }
  | { readonly type: 'preview'; readonly preview: DataPreview }
  /** The stored datasets, after start-up and after each change. */
  | { readonly type: 'datasets'; readonly datasets: readonly StoredDatasetInfo[] }
  /** Files being decoded (or stored) for a dataset. */
  | {
      readonly type: 'data-progress';
      readonly what: 'decoding' | 'keeping';
      readonly name: string;
      readonly done: number;
      readonly total: number;
    }
  | { readonly type: 'data-loaded'; readonly info: StoredDatasetInfo }
  | { readonly type: 'data-failed'; readonly message: string; readonly skipped: readonly SkippedFile[] }
  /** Something to tell the person that does not change the training state. */
  | { readonly type: 'notice'; readonly level: 'info' | 'error'; readonly message: string };
