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
