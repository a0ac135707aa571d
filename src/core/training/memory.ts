/**
 * How much memory training needs, roughly, and what to say when a backend runs out of it.
 */
import type { GraphAnalysis } from '../analyze';
import type { TrainConfig } from './settings';

const BYTES = 4;
const ACTIVATION_COPIES = 6;

export interface MemoryEstimate {
  /** Weights, their gradients and the optimizer's per-weight state. */
  readonly weights: number;
  /**
   * Every node's output for a whole batch, kept for the backward pass, plus its gradient and the
   * same-sized temporaries the backward pass makes (measured in tfjs: about six outputs' worth).
   */
  readonly activations: number;
  readonly total: number;
}

export function estimateTrainingMemory(analysis: GraphAnalysis, config: TrainConfig): MemoryEstimate {
  const { trainable, nonTrainable, activationBytes } = analysis.totals;
  // Adam keeps two moments per weight, SGD with momentum one.
  const slots = config.optimizer === 'sgd' ? 1 : 2;
  const weights = trainable * BYTES * (2 + slots) + nonTrainable * BYTES;
  const activations = activationBytes * config.batchSize * ACTIVATION_COPIES;
  return { weights, activations, total: weights + activations };
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(0)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** Whether an error from a backend means it ran out of memory. */
export function isOutOfMemory(error: unknown): boolean {
  const text = error instanceof Error ? `${error.name} ${error.message}` : String(error);
  return /out of memory|memory access out of bounds|allocation failed|Cannot allocate|OOM|RangeError: Array buffer allocation|could not allocate|CONTEXT_LOST|exceeds the max/i.test(
    text,
  );
}

/** What to tell the person: how much was needed, where it goes, and what to change. */
export function outOfMemoryMessage(
  backend: string,
  estimate: MemoryEstimate,
  config: TrainConfig,
  reason: string,
): string {
  const smaller = Math.max(1, Math.floor(config.batchSize / 4));
  const mostly =
    estimate.activations > estimate.weights
      ? `most of it is activations (${formatBytes(estimate.activations)} at batch ${config.batchSize}), which shrink with the batch size and the input size: try batch ${smaller}, or a smaller input image`
      : `most of it is weights and optimizer state (${formatBytes(estimate.weights)}): try fewer filters or fewer layers, or SGD, which keeps one value per weight instead of Adam's two`;
  return `The ${backend} backend ran out of memory. Training this network needs about ${formatBytes(estimate.total)}; ${mostly}. Your graph is unchanged. (${reason})`;
}
