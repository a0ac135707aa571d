/**
 * After training: where the model goes wrong on the validation images. A confusion matrix, the
 * accuracy of each class, and the images it got most wrong.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import type { ImageDataset } from '../data/dataset';
import { predictSplit } from './trainer';

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

export async function validationResults(
  model: tfl.LayersModel,
  data: ImageDataset,
  topK = 12,
): Promise<ValidationResults> {
  const split = data.validation;
  const { predicted, losses } = await predictSplit(model, data, split);
  const confusion = confusionMatrix(split.labels, predicted, data.classes.length);
  const per = data.height * data.width * data.channels;
  const worst = Array.from(losses.keys())
    .sort((a, b) => losses[b]! - losses[a]!)
    .slice(0, topK);
  return {
    classes: data.classes,
    confusion,
    perClassAccuracy: perClassAccuracy(confusion),
    topLosses: worst.map((index) => ({
      index,
      label: split.labels[index]!,
      predicted: predicted[index]!,
      loss: losses[index]!,
      image: split.images.slice(index * per, (index + 1) * per),
    })),
    height: data.height,
    width: data.width,
    channels: data.channels,
  };
}
