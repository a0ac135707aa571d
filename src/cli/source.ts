/** Resolves a CLI graph argument: a template name or a path to a graph file. */
import { existsSync, readFileSync } from 'node:fs';
import type { GraphDocument } from '../core/document';
import { formatDocError } from '../core/issues';
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
