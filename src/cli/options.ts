/** Command-line options shared by the commands: training settings and located errors. */
import type { TrainConfig } from '../core/training/settings';
import { defaultTrainConfig } from '../core/training/settings';

const optimizers: readonly TrainConfig['optimizer'][] = ['sgd', 'adam', 'adamw'];

type Values = Readonly<Record<string, string | boolean | undefined>>;

/** `--key` as a positive number (whole if `integer`): undefined when absent, a message when wrong. */
export function positiveNumber(values: Values, key: string, integer: boolean): number | string | undefined {
  const raw = values[key];
  if (typeof raw !== 'string') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) && n > 0 && (!integer || Number.isInteger(n))
    ? n
    : `--${key} must be a positive ${integer ? 'whole ' : ''}number, not "${raw}"`;
}

/** The training settings from --epochs --lr --batch --optimizer --seed, or why they are wrong. */
export function trainConfigFrom(values: Values): TrainConfig | string {
  const epochs = positiveNumber(values, 'epochs', true);
  const lr = positiveNumber(values, 'lr', false);
  const batch = positiveNumber(values, 'batch', true);
  const seed = positiveNumber(values, 'seed', true);
  for (const v of [epochs, lr, batch, seed]) if (typeof v === 'string') return v;
  const optimizer = values['optimizer'];
  if (optimizer !== undefined && !optimizers.includes(optimizer as TrainConfig['optimizer']))
    return `--optimizer must be one of ${optimizers.join(', ')}, not "${String(optimizer)}"`;
  return {
    ...defaultTrainConfig,
    ...(epochs === undefined ? {} : { epochs: epochs as number }),
    ...(lr === undefined ? {} : { learningRate: lr as number }),
    ...(batch === undefined ? {} : { batchSize: batch as number }),
    ...(seed === undefined ? {} : { seed: seed as number }),
    ...(optimizer === undefined ? {} : { optimizer: optimizer as TrainConfig['optimizer'] }),
  };
}

/** "The graph cannot be <what>:" and one indented line per problem, each with its node. */
export function locatedErrors(
  what: string,
  errors: readonly { readonly nodeId?: string; readonly message: string }[],
): string {
  return [
    `The graph cannot be ${what}:`,
    ...errors.map((e) => `  ${e.nodeId ?? 'graph'}: ${e.message}`),
  ].join('\n');
}

/**
 * Ranges of `train`'s dataset flags: the image counts are the training panel's; the image size
 * reaches beyond the app's 32 for experiments, up to what the Input node's defaults make sense for.
 */
export const datasetFlags = {
  size: { min: 8, max: 256 },
  'train-images': { min: 64, max: 50_000 },
  'val-images': { min: 20, max: 10_000 },
} as const;

/** The built-in images are held in memory as float32 (3 channels): this much at most, both splits together. */
export const MAX_DATASET_BYTES = 2 ** 30;

/** `--key` as a whole number in [min, max]: undefined when absent, a message when wrong. */
export function wholeInRange(
  values: Values,
  key: string,
  min: number,
  max: number,
): number | string | undefined {
  const n = positiveNumber(values, key, true);
  if (typeof n !== 'number' || (n >= min && n <= max)) return n;
  return `--${key} must be a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}, not "${String(values[key])}"`;
}

export interface DatasetOptions {
  readonly size: number;
  readonly trainCount: number;
  readonly validationCount: number;
}

/** --size --train-images --val-images (defaults 32, 5,000, 1,000), or why they are wrong. */
export function datasetOptionsFrom(values: Values): DatasetOptions | string {
  const pick = (key: keyof typeof datasetFlags, fallback: number): number | string => {
    const { min, max } = datasetFlags[key];
    return wholeInRange(values, key, min, max) ?? fallback;
  };
  const size = pick('size', 32);
  const trainCount = pick('train-images', 5000);
  const validationCount = pick('val-images', 1000);
  if (typeof size === 'string') return size;
  if (typeof trainCount === 'string') return trainCount;
  if (typeof validationCount === 'string') return validationCount;
  const bytes = (trainCount + validationCount) * size * size * 3 * 4;
  if (bytes > MAX_DATASET_BYTES)
    return `--train-images ${trainCount} and --val-images ${validationCount} at --size ${size} need ${(bytes / 2 ** 30).toFixed(1)} GiB of images; at most ${MAX_DATASET_BYTES / 2 ** 30} GiB: use fewer images or a smaller size`;
  return { size, trainCount, validationCount };
}

/** Why --backend cannot be used (only wasm and cpu run in Node), or null. */
export function nodeBackendProblem(values: Values): string | null {
  const backend = values['backend'];
  if (backend === undefined || backend === 'wasm' || backend === 'cpu') return null;
  return backend === 'webgl' || backend === 'webgpu'
    ? `--backend ${backend} needs a browser; in Node only wasm and cpu exist`
    : `--backend must be wasm or cpu, not "${String(backend)}"`;
}

/** The one graph argument of a command, or why there is not exactly one. */
export function oneGraph(
  command: string,
  positionals: readonly string[],
): { graph: string } | { message: string } {
  const [graph, second] = positionals;
  if (graph === undefined)
    return { message: `${command} needs a graph: a graph.json file or a template name` };
  if (second !== undefined)
    return {
      message: `${command} takes one graph, but was given ${positionals.length}: ${positionals.map((p) => `"${p}"`).join(', ')}`,
    };
  return { graph };
}
