/**
 * Pure edits of a graph document. Each returns a new document and never mutates its input; nodes
 * that an edit does not touch keep their identity, so cached analysis and rendering can be reused.
 */
import { getNodeDef } from '../../nodes';
import type { ParamValuesLoose } from '../../nodes/define';
import type { BlockDocument } from './block';
import type { GraphDocument, GraphEdge, GraphGroup, GraphNode } from './document';
import { handleId, handleIndex } from './document';
import { addGroups, groupNodes, groupsWithin, pruneGroups } from './groups';
import { checkParams } from './params';

export interface Position {
  readonly x: number;
  readonly y: number;
}

/** The first free id of the form `<kind>_<n>`. */
export function nextNodeId(doc: GraphDocument, kind: string, taken: ReadonlySet<string> = new Set()): string {
  const used = new Set(doc.nodes.map((n) => n.id));
  for (let n = 1; ; n++) {
    const id = `${kind}_${n}`;
    if (!used.has(id) && !taken.has(id)) return id;
  }
}

const edgeIdFor = (source: string, target: string, handle: string): string =>
  `${source}->${target}:${handle}`;

export function addNode(
  doc: GraphDocument,
  kind: string,
  position: Position,
  params: Readonly<Record<string, unknown>> = {},
): { doc: GraphDocument; id: string } {
  const def = getNodeDef(kind);
  if (def === undefined) throw new Error(`unknown node kind "${kind}"`);
  const check = checkParams(def, params);
  if (!check.ok) throw new Error(`bad params for ${kind}: ${check.problems.map((p) => p.key).join(', ')}`);
  const id = nextNodeId(doc, kind);
  const node: GraphNode = { id, kind, params: check.values, position };
  return { doc: { ...doc, nodes: [...doc.nodes, node] }, id };
}

export type ParamPatchResult = { ok: true; doc: GraphDocument } | { ok: false; message: string };

/** Changes some params of one node; values are checked against the kind's declarations. */
export function updateParams(doc: GraphDocument, id: string, patch: ParamValuesLoose): ParamPatchResult {
  const node = doc.nodes.find((n) => n.id === id);
  const def = node && getNodeDef(node.kind);
  if (node === undefined || def === undefined) return { ok: false, message: `no node "${id}"` };
  const check = checkParams(def, { ...node.params, ...patch });
  if (!check.ok) return { ok: false, message: check.problems.map((p) => `${p.key} ${p.message}`).join('; ') };
  const changed = Object.keys(patch).some((k) => node.params[k] !== check.values[k]);
  if (!changed) return { ok: true, doc };
  return { ok: true, doc: replaceNode(doc, { ...node, params: check.values }) };
}

export function setLabel(doc: GraphDocument, id: string, label: string): GraphDocument {
  const node = doc.nodes.find((n) => n.id === id);
  if (node === undefined) return doc;
  const trimmed = label.trim().slice(0, 200);
  if ((node.label ?? '') === trimmed) return doc;
  const { label: _previous, ...rest } = node;
  return replaceNode(doc, trimmed === '' ? rest : { ...rest, label: trimmed });
}

function replaceNode(doc: GraphDocument, node: GraphNode): GraphDocument {
  return { ...doc, nodes: doc.nodes.map((n) => (n.id === node.id ? node : n)) };
}

/** Moves nodes; edges and params keep their identity (a move changes no shape). */
export function moveNodes(doc: GraphDocument, positions: ReadonlyMap<string, Position>): GraphDocument {
  if (positions.size === 0) return doc;
  return {
    ...doc,
    nodes: doc.nodes.map((n) => {
      const p = positions.get(n.id);
      return p === undefined || (p.x === n.position.x && p.y === n.position.y) ? n : { ...n, position: p };
    }),
  };
}

/** Removes nodes, every link that touches them, and groups left empty. */
export function removeNodes(doc: GraphDocument, ids: Iterable<string>): GraphDocument {
  const gone = new Set(ids);
  if (gone.size === 0) return doc;
  return pruneGroups(
    {
      ...doc,
      nodes: doc.nodes.filter((n) => !gone.has(n.id)),
      edges: doc.edges.filter((e) => !gone.has(e.source) && !gone.has(e.target)),
    },
    gone,
  );
}

export function removeEdges(doc: GraphDocument, ids: Iterable<string>): GraphDocument {
  const gone = new Set(ids);
  if (gone.size === 0) return doc;
  return { ...doc, edges: doc.edges.filter((e) => !gone.has(e.id)) };
}

