/** Framework-free graph helpers: who feeds whom, in which order. */
import type { GraphDocument, GraphEdge, GraphNode } from './document';
import { handleIndex } from './document';

export interface GraphIndex {
  readonly nodes: ReadonlyMap<string, GraphNode>;
  /** Links into each node, ordered by input slot. */
  readonly incoming: ReadonlyMap<string, readonly GraphEdge[]>;
  /** Links out of each node, in document order. */
  readonly outgoing: ReadonlyMap<string, readonly GraphEdge[]>;
}

/** Indexes a document; links whose ends are missing are left out (the loader reports them). */
export function indexGraph(doc: GraphDocument): GraphIndex {
  const nodes = new Map<string, GraphNode>();
  const incoming = new Map<string, GraphEdge[]>();
  const outgoing = new Map<string, GraphEdge[]>();
  for (const n of doc.nodes) {
    nodes.set(n.id, n);
    incoming.set(n.id, []);
    outgoing.set(n.id, []);
  }
  for (const e of doc.edges) {
    const into = incoming.get(e.target);
    const out = outgoing.get(e.source);
    if (into === undefined || out === undefined) continue;
    into.push(e);
    out.push(e);
  }
  for (const list of incoming.values())
    if (list.length > 1) list.sort((a, b) => handleIndex(a.targetHandle) - handleIndex(b.targetHandle));
  return { nodes, incoming, outgoing };
}

export interface TopoOrder {
  /** Nodes whose every ancestor is acyclic, sources first. */
  readonly order: readonly string[];
  /** Nodes on a cycle or downstream of one. */
  readonly blocked: readonly string[];
}

/** Kahn's algorithm; ties keep document order so results are stable. */
export function topoSort(index: GraphIndex): TopoOrder {
  const pending = new Map<string, number>();
  for (const [id, edges] of index.incoming) pending.set(id, edges.length);
  const queue: string[] = [];
  for (const [id, n] of pending) if (n === 0) queue.push(id);
  const order: string[] = [];
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head]!;
    order.push(id);
    for (const e of index.outgoing.get(id) ?? []) {
      const left = pending.get(e.target)! - 1;
      pending.set(e.target, left);
      if (left === 0) queue.push(e.target);
    }
  }
  const done = new Set(order);
  const blocked = [...index.nodes.keys()].filter((id) => !done.has(id));
  return { order, blocked };
}

/** Nodes on a cycle (not merely downstream of one): those that can reach themselves. Linear time. */
export function cycleMembers(index: GraphIndex, candidates: readonly string[]): string[] {
  // Peel off candidates with no successor among the candidates, then those left without one, and
  // so on (Kahn's algorithm backwards): what is never peeled lies on a cycle, or leads into one.
  const successors = new Map<string, number>();
  for (const id of candidates) successors.set(id, 0);
  for (const id of candidates)
    for (const e of index.outgoing.get(id) ?? [])
      if (successors.has(e.target)) successors.set(id, successors.get(id)! + 1);
  const peeled = new Set<string>();
  const queue = candidates.filter((id) => successors.get(id) === 0);
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head]!;
    peeled.add(id);
    for (const e of index.incoming.get(id) ?? []) {
      const left = successors.get(e.source);
      if (left === undefined) continue;
      successors.set(e.source, left - 1);
      if (left === 1) queue.push(e.source);
    }
  }
  return candidates.filter((id) => !peeled.has(id));
}

/** All nodes from which `target` can be reached, itself included. */
export function ancestors(index: GraphIndex, target: string): Set<string> {
  const seen = new Set<string>([target]);
  const stack = [target];
  while (stack.length > 0) {
    const id = stack.pop()!;
    for (const e of index.incoming.get(id) ?? [])
      if (!seen.has(e.source)) {
        seen.add(e.source);
        stack.push(e.source);
      }
  }
  return seen;
}
