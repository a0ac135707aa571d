/**
 * The tfjs layers-model file format (model.json plus binary weights) as plain types, shared by
 * everything that reads, writes, stores or sends trained weights. No TensorFlow.js here.
 */
import type { TrainConfig } from '../core/training/settings';
import type { DatasetRequest } from '../core/training/data';
import type { AugmentConfig } from '../core/training/augment';
import type { BatchReport, EpochReport } from '../core/training/reports';

/** One weight tensor as float32 values, by its saved name (`<node id>/kernel`, ...). */
export interface SavedWeight {
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** What travels with the weights so a reload shows the run that made them. */
export interface TrainedMeta {
  /** The graph structure plus dataset binding the weights belong to (see modelKey). */
  readonly key: string;
  readonly config: TrainConfig;
  readonly epochReports: readonly EpochReport[];
  readonly batchesPerEpoch: number;
  /** The data it was trained and validated on (absent in files saved by earlier versions). */
  readonly dataset?: DatasetRequest;
  /** How its training images were augmented (absent: not at all). */
  readonly augment?: AugmentConfig;
  /** The run's batch history, thinned, so a restored run draws the same curves. */
  readonly batches?: readonly BatchReport[];
}

export interface WeightSpec {
  readonly name: string;
  readonly shape: number[];
  readonly dtype: 'float32' | 'int32' | 'bool' | 'string' | 'complex64';
  readonly quantization?: { dtype: 'uint16' | 'uint8' | 'float16'; scale?: number; min?: number };
}

/** A model as tfjs' save handlers see it, with all weights in one buffer. */
export interface Artifacts {
  readonly modelTopology: object;
  readonly weightSpecs: readonly WeightSpec[];
  readonly weightData: ArrayBuffer;
  readonly userDefinedMetadata?: Record<string, unknown>;
}
