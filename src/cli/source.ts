/** Resolves a CLI graph argument: a template name or a path to a graph file. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { GraphDocument } from '../core/document';
import { formatDocError } from '../core/issues';
import { MAX_JSON_CHARS } from '../core/limits';
import { formatBytes } from '../core/units';
import { loadGraph } from '../core/load';
import { findTemplate, templates } from '../../templates';

export type SourceResult = { ok: true; doc: GraphDocument } | { ok: false; message: string };

export function readGraphSource(arg: string): SourceResult {
  const template = findTemplate(arg);
  let raw: unknown;
  let where: string;
  if (template !== undefined) {
    raw = template.document;
    where = `template ${arg}`;
  } else if (existsSync(arg)) {
    try {
      const bytes = statSync(arg).size;
      if (bytes > MAX_JSON_CHARS)
        return {
          ok: false,
          message: `${arg} is ${formatBytes(bytes)}; a graph file is read only up to ${formatBytes(MAX_JSON_CHARS)}`,
        };
      raw = readFileSync(arg, 'utf8');
    } catch (e) {
      return { ok: false, message: `cannot read ${arg}: ${e instanceof Error ? e.message : String(e)}` };
    }
    where = arg;
  } else {
    return {
      ok: false,
      message: `"${arg}" is neither a graph file nor a template. Templates: ${templates.map((t) => t.name).join(', ')}`,
    };
  }
  const loaded = loadGraph(raw);
  if (!loaded.ok)
    return {
      ok: false,
      message: [`${where} is not a valid graph:`, ...loaded.errors.map((e) => `  ${formatDocError(e)}`)].join(
        '\n',
      ),
    };
  return { ok: true, doc: loaded.doc };
}
