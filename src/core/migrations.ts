import { SCHEMA_VERSION } from './document';

/** Upgrades a raw document from one schema version to the next. */
export interface Migration {
  readonly from: number;
  readonly describe: string;
  up(doc: Record<string, unknown>): Record<string, unknown>;
}

/**
 * Every schema change appends one entry here, so documents saved by any earlier version keep loading.
 * Version 1 is the first published format.
 */
export const migrations: readonly Migration[] = [
  {
    // Version 2 adds optional groups and a flow direction; a version-1 document has neither, so it
    // reads unchanged. The bump makes older apps refuse such files instead of dropping the groups.
    from: 1,
    describe: 'format 1 → 2: graphs may hold groups and a flow direction',
    up: (doc) => doc,
  },
];

export type MigrateResult =
  | { readonly ok: true; readonly doc: Record<string, unknown>; readonly applied: readonly string[] }
  | { readonly ok: false; readonly message: string };

/** Brings a raw document up to `target`, one version at a time. */
export function migrate(
  raw: Record<string, unknown>,
  list: readonly Migration[] = migrations,
  target: number = SCHEMA_VERSION,
): MigrateResult {
  const version = raw['schemaVersion'];
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    return { ok: false, message: 'schemaVersion must be a whole number from 1 up' };
  if (version > target)
    return {
      ok: false,
      message: `this file uses format version ${version}, made by a newer ConvCanvas; this one reads up to ${target}`,
    };
  let doc = raw;
  const applied: string[] = [];
  for (let v = version; v < target; v++) {
    const step = list.find((m) => m.from === v);
    if (step === undefined) return { ok: false, message: `no upgrade from format version ${v} is known` };
    doc = { ...step.up(doc), schemaVersion: v + 1 };
    applied.push(step.describe);
  }
  return { ok: true, doc, applied };
}
