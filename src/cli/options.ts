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