export interface Link {
  readonly source: string;
  readonly target: string;
  readonly targetHandle: string;
}

/** The lowest input slot of `target` that has no link yet. */
export function freeSlot(doc: GraphDocument, target: string): string {
  const used = new Set(doc.edges.filter((e) => e.target === target).map((e) => handleIndex(e.targetHandle)));
  let slot = 0;
  while (used.has(slot)) slot++;
  return handleId(slot);
}

/** Adds a link; a link already in that input slot is replaced and returned. */
export function connect(
  doc: GraphDocument,
  link: Link,
): { doc: GraphDocument; replaced: GraphEdge | undefined } {
  const replaced = doc.edges.find((e) => e.target === link.target && e.targetHandle === link.targetHandle);
  const edge: GraphEdge = { id: edgeIdFor(link.source, link.target, link.targetHandle), ...link };
  const edges = doc.edges.filter((e) => e !== replaced);
  return { doc: { ...doc, edges: [...edges, edge] }, replaced };
}

/** A copied piece of a graph: some nodes, the links among them and the groups wholly inside. */
export interface Fragment {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  readonly groups?: readonly GraphGroup[];
}

export function copyFragment(doc: GraphDocument, ids: Iterable<string>): Fragment {
  const keep = new Set(ids);
  const groups = groupsWithin(doc, keep);
  return {
    nodes: doc.nodes.filter((n) => keep.has(n.id)),
    edges: doc.edges.filter((e) => keep.has(e.source) && keep.has(e.target)),
    ...(groups.length > 0 ? { groups } : {}),
  };
}

/**
 * Adds a fragment with fresh ids, shifted by `offset`. Returns the new ids in fragment order and the
 * map from old to new ids.
 */
export function pasteFragment(
  doc: GraphDocument,
  fragment: Fragment,
  offset: Position,
): { doc: GraphDocument; ids: string[]; rename: Map<string, string> } {
  const rename = new Map<string, string>();
  const taken = new Set<string>();
  for (const n of fragment.nodes) {
    const id = nextNodeId(doc, n.kind, taken);
    taken.add(id);
    rename.set(n.id, id);
  }
  const nodes = fragment.nodes.map((n) => ({
    ...n,
    id: rename.get(n.id)!,
    position: { x: n.position.x + offset.x, y: n.position.y + offset.y },
  }));
  const edges = fragment.edges.map((e) => {
    const source = rename.get(e.source)!;
    const target = rename.get(e.target)!;
    return { ...e, id: edgeIdFor(source, target, e.targetHandle), source, target };
  });
  return {
    doc: addGroups(
      { ...doc, nodes: [...doc.nodes, ...nodes], edges: [...doc.edges, ...edges] },
      fragment.groups ?? [],
      rename,
    ),
    ids: [...rename.values()],
    rename,
  };
}

/** Scales a block's filter counts for an input of `channels` (blocks are drawn for 16). */
function fitBlock(block: BlockDocument, channels: number | undefined): Fragment {
  if (channels === undefined || channels === 16) return block;
  const nodes = block.nodes.map((n) => {
    const filters = n.params['filters'];
    if (typeof filters !== 'number') return n;
    return { ...n, params: { ...n.params, filters: Math.max(1, Math.round((filters * channels) / 16)) } };
  });
  return { nodes, edges: block.edges };
}

/** A group id from a block's name: "Residual block" -> "residual_block". */
const groupBase = (name: string): string =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .replace(/^(?![a-z])/, 'g_') || 'block';

/**
 * Inserts a palette block at `at`; when `from` is given, its output feeds the block's entries and
 * the block's filters follow its channel count.
 */
export function insertBlock(
  doc: GraphDocument,
  block: BlockDocument,
  at: Position,
  from?: { id: string; channels: number | undefined },
): { doc: GraphDocument; ids: string[]; exit: string } {
  const pasted = pasteFragment(doc, fitBlock(block, from?.channels), at);
  // The block arrives as a group of its own, so it folds into one card like a template's blocks.
  const grouped = groupNodes(pasted.doc, pasted.ids, block.name, groupBase(block.name));
  let next = grouped.ok ? grouped.doc : pasted.doc;
  if (from !== undefined)
    for (const entry of block.entries)
      next = connect(next, {
        source: from.id,
        target: pasted.rename.get(entry.node)!,
        targetHandle: entry.handle,
      }).doc;
  return { doc: next, ids: pasted.ids, exit: pasted.rename.get(block.exit)! };
}
