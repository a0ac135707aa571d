/**
 * Parameter declarations for node kinds. One declaration drives the document schema, the inspector
 * form, the defaults and the typed values a node's functions receive.
 */
interface ParamBase<T> {
  readonly default: T;
  /** One sentence shown under the field. */
  readonly help: string;
  readonly label?: string;
}

export interface IntParam extends ParamBase<number> {
  readonly type: 'int';
  readonly min: number;
  readonly max: number;
}

/** A whole number, or 'auto' meaning the node picks it from its input (explained by autoHelp). */
export interface AutoIntParam extends ParamBase<number | 'auto'> {
  readonly type: 'autoInt';
  readonly min: number;
  readonly max: number;
  readonly autoHelp: string;
}

export interface FloatParam extends ParamBase<number> {
  readonly type: 'float';
  readonly min: number;
  readonly max: number;
  readonly step: number;
}

export interface ChoiceOption<O extends string> {
  readonly value: O;
  readonly label: string;
}

export interface ChoiceParam<O extends string = string> extends ParamBase<O> {
  readonly type: 'choice';
  readonly options: readonly ChoiceOption<O>[];
}

export interface BoolParam extends ParamBase<boolean> {
  readonly type: 'bool';
}

export type ParamSpec = IntParam | AutoIntParam | FloatParam | ChoiceParam | BoolParam;
export type ParamSpecs = Readonly<Record<string, ParamSpec>>;

export type ParamValue<S extends ParamSpec> =
  S extends ChoiceParam<infer O>
    ? O
    : S extends BoolParam
      ? boolean
      : S extends AutoIntParam
        ? number | 'auto'
        : number;

export type ParamValues<P extends ParamSpecs> = { readonly [K in keyof P]: ParamValue<P[K]> };

export const int = (def: number, min: number, max: number, help: string, label?: string): IntParam => ({
  type: 'int',
  default: def,
  min,
  max,
  help,
  ...(label === undefined ? {} : { label }),
});

export const autoInt = (
  min: number,
  max: number,
  help: string,
  autoHelp: string,
  label?: string,
): AutoIntParam => ({
  type: 'autoInt',
  default: 'auto',
  min,
  max,
  help,
  autoHelp,
  ...(label === undefined ? {} : { label }),
});

export const float = (
  def: number,
  min: number,
  max: number,
  step: number,
  help: string,
  label?: string,
): FloatParam => ({
  type: 'float',
  default: def,
  min,
  max,
  step,
  help,
  ...(label === undefined ? {} : { label }),
});

export function choice<const O extends string>(
  options: readonly ChoiceOption<O>[],
  def: NoInfer<O>,
  help: string,
  label?: string,
): ChoiceParam<O> {
  return { type: 'choice', options, default: def, help, ...(label === undefined ? {} : { label }) };
}

export const bool = (def: boolean, help: string, label?: string): BoolParam => ({
  type: 'bool',
  default: def,
  help,
  ...(label === undefined ? {} : { label }),
});

/** The default value of every parameter. */
export function defaultParams<P extends ParamSpecs>(specs: P): ParamValues<P> {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(specs)) out[key] = spec.default;
  return out as ParamValues<P>;
}
