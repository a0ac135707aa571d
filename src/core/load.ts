/**
 * Turns untrusted input (a file, a share link, browser storage) into a GraphDocument, or into a list
 * of located errors. Never throws and never evaluates anything from the input.
 */
import { getNodeDef } from '../../nodes';
import type { GraphDocument, GraphEdge, GraphNode } from './document';
import { graphDocumentSchema, handleIndex } from './document';
import { cycleMembers, indexGraph, topoSort } from './graph';
import { checkGroups } from './groups';
import type { DocError } from './issues';
import { quoteSome } from './issues';
import { parseJson } from './json';
import { graphSizeProblem } from './limits';
import { migrate } from './migrations';
import { checkParams } from './params';

export type LoadResult =
  | { readonly ok: true; readonly doc: GraphDocument; readonly upgrades: readonly string[] }
  | { readonly ok: false; readonly errors: readonly DocError[] };

const fail = (...errors: DocError[]): LoadResult => ({ ok: false, errors });

export { parseJson };

const pathText = (path: readonly PropertyKey[]): string =>
  path.reduce<string>(
    (s, k) => (typeof k === 'number' ? `${s}[${k}]` : s === '' ? String(k) : `${s}.${String(k)}`),
    '',
  ) || '(document)';

/** The id of nodes[i] or edges[i] in the raw input, when it has a usable one. */
function rawId(raw: unknown, list: 'nodes' | 'edges', i: number): string | undefined {
  const items = (raw as Record<string, unknown>)[list];
  if (!Array.isArray(items)) return undefined;
  const id = (items[i] as Record<string, unknown> | undefined)?.['id'];
  return typeof id === 'string' && id.length <= 64 ? id : undefined;
}

function locate(raw: unknown, path: readonly PropertyKey[], message: string): DocError {
  const [list, i] = path;
  const base = { path: pathText(path), message };
  if (list === 'nodes' && typeof i === 'number') {
    const nodeId = rawId(raw, 'nodes', i);
    return nodeId === undefined ? base : { ...base, nodeId };
  }
  if (list === 'edges' && typeof i === 'number') {
    const edgeId = rawId(raw, 'edges', i);
    return edgeId === undefined ? base : { ...base, edgeId };
  }
  return base;
}

/**
 * The params object of nodes[i] as it came in. The schema's record leaves out a `__proto__` key;
 * checking the params as given refuses it like any other unknown key.
 */
function rawParams(raw: Record<string, unknown>, i: number): Record<string, unknown> | undefined {
  const nodes = raw['nodes'];
  const params = Array.isArray(nodes)
    ? (nodes[i] as Record<string, unknown> | undefined)?.['params']
    : undefined;
  return typeof params === 'object' && params !== null && !Array.isArray(params)
    ? (params as Record<string, unknown>)
    : undefined;
}

/** Checks node kinds and params; returns nodes with every param filled in. */
function checkNodes(
  nodes: readonly GraphNode[],
  errors: DocError[],
  raw: Record<string, unknown>,
): GraphNode[] {
  const out: GraphNode[] = [];
  const seen = new Set<string>();
  nodes.forEach((node, i) => {
    const at = { path: `nodes[${i}]`, nodeId: node.id };
    if (seen.has(node.id))
      errors.push({ ...at, path: `${at.path}.id`, message: 'this id is used by another node' });
    seen.add(node.id);
    const def = getNodeDef(node.kind);
    if (def === undefined) {
      errors.push({ ...at, path: `${at.path}.kind`, message: `"${node.kind}" is not a known node kind` });
      return;
    }
    const check = checkParams(def, rawParams(raw, i) ?? node.params);
    if (!check.ok) {
      for (const p of check.problems)
        errors.push({ ...at, path: `${at.path}.params.${p.key}`, message: p.message });
      return;
    }
    out.push({ ...node, params: check.values });
  });
  return out;
}

