/**
 * Residual and plain twins: the same network with skip connections added around every pair of
 * conv–(batch norm)–ReLU layers, or with every skip connection taken away, and nothing else changed.
 * Built as He et al. 2016 build theirs: the first conv layer stays a stem; where a block changes the
 * shape, the shortcut is a 1×1 projection with the block's stride (and batch norm when the block has
 * it), option B.
 */
import { getNodeDef } from '../../nodes';
import type { ParamValuesLoose } from '../../nodes/define';
import { analyzeGraph } from './analyze';
import type { GraphAnalysis } from './analyze';
import type { GraphDocument, GraphEdge, GraphGroup, GraphNode } from './document';
import { handleId } from './document';
import { ancestors, indexGraph } from './graph';
import { checkParams } from './params';
import { moveNodes } from './edit';
import { layoutPositions } from './layout';

export type TwinResult =
  | { readonly ok: true; readonly doc: GraphDocument; readonly changed: number }
  | { readonly ok: false; readonly message: string };

/** A conv layer with its batch norm (if any) and the ReLU after them, each feeding only the next. */
interface Unit {
  readonly conv: GraphNode;
  readonly bn?: GraphNode;
  readonly relu: GraphNode;
}

const isConv = (n: GraphNode) => n.kind === 'conv' || n.kind === 'stride2';
const isRelu = (n: GraphNode) => n.kind === 'activation' && n.params['fn'] === 'relu';

function params(kind: string, raw: Readonly<Record<string, number | string | boolean>>): ParamValuesLoose {
  const check = checkParams(getNodeDef(kind)!, raw);
  if (!check.ok) throw new Error(`${kind}: ${check.problems.map((p) => p.message).join('; ')}`);
  return check.values as ParamValuesLoose;
}

const shapeOf = (analysis: GraphAnalysis, id: string) => {
  const r = analysis.nodes.get(id);
  return r?.status === 'ok' ? r.shape : undefined;
};

/** The conv units, in data order. */
function unitsOf(analysis: GraphAnalysis): Unit[] {
  const { index } = analysis;
  const only = (id: string) => {
    const out = index.outgoing.get(id) ?? [];
    return out.length === 1 ? index.nodes.get(out[0]!.target) : undefined;
  };
  const units: Unit[] = [];
  for (const id of analysis.order) {
    const conv = index.nodes.get(id)!;
    if (!isConv(conv) || conv.params['activation'] !== 'linear') continue;
    let next = only(conv.id);
    const bn = next?.kind === 'batchnorm' ? next : undefined;
    if (bn !== undefined) next = only(bn.id);
    if (next === undefined || !isRelu(next) || (index.incoming.get(next.id) ?? []).length !== 1) continue;
    units.push({ conv, ...(bn && { bn }), relu: next });
  }
  return units;
}

/** Pairs of consecutive units, each pair's input feeding nothing else; the network's first unit is its stem. */
function blocksOf(analysis: GraphAnalysis): [Unit, Unit][] {
  const { index } = analysis;
  const units = unitsOf(analysis);
  const inputOf = (u: Unit) => index.incoming.get(u.conv.id)?.[0]?.source;
  const blocks: [Unit, Unit][] = [];
  let pending: Unit | undefined;
  units.forEach((u, k) => {
    if (k === 0) return; // the stem
    const from = inputOf(u);
    const follows = pending !== undefined && from === pending.relu.id;
    if (pending !== undefined && follows) {
      blocks.push([pending, u]);
      pending = undefined;
      return;
    }
    // A new block starts here when its input feeds only this unit (no skip around it yet).
    pending = from !== undefined && (index.outgoing.get(from) ?? []).length === 1 ? u : undefined;
  });
  return blocks;
}

function freeId(doc: GraphDocument, wanted: string): string {
  const taken = new Set(doc.nodes.map((n) => n.id));
  if (!taken.has(wanted)) return wanted;
  for (let k = 2; ; k++) if (!taken.has(`${wanted}${k}`)) return `${wanted}${k}`;
}

const edge = (source: string, target: string, slot: number): GraphEdge => ({
  id: `${source}-${target}-${slot}`,
  source,
  target,
  targetHandle: handleId(slot),
});

/** Adds one skip connection around the block ending at `relu`, from `from`. */
function bridge(doc: GraphDocument, from: string, block: [Unit, Unit]): GraphDocument {
  const analysis = analyzeGraph(doc);
  const [, last] = block;
  const before = (last.bn ?? last.conv).id;
  const inShape = shapeOf(analysis, from)!;
  const outShape = shapeOf(analysis, before)!;
  const relu = doc.nodes.find((n) => n.id === last.relu.id)!;
  const prefix = relu.id.endsWith('_relu') ? relu.id.slice(0, -'_relu'.length) : relu.id;
  const added: GraphNode[] = [];
  const addedEdges: GraphEdge[] = [];
  // Placed for now beside the block's ReLU; the twin is laid out afresh at the end.
  const at = (k: number, lane: number) => ({ x: relu.position.x + lane * 280, y: relu.position.y + k * 110 });
  let shortcut = from;
  const same = inShape.length === outShape.length && inShape.every((d, i) => d === outShape[i]);
  if (!same) {
    const stride = Math.round(inShape[0]! / outShape[0]!);
    const proj = freeId(doc, `${prefix}_proj`);
    const convParams = {
      filters: outShape[2]!,
      kernel: 1,
      activation: 'linear',
      bias: last.conv.params['bias']!,
    };
    added.push(
      stride === 2
        ? { id: proj, kind: 'stride2', params: params('stride2', convParams), position: at(0, 1) }
        : { id: proj, kind: 'conv', params: params('conv', { ...convParams, stride }), position: at(0, 1) },
    );
    addedEdges.push(edge(from, proj, 0));
    shortcut = proj;
    if (last.bn !== undefined) {
      const bn = freeId(doc, `${proj}_bn`);
      added.push({ id: bn, kind: 'batchnorm', params: last.bn.params, position: at(1, 1) });
      addedEdges.push(edge(proj, bn, 0));
      shortcut = bn;
    }
  }
  const add = freeId(doc, `${prefix}_add`);
  added.push({ id: add, kind: 'add', params: params('add', {}), position: at(added.length, 0) });
  addedEdges.push(edge(before, add, 0), edge(shortcut, add, 1), edge(add, relu.id, 0));
  const nodes = doc.nodes.flatMap((n) => (n.id === relu.id ? [...added, n] : [n]));
  const edges = doc.edges.flatMap((e) => (e.target === relu.id && e.source === before ? addedEdges : [e]));
  // The new nodes join the ReLU's group, just before it; the group becomes a residual block.
  const groups = doc.groups?.map((g) =>
    g.nodeIds.includes(relu.id)
      ? {
          ...g,
          label: relabel(g.label, 'residual'),
          nodeIds: g.nodeIds.flatMap((m) => (m === relu.id ? [...added.map((a) => a.id), m] : [m])),
        }
      : g,
  );
  return { ...doc, nodes, edges, ...(groups && { groups }) };
}

