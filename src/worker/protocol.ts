/**
 * Messages between the page and the training worker: one union each way, so both sides are checked
 * by the compiler. Large arrays travel as transferable Float32Arrays.
 */
import type { GraphDocument } from '../core/document';
import type { TrainConfig } from '../train/config';
import type { ValidationResults } from '../train/results';
import type { BatchReport, EpochReport } from '../train/trainer';

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export type BackendChoice = BackendName | 'auto';

export interface DatasetRequest {
  readonly kind: 'shapes';
  readonly seed: number;
  readonly size: number;
}

export type ToWorker =
  | { readonly type: 'init'; readonly backend: BackendChoice }
  | {
      readonly type: 'train';
      readonly graph: GraphDocument;
      readonly config: TrainConfig;
      readonly dataset: DatasetRequest;
    }
  /** Train the last trained model for more epochs, from where it stopped. */
  | { readonly type: 'continue'; readonly config: TrainConfig }
  | { readonly type: 'pause' }
  | { readonly type: 'resume' }
  | { readonly type: 'stop' };

export type FailureKind = 'compile' | 'diverged' | 'out-of-memory' | 'crash' | 'backend';

export type FromWorker =
  | { readonly type: 'backend'; readonly name: BackendName; readonly reason: string }
  | { readonly type: 'compiled'; readonly trainable: number; readonly batches: number }
  | { readonly type: 'batch'; readonly report: BatchReport }
  | { readonly type: 'epoch'; readonly report: EpochReport }
  | { readonly type: 'finished'; readonly stopped: boolean }
  | { readonly type: 'results'; readonly results: ValidationResults }
  | { readonly type: 'failed'; readonly kind: FailureKind; readonly message: string };
