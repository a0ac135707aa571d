/**
 * After training: where the model goes wrong on the validation images. A confusion matrix, the
 * accuracy of each class, and the images it got most wrong.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import type { ImageDataset } from '../data/dataset';
import { imageFloats } from '../data/dataset';
import type { ValidationResults } from '../core/training/reports';
import { confusionMatrix, perClassAccuracy } from '../core/training/reports';
import { predictSplit } from './trainer';

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
      image: imageFloats(split, index, per),
    })),
    height: data.height,
    width: data.width,
    channels: data.channels,
  };
}