/** "Plain block" <-> "Residual block" in a group's label; other labels stay. */
function relabel(label: string, kind: 'residual' | 'plain'): string {
  return kind === 'residual'
    ? label.replace(/plain block/, 'residual block').replace(/Plain block/, 'Residual block')
    : label.replace(/residual block/, 'plain block').replace(/Residual block/, 'Plain block');
}

/** Positions as Tidy up gives them: the twin is a new graph, laid out as the templates are. */
const laidOut = (doc: GraphDocument): GraphDocument => moveNodes(doc, layoutPositions(doc));

/** The same network with a skip connection around every pair of conv layers after the stem. */
export function residualTwin(doc: GraphDocument): TwinResult {
  const analysis = analyzeGraph(doc);
  if (!analysis.valid)
    return { ok: false, message: 'The graph has problems to fix before it can have a twin.' };
  const blocks = blocksOf(analysis);
  let out = doc;
  let changed = 0;
  for (const block of blocks) {
    const from = analysis.index.incoming.get(block[0].conv.id)![0]!.source;
    const next = bridge(out, from, block);
    if (!analyzeGraph(next).valid) continue;
    out = next;
    changed++;
  }
  if (changed === 0)
    return {
      ok: false,
      message:
        'No two conv–ReLU layers in a row to bridge: a residual twin needs conv (batch norm) ReLU pairs after the first conv layer, with the activation as its own ReLU node.',
    };
  return { ok: true, doc: laidOut({ ...out, name: twinName(doc.name, 'residual') }), changed };
}

/** The same network with every skip connection (an Add of a branch and its shortcut) taken away. */
export function plainTwin(doc: GraphDocument): TwinResult {
  if (!analyzeGraph(doc).valid)
    return { ok: false, message: 'The graph has problems to fix before it can have a twin.' };
  let out = doc;
  let changed = 0;
  for (const add of doc.nodes.filter((n) => n.kind === 'add')) {
    const next = unbridge(out, add.id);
    if (next === undefined || !analyzeGraph(next).valid) continue;
    out = next;
    changed++;
  }
  if (changed === 0) return { ok: false, message: 'The graph has no skip connections to take away.' };
  return { ok: true, doc: laidOut({ ...out, name: twinName(doc.name, 'plain') }), changed };
}

/** Takes away the Add `id`: its main input goes straight on, its shortcut's own nodes go. */
function unbridge(doc: GraphDocument, id: string): GraphDocument | undefined {
  const index = indexGraph(doc);
  const inputs = (index.incoming.get(id) ?? []).map((e) => e.source);
  if (inputs.length !== 2) return undefined;
  const [a, b] = [ancestors(index, inputs[0]!), ancestors(index, inputs[1]!)];
  const onlyA = [...a].filter((n) => !b.has(n));
  const onlyB = [...b].filter((n) => !a.has(n));
  // The shortcut is the branch with fewer nodes of its own (none: the identity).
  const [main, removed] = onlyB.length <= onlyA.length ? [inputs[0]!, onlyB] : [inputs[1]!, onlyA];
  const gone = new Set([...removed, id]);
  for (const n of removed)
    if ((index.outgoing.get(n) ?? []).some((e) => !gone.has(e.target))) return undefined;
  const nodes = doc.nodes.filter((n) => !gone.has(n.id));
  const edges = doc.edges.flatMap((e) => {
    if (e.source === id) return [edge(main, e.target, Number(e.targetHandle.slice(2)))];
    return gone.has(e.source) || gone.has(e.target) ? [] : [e];
  });
  const groups = doc.groups?.map((g): GraphGroup =>
    g.nodeIds.includes(id)
      ? { ...g, label: relabel(g.label, 'plain'), nodeIds: g.nodeIds.filter((m) => !gone.has(m)) }
      : { ...g, nodeIds: g.nodeIds.filter((m) => !gone.has(m)) },
  );
  return { ...doc, nodes, edges, ...(groups && { groups }) };
}

/** "plain-20" <-> "ResNet-20"; otherwise says which twin it is. */
export function twinName(name: string, kind: 'residual' | 'plain'): string {
  const plain = /^plain-(\d+)(.*)$/.exec(name);
  const res = /^ResNet-(\d+)(.*)$/.exec(name);
  if (kind === 'residual' && plain) return `ResNet-${plain[1]}${plain[2]}`;
  if (kind === 'plain' && res) return `plain-${res[1]}${res[2]}`;
  return `${name} (${kind} twin)`;
}
