/** Validation of a node's saved parameter values against its kind's declarations. */
import { z } from 'zod';
import type { AnyNodeDef, ParamValuesLoose } from '../../nodes/define';
import type { ParamSpec } from '../../nodes/params';

function wholeNumber(min: number, max: number) {
  const range = `must be a whole number from ${min} to ${max}`;
  return z.number({ error: range }).int(range).min(min, range).max(max, range);
}

function schemaFor(spec: ParamSpec): z.ZodType {
  switch (spec.type) {
    case 'int':
      return wholeNumber(spec.min, spec.max);
    case 'autoInt':
      return z.union([z.literal('auto'), wholeNumber(spec.min, spec.max)], {
        error: `must be "auto" or a whole number from ${spec.min} to ${spec.max}`,
      });
    case 'float': {
      const range = `must be a number from ${spec.min} to ${spec.max}`;
      return z.number({ error: range }).min(spec.min, range).max(spec.max, range);
    }
    case 'choice': {
      const values = spec.options.map((o) => o.value);
      return z.enum(values as [string, ...string[]], {
        error: `must be one of ${values.map((v) => `"${v}"`).join(', ')}`,
      });
    }
    case 'bool':
      return z.boolean({ error: 'must be true or false' });
  }
}

const cache = new WeakMap<AnyNodeDef, ReadonlyMap<string, z.ZodType>>();

function schemasOf(def: AnyNodeDef): ReadonlyMap<string, z.ZodType> {
  let schemas = cache.get(def);
  if (schemas === undefined) {
    schemas = new Map(Object.entries(def.params).map(([key, spec]) => [key, schemaFor(spec)]));
    cache.set(def, schemas);
  }
  return schemas;
}

export interface ParamProblem {
  readonly key: string;
  readonly message: string;
}

export type ParamCheck =
  | { readonly ok: true; readonly values: ParamValuesLoose }
  | { readonly ok: false; readonly problems: readonly ParamProblem[] };

/**
 * Checks saved values, fills defaults for missing ones, and names every bad or unknown key. Keys
 * are the input's own: a `constructor` or `__proto__` in a file is an unknown key like any other.
 */
export function checkParams(def: AnyNodeDef, raw: Readonly<Record<string, unknown>>): ParamCheck {
  const schemas = schemasOf(def);
  const values: Record<string, number | string | boolean> = {};
  const problems: ParamProblem[] = [];
  for (const [key, spec] of Object.entries(def.params)) {
    if (!Object.hasOwn(raw, key)) {
      values[key] = spec.default;
      continue;
    }
    const parsed = schemas.get(key)!.safeParse(raw[key]);
    if (parsed.success) values[key] = parsed.data as number | string | boolean;
    else problems.push({ key, message: parsed.error.issues[0]?.message ?? 'is not valid' });
  }
  for (const key of Object.keys(raw))
    if (!schemas.has(key))
      problems.push({
        key,
        message: `is not a parameter of ${def.label}${
          Object.keys(def.params).length > 0 ? ` (it has ${Object.keys(def.params).join(', ')})` : ''
        }`,
      });
  return problems.length === 0 ? { ok: true, values } : { ok: false, problems };
}
