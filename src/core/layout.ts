/**
 * Automatic layout for network graphs: layered, with the network's main path drawn as one straight
 * line (a column top-down, a row left-right) and side branches in lanes beside it, so a link that
 * skips over layers has a clear lane of its own. Linear in the size of the graph and total: any
 * document (ids named like Object.prototype members, loops, 10,000 nodes) gets a position for every
 * node, and nothing throws.
 */
import type { Direction, GraphDocument } from './document';
import { handleIndex } from './document';
import type { Position } from './edit';

export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 78;
/** Space between consecutive layers (top-down: between rows; left-right: between columns). */
export const LAYER_GAP = 32;
/** Space between a lane and the next one beside it. */
export const LANE_GAP = 80;

/** The distance from one layer to the next and from one lane to the next, per direction. */
export function spacing(direction: Direction): { layer: number; lane: number } {
  return direction === 'down'
    ? { layer: NODE_HEIGHT + LAYER_GAP, lane: NODE_WIDTH + LANE_GAP }
    : { layer: NODE_WIDTH + LANE_GAP, lane: NODE_HEIGHT + LANE_GAP / 2 };
}

interface Indexed {
  readonly ids: readonly string[];
  /** Predecessors of each node (by index), in input-slot order. */
  readonly preds: readonly number[][];
  readonly succs: readonly number[][];
}

function indexDoc(doc: GraphDocument): Indexed {
  const ids = doc.nodes.map((n) => n.id);
  // A Map, never an object: ids come from files and may be "constructor" or "__proto__".
  const at = new Map<string, number>();
  ids.forEach((id, i) => {
    if (!at.has(id)) at.set(id, i);
  });
  const preds: number[][] = ids.map(() => []);
  const succs: number[][] = ids.map(() => []);
  const slotted = [...doc.edges].sort((a, b) => handleIndex(a.targetHandle) - handleIndex(b.targetHandle));
  for (const e of slotted) {
    const s = at.get(e.source);
    const t = at.get(e.target);
    if (s === undefined || t === undefined || s === t) continue;
    preds[t]!.push(s);
    succs[s]!.push(t);
  }
  return { ids, preds, succs };
}

/** Kahn's order with document order for ties; nodes on loops follow in document order. */
function topoOrder({ ids, preds, succs }: Indexed): number[] {
  const pending = preds.map((p) => p.length);
  const order: number[] = [];
  const placed = new Uint8Array(ids.length);
  for (let i = 0; i < ids.length; i++) if (pending[i] === 0) order.push(i);
  for (let head = 0; head < order.length; head++)
    for (const t of succs[order[head]!]!) if (--pending[t]! === 0) order.push(t);
  for (const i of order) placed[i] = 1;
  for (let i = 0; i < ids.length; i++) if (placed[i] === 0) order.push(i);
  return order;
}

/**
 * Layer of each node: the longest path to it (links that go back along the order, which only loops
 * have, are ignored).
 */
function layers(graph: Indexed, order: readonly number[]): Int32Array {
  const position = new Int32Array(order.length);
  order.forEach((v, k) => (position[v] = k));
  const layer = new Int32Array(order.length);
  for (const v of order)
    for (const u of graph.preds[v]!)
      if (position[u]! < position[v]!) layer[v] = Math.max(layer[v]!, layer[u]! + 1);
  return layer;
}

/** The main path: from the deepest node back to a source, always through the deepest input. */
function spine(graph: Indexed, order: readonly number[], layer: Int32Array): Set<number> {
  const path = new Set<number>();
  let end = -1;
  for (const v of order) if (end === -1 || layer[v]! > layer[end]!) end = v;
  for (let v = end; v !== -1 && !path.has(v);) {
    path.add(v);
    let next = -1;
    for (const u of graph.preds[v]!)
      if (layer[u]! === layer[v]! - 1 && (next === -1 || layer[u]! > layer[next]!)) next = u;
    v = next;
  }
  return path;
}

/**
 * Lane of each node: 0 for the main path; a side branch keeps the lane of the branch it continues,
 * or takes the next free one.
 */
function lanes(graph: Indexed, order: readonly number[], layer: Int32Array, main: Set<number>): Int32Array {
  const lane = new Int32Array(order.length);
  const taken = new Map<number, Set<number>>();
  const widest = new Map<number, number>();
  const take = (at: number, chosen: number) => {
    let set = taken.get(at);
    if (set === undefined) taken.set(at, (set = new Set()));
    set.add(chosen);
    widest.set(at, Math.max(widest.get(at) ?? 0, chosen));
  };
  for (const v of main) take(layer[v]!, 0);
  for (const v of order) {
    if (main.has(v)) continue;
    const l = layer[v]!;
    let preferred = Infinity;
    for (const u of graph.preds[v]!) preferred = Math.min(preferred, main.has(u) ? 1 : lane[u]!);
    if (!Number.isFinite(preferred)) preferred = 1;
    // The preferred lane when free, else the next lane past the widest one in this layer (constant
    // time per node, so a layer of thousands of nodes stays linear).
    const chosen = taken.get(l)?.has(preferred) ? Math.max(preferred, (widest.get(l) ?? 0) + 1) : preferred;
    lane[v] = chosen;
    take(l, chosen);
  }
  return lane;
}

/**
 * New positions (top-left corners) for every node. `direction` defaults to the document's own:
 * data flows downwards, or to the right.
 */
export function layoutPositions(
  doc: GraphDocument,
  direction: Direction = doc.direction ?? 'down',
): Map<string, Position> {
  const graph = indexDoc(doc);
  const order = topoOrder(graph);
  const layer = layers(graph, order);
  const lane = lanes(graph, order, layer, spine(graph, order, layer));
  const step = spacing(direction);
  const positions = new Map<string, Position>();
  graph.ids.forEach((id, v) => {
    if (positions.has(id)) return;
    const along = layer[v]! * step.layer;
    const across = lane[v]! * step.lane;
    positions.set(id, direction === 'down' ? { x: across, y: along } : { x: along, y: across });
  });
  return positions;
}
