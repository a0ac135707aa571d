/**
 * Training settings, declared once as data (range, default, help) like node parameters: the training
 * panel renders its fields from them, the CLI parses and checks its flags with them, and generated code
 * documents its options with them.
 */
import type { ParamValues } from '../../../nodes/params';
import { choice, defaultParams, float, int } from '../../../nodes/params';

export const trainSettings = {
  epochs: int(3, 1, 200, 'Passes over all the training images.'),
  batchSize: int(32, 1, 1024, 'Images per optimizer step.', 'batch'),
  learningRate: float(
    0.005,
    0.00001,
    1,
    0.001,
    'The peak step size: one-cycle rises to it and falls from it.',
    'learning rate',
  ),
  optimizer: choice(
    [
      { value: 'sgd', label: 'SGD + momentum' },
      { value: 'adam', label: 'Adam' },
      { value: 'adamw', label: 'AdamW' },
    ],
    'adam',
    'sgd uses momentum; adamw is Adam with decoupled weight decay.',
  ),
  schedule: choice(
    [
      { value: 'one-cycle', label: 'One-cycle' },
      { value: 'constant', label: 'Constant' },
    ],
    'one-cycle',
    'One-cycle warms up to the learning rate over the first quarter, then anneals it to almost 0.',
  ),
  weightDecay: float(
    0,
    0,
    0.1,
    0.0001,
    'Shrinks conv and dense kernels: decoupled for AdamW, an L2 penalty for Adam and SGD; 0 for none.',
    'weight decay',
  ),
  momentum: float(0.9, 0, 0.999, 0.01, 'SGD only: how much of the previous step carries into the next.'),
  seed: int(
    1,
    1,
    1_000_000,
    'Initial weights, shuffling order and the built-in images; the same seed gives the same run.',
  ),
};

/** Training settings a person chooses; the same object drives the worker, the CLI and codegen. */
export type TrainConfig = ParamValues<typeof trainSettings>;
export type TrainSettingKey = keyof TrainConfig;

export const defaultTrainConfig: TrainConfig = defaultParams(trainSettings);

/** The command-line flag of each setting. */
export const trainSettingFlags: Readonly<Record<TrainSettingKey, string>> = {
  epochs: 'epochs',
  batchSize: 'batch',
  learningRate: 'lr',
  optimizer: 'optimizer',
  schedule: 'schedule',
  weightDecay: 'weight-decay',
  momentum: 'momentum',
  seed: 'seed',
};

/** Settings shown at once in the panel; the others fold under "More settings". */
export const mainTrainSettings: readonly TrainSettingKey[] = [
  'epochs',
  'batchSize',
  'learningRate',
  'optimizer',
];

/** How many built-in images to draw for each split. */
export const datasetSettings = {
  trainCount: int(5000, 64, 50_000, 'Images the network learns from.', 'training images'),
  validationCount: int(1000, 20, 10_000, 'Images kept aside to measure it each epoch.', 'validation images'),
};
export type DatasetConfig = ParamValues<typeof datasetSettings>;
export const defaultDatasetConfig: DatasetConfig = defaultParams(datasetSettings);

/** The command-line flag of each dataset setting. */
export const datasetSettingFlags: Readonly<Record<keyof DatasetConfig, string>> = {
  trainCount: 'train-images',
  validationCount: 'val-images',
};

/**
 * Learning rate at `progress` (0 at the first step, 1 after the last). One-cycle: a cosine rise from
 * lr/25 to lr over the first quarter, then a cosine fall to lr/25,000 (Smith 2018, as in fastai).
 */
export function learningRateAt(config: TrainConfig, progress: number): number {
  const lr = config.learningRate;
  if (config.schedule === 'constant') return lr;
  const warm = 0.25;
  const cosine = (from: number, to: number, t: number) =>
    to + ((from - to) * (1 + Math.cos(Math.PI * t))) / 2;
  return progress < warm
    ? cosine(lr / 25, lr, progress / warm)
    : cosine(lr, lr / 25e3, (progress - warm) / (1 - warm));
}
