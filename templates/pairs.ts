/**
 * Ready-made comparisons for the loss-surface page: a plain network and its residual twin, with the
 * data, training and slice settings that make the lesson show.
 */
import type { GraphDocument } from '../src/core/document';
import type { SliceConfig } from '../src/core/surface/settings';
import type { DatasetConfig, TrainConfig } from '../src/core/training/settings';
import { cifarNet, plain20, plain56, resnet20, resnet56 } from './recipes';

export interface ComparisonPreset {
  readonly name: string;
  readonly title: string;
  readonly blurb: string;
  readonly graphs: () => readonly [GraphDocument, GraphDocument];
  readonly train: Partial<TrainConfig>;
  readonly data: DatasetConfig;
  readonly slice: Partial<SliceConfig>;
}

const halfWidth = { size: 16, widths: [8, 16, 32] };

export const CLASSROOM = 'classroom';

export const comparisonPresets: readonly ComparisonPreset[] = [
  {
    name: CLASSROOM,
    title: 'Classroom: plain-20 vs ResNet-20, 16×16, half width',
    blurb:
      'Both trained for 3 epochs on 2,000 images, then an 11×11 slice each: about 4 minutes on an otherwise idle 2-core machine, and the plain network ends with the higher training loss.',
    graphs: () => [
      cifarNet('plain-20 (16×16, half width)', 3, false, halfWidth),
      cifarNet('ResNet-20 (16×16, half width)', 3, true, halfWidth),
    ],
    train: {
      epochs: 3,
      batchSize: 32,
      learningRate: 0.005,
      optimizer: 'adam',
      schedule: 'one-cycle',
      seed: 1,
    },
    data: { trainCount: 2000, validationCount: 500 },
    slice: { grid: 11, range: 1, samples: 128, seed: 1 },
  },
  {
    name: 'paper-20',
    title: 'plain-20 vs ResNet-20 (32×32, as in the paper)',
    blurb:
      'The templates as published. On the built-in shapes both learn well: depth 20 is not yet deep enough to hurt.',
    graphs: () => [plain20(), resnet20()],
    train: { epochs: 3 },
    data: { trainCount: 5000, validationCount: 1000 },
    slice: { grid: 21 },
  },
  {
    name: 'paper-56',
    title: 'plain-56 vs ResNet-56 (32×32, Li et al.’s pair)',
    blurb:
      'The pair whose surfaces Li et al. 2018 drew: chaotic without skips, smooth with them. Slow without a GPU.',
    graphs: () => [plain56(), resnet56()],
    train: { epochs: 3 },
    data: { trainCount: 5000, validationCount: 1000 },
    slice: { grid: 21 },
  },
];

export const findPreset = (name: string): ComparisonPreset | undefined =>
  comparisonPresets.find((p) => p.name === name);
