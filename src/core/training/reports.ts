/**
 * What a training run reports, as plain data: per batch, per epoch, and where the trained model goes
 * wrong on the validation images. The worker sends these; the page and the CLI show them.
 */

export interface BatchReport {
  readonly epoch: number;
  readonly batch: number;
  readonly batches: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly learningRate: number;
  readonly imagesPerSecond: number;
}

export interface EpochReport {
  readonly epoch: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly valLoss: number;
  readonly valAccuracy: number;
  readonly seconds: number;
  /** How far this epoch moved the trainable weights: ‖W_end − W_start‖ / ‖W_start‖. */
  readonly weightChange: number;
}

export interface TopLoss {
  readonly index: number;
  readonly label: number;
  readonly predicted: number;
  readonly loss: number;
  /** height × width × channels values in [0, 1]. */
  readonly image: Float32Array;
}

export interface ValidationResults {
  readonly classes: readonly string[];
  /** confusion[actual][predicted] = count. */
  readonly confusion: readonly (readonly number[])[];
  readonly perClassAccuracy: readonly number[];
  readonly topLosses: readonly TopLoss[];
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

/** counts[actual][predicted] from parallel label arrays. */
export function confusionMatrix(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
  classes: number,
): number[][] {
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < actual.length; i++) m[actual[i]!]![predicted[i]!]!++;
  return m;
}

/** Diagonal over row sums; NaN for a class with no images. */
export const perClassAccuracy = (m: readonly (readonly number[])[]): number[] =>
  m.map((row, i) => row[i]! / row.reduce((a, b) => a + b, 0));

/** Batches kept for the live chart and saved with a run; older ones are thinned out. */
export const BATCH_HISTORY = 2000;

/** `list` plus `item`, halving the older items (every other one) whenever `max` is reached. */
export function appendThinned<T>(list: readonly T[], item: T, max = BATCH_HISTORY): T[] {
  return list.length >= max ? [...list.filter((_, i) => i % 2 === 0), item] : [...list, item];
}

/** A few training images of every class, for a look at the data before training. */
export interface DataPreview {
  readonly name: string;
  readonly classes: readonly string[];
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly trainCount: number;
  readonly validationCount: number;
  /** Training and validation images of each class. */
  readonly trainPerClass: readonly number[];
  readonly validationPerClass: readonly number[];
  /** Images per class in `images` (fewer when a class has fewer). */
  readonly perClass: number;
  /** classes × perClass images, class by class, HWC values in [0, 1]; missing ones are all zero. */
  readonly images: Float32Array;
}