function checkEdges(nodes: readonly GraphNode[], edges: readonly GraphEdge[], errors: DocError[]): void {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const edgeIds = new Set<string>();
  const slots = new Set<string>();
  edges.forEach((edge, i) => {
    const at = { path: `edges[${i}]`, edgeId: edge.id };
    if (edgeIds.has(edge.id))
      errors.push({ ...at, path: `${at.path}.id`, message: 'this id is used by another link' });
    edgeIds.add(edge.id);
    const source = byId.get(edge.source);
    const target = byId.get(edge.target);
    if (source === undefined)
      errors.push({
        ...at,
        path: `${at.path}.source`,
        message: `there is no node "${edge.source}" to start from`,
      });
    if (target === undefined) {
      errors.push({
        ...at,
        path: `${at.path}.target`,
        message: `there is no node "${edge.target}" to end at`,
      });
      return;
    }
    if (edge.source === edge.target) {
      errors.push({ ...at, path: at.path, message: `a node cannot feed itself ("${edge.source}")` });
      return;
    }
    const def = getNodeDef(target.kind);
    if (def === undefined) return;
    const slot = handleIndex(edge.targetHandle);
    if (slot >= def.inputs.max) {
      errors.push({
        ...at,
        path: `${at.path}.targetHandle`,
        message:
          def.inputs.max === 0
            ? `${def.label} "${target.id}" takes no inputs`
            : `${def.label} "${target.id}" has ${def.inputs.max === 1 ? 'one input (in0)' : `${def.inputs.max} inputs`}, not ${edge.targetHandle}`,
      });
      return;
    }
    const key = `${edge.target}\u0000${edge.targetHandle}`;
    if (slots.has(key))
      errors.push({
        ...at,
        path: `${at.path}.targetHandle`,
        message: `input ${edge.targetHandle} of "${edge.target}" already has a link`,
      });
    slots.add(key);
  });
}

function checkCycles(doc: GraphDocument, errors: DocError[]): void {
  const index = indexGraph(doc);
  const { blocked } = topoSort(index);
  if (blocked.length === 0) return;
  const loop = cycleMembers(index, blocked);
  const first = loop[0] ?? blocked[0]!;
  errors.push({
    path: 'edges',
    nodeId: first,
    message: `the links form a loop through ${quoteSome(loop, ' → ')}: data must flow one way, from the input to the output`,
  });
}

/** The node and link counts of a raw document, refused before any item is validated. */
function sizeError(raw: Record<string, unknown>): DocError | null {
  const length = (key: string): number => {
    const list = Object.hasOwn(raw, key) ? raw[key] : undefined;
    return Array.isArray(list) ? list.length : 0;
  };
  const problem = graphSizeProblem(length('nodes'), length('edges'));
  return problem === null ? null : { path: '(document)', message: problem };
}

function loadUnguarded(input: unknown): LoadResult {
  let raw = input;
  if (typeof input === 'string') {
    const parsed = parseJson(input);
    if (!parsed.ok) return fail(parsed.error);
    raw = parsed.value;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return fail({ path: '(document)', message: 'a graph file must hold one JSON object' });

  const migrated = migrate(raw as Record<string, unknown>);
  if (!migrated.ok) return fail({ path: 'schemaVersion', message: migrated.message });
  const tooBig = sizeError(migrated.doc);
  if (tooBig !== null) return fail(tooBig);

  const parsed = graphDocumentSchema.safeParse(migrated.doc);
  if (!parsed.success)
    return fail(...parsed.error.issues.slice(0, 50).map((issue) => locate(raw, issue.path, issue.message)));

  const errors: DocError[] = [];
  const nodes = checkNodes(parsed.data.nodes as GraphNode[], errors, migrated.doc);
  checkEdges(parsed.data.nodes as GraphNode[], parsed.data.edges, errors);
  if (parsed.data.groups !== undefined)
    checkGroups(new Set(parsed.data.nodes.map((n) => n.id)), parsed.data.groups, errors);
  if (errors.length > 0) return fail(...errors);
  const doc: GraphDocument = { ...parsed.data, nodes, edges: parsed.data.edges };
  checkCycles(doc, errors);
  if (errors.length > 0) return fail(...errors);
  return { ok: true, doc, upgrades: migrated.applied };
}

/** Parses and validates a graph document from text or an already-parsed value. */
export function loadGraph(input: unknown): LoadResult {
  try {
    return loadUnguarded(input);
  } catch (e) {
    // Sizes and depths are bounded before any work, so this is a bug; it must still not escape.
    return fail({
      path: '(document)',
      message: `this could not be read (${e instanceof Error ? e.message : String(e)})`,
    });
  }
}

/** The document as saved: stable key order, nothing computed. */
export function serializeGraph(doc: GraphDocument): string {
  return JSON.stringify(doc, null, 2) + '\n';
}
