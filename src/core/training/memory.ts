/**
 * How much memory training needs, roughly, and what to say when a backend runs out of it.
 */
import type { GraphAnalysis } from '../analyze';
import type { BackendName } from './backends';
import type { TrainConfig } from './settings';

/**
 * The most a backend can hold, where it is known: WebAssembly memory cannot grow past 4 GB (tfjs'
 * build caps its heap at 4,294,901,760 bytes). GPU and JavaScript memory depend on the machine.
 */
export const BACKEND_MEMORY_LIMIT: Readonly<Partial<Record<BackendName, number>>> = { wasm: 4294901760 };

const BYTES = 4;
const ACTIVATION_COPIES = 4;

export interface MemoryEstimate {
  /** Weights, their gradients and the optimizer's per-weight state. */
  readonly weights: number;
  /**
   * Every node's output for a whole batch, kept for the backward pass, plus its gradient and the
   * same-sized temporaries the backward pass makes (measured in tfjs on WebAssembly, the backend with
   * a hard limit, with the added kernels: about four outputs' worth; tfjs' own batch norm and
   * optimizer made about six).
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

const errorText = (error: unknown) =>
  error instanceof Error ? `${error.name} ${error.message}` : String(error);

/**
 * Whether an error from a backend means it ran out of memory. WebAssembly says so only as an abort
 * ("Aborted()", an out-of-bounds access) when its heap cannot grow.
 */
export function isOutOfMemory(error: unknown): boolean {
  return /out of memory|memory access out of bounds|allocation failed|Cannot allocate|OOM|RangeError: Array buffer allocation|could not allocate|CONTEXT_LOST|exceeds the max|Aborted\(|Cannot enlarge memory/i.test(
    errorText(error),
  );
}

/**
 * Whether the error left the backend unusable: after a WebAssembly abort its module is dead, and every
 * later call fails until the worker starts afresh.
 */
export function leavesBackendBroken(error: unknown): boolean {
  return /Aborted\(|RuntimeError|memory access out of bounds|unreachable|CONTEXT_LOST/i.test(
    errorText(error),
  );
}

/** The planned refusal when an estimate exceeds what the backend can hold; null when it fits. */
export function memoryRefusal(
  backend: BackendName,
  estimate: MemoryEstimate,
  config: TrainConfig,
): string | null {
  const limit = BACKEND_MEMORY_LIMIT[backend];
  if (limit === undefined || estimate.total <= limit) return null;
  // The largest batch whose activations fit beside the weights.
  const perImage = estimate.activations / config.batchSize;
  const fits = Math.floor((limit - estimate.weights) / perImage);
  return outOfMemoryMessage(
    backend,
    estimate,
    config,
    `the ${backend} backend can hold at most ${formatBytes(limit)}`,
    'would run',
    fits >= 1 ? fits : undefined,
  );
}

/** What to tell the person: how much was needed, where it goes, and what to change. */
export function outOfMemoryMessage(
  backend: string,
  estimate: MemoryEstimate,
  config: TrainConfig,
  reason: string,
  ran: 'ran' | 'would run' = 'ran',
  fittingBatch?: number,
): string {
  const smaller = fittingBatch ?? Math.max(1, Math.floor(config.batchSize / 4));
  const mostly =
    estimate.activations > estimate.weights
      ? `most of it is activations (${formatBytes(estimate.activations)} at batch ${config.batchSize}), which shrink with the batch size and the input size: try batch ${smaller}${fittingBatch === undefined ? '' : ' or smaller'}, or a smaller input image`
      : `most of it is weights and optimizer state (${formatBytes(estimate.weights)}): try fewer filters or fewer layers, or SGD, which keeps one value per weight instead of Adam's two`;
  return `The ${backend} backend ${ran} out of memory. Training this network needs about ${formatBytes(estimate.total)}; ${mostly}. Your graph is unchanged. (${reason})`;
}
