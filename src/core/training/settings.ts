/** Training settings a person chooses; the same object drives the worker, the CLI and codegen. */
export interface TrainConfig {
  readonly optimizer: 'sgd' | 'adam' | 'adamw';
  readonly learningRate: number;
  /** SGD only. */
  readonly momentum: number;
  /** Weight decay on conv and dense kernels: decoupled for AdamW, an L2 penalty for Adam and SGD; 0 for none. */
  readonly weightDecay: number;
  readonly schedule: 'constant' | 'one-cycle';
  readonly batchSize: number;
  readonly epochs: number;
  /** Initial weights, shuffling order and the built-in images; the same seed gives the same run. */
  readonly seed: number;
}

export const defaultTrainConfig: TrainConfig = {
  optimizer: 'adam',
  learningRate: 0.005,
  momentum: 0.9,
  weightDecay: 0,
  schedule: 'one-cycle',
  batchSize: 32,
  epochs: 3,
  seed: 1,
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
