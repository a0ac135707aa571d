/** Automatic top-to-bottom layout with dagre (layered graph drawing). */
import dagre from '@dagrejs/dagre';
import type { GraphDocument } from './document';
import type { Position } from './edit';

export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 78;

/** New positions (top-left corners) for every node, data flowing downwards. */
export function layoutPositions(doc: GraphDocument): Map<string, Position> {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'TB', nodesep: 40, ranksep: 36, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of doc.nodes) g.setNode(n.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const e of doc.edges) g.setEdge(e.source, e.target);
  dagre.layout(g);
  const positions = new Map<string, Position>();
  for (const n of doc.nodes) {
    const p = g.node(n.id);
    positions.set(n.id, { x: Math.round(p.x - NODE_WIDTH / 2), y: Math.round(p.y - NODE_HEIGHT / 2) });
  }
  return positions;
}
