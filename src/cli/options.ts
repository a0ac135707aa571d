/** Command-line options shared by the commands: training settings and located errors. */
import type { ParamSpec } from '../../nodes/params';
import type { TrainConfig, TrainSettingKey } from '../core/training/settings';
import { defaultTrainConfig, trainSettingFlags, trainSettings } from '../core/training/settings';

type Values = Readonly<Record<string, string | boolean | readonly string[] | undefined>>;

/** `--key` as a positive number (whole if `integer`): undefined when absent, a message when wrong. */
export function positiveNumber(values: Values, key: string, integer: boolean): number | string | undefined {
  const raw = values[key];
  if (typeof raw !== 'string') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) && n > 0 && (!integer || Number.isInteger(n))
    ? n
    : `--${key} must be a positive ${integer ? 'whole ' : ''}number, not "${raw}"`;
}

/** A flag's text as the value its setting declares, or why it is not one. */
export function settingValue(
  flag: string,
  spec: ParamSpec,
  raw: string,
): number | string | { problem: string } {
  if (spec.type === 'choice') {
    const values = spec.options.map((o) => o.value);
    return values.includes(raw)
      ? raw
      : { problem: `--${flag} must be one of ${values.join(', ')}, not "${raw}"` };
  }
  if (spec.type === 'bool') return { problem: `--${flag} takes no value` };
  const n = Number(raw);
  const whole = spec.type !== 'float';
  const what = `${spec.min > 0 ? 'a positive' : 'a'} ${whole ? 'whole ' : ''}number`;
  if (
    raw.trim() === '' ||
    !Number.isFinite(n) ||
    (whole && !Number.isInteger(n)) ||
    n < spec.min ||
    n > spec.max
  )
    return { problem: `--${flag} must be ${what}, not "${raw}" (from ${spec.min} to ${spec.max})` };
  return n;
}

/** The CLI options of every training setting, for parseArgs. */
export const trainSettingOptions = Object.fromEntries(
  Object.values(trainSettingFlags).map((flag) => [flag, { type: 'string' as const }]),
);

/** `[--epochs N] [--batch N] [--lr X] [--optimizer sgd|adam|adamw] ...`, from the declarations. */
export function trainSettingsUsage(): string {
  return (Object.keys(trainSettings) as TrainSettingKey[])
    .map((key) => {
      const spec = trainSettings[key];
      const arg =
        spec.type === 'choice'
          ? spec.options.map((o) => o.value).join('|')
          : spec.type === 'float'
            ? 'X'
            : 'N';
      return `[--${trainSettingFlags[key]} ${arg}]`;
    })
    .join(' ');
}

/** The training settings from their flags (--epochs --lr --batch --optimizer --seed ...), or why they are wrong. */
export function trainConfigFrom(values: Values): TrainConfig | string {
  const config: Record<string, number | string> = { ...defaultTrainConfig };
  for (const key of Object.keys(trainSettings) as TrainSettingKey[]) {
    const flag = trainSettingFlags[key];
    const raw = values[flag];
    if (typeof raw !== 'string') continue;
    const value = settingValue(flag, trainSettings[key], raw);
    if (typeof value === 'object') return value.problem;
    config[key] = value;
  }
  return config as unknown as TrainConfig;
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
