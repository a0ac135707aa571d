/**
 * A block is a small connected group of nodes the palette inserts at once (a residual block, say).
 * It is a graph fragment plus where outside links attach.
 */
import { z } from 'zod';
import type { GraphDocument, GraphEdge } from './document';
import { graphEdgeSchema, graphNodeSchema } from './document';

export interface BlockEntry {
  readonly node: string;
  readonly handle: string;
}

export interface BlockDocument {
  readonly name: string;
  readonly nodes: GraphDocument['nodes'];
  readonly edges: readonly GraphEdge[];
  /** Input slots the block's incoming link feeds (a residual block feeds its conv and its add). */
  readonly entries: readonly BlockEntry[];
  /** The node whose output leaves the block. */
  readonly exit: string;
}

export const blockDocumentSchema = z.object({
  name: z.string(),
  nodes: z.array(graphNodeSchema),
  edges: z.array(graphEdgeSchema),
  entries: z.array(z.object({ node: z.string(), handle: z.string() })).min(1),
  exit: z.string(),
});

/** Cuts the placeholder node `entryId` out of `doc`; the links it fed become the block's entries. */
export function blockFromGraph(doc: GraphDocument, entryId: string, exit: string): BlockDocument {
  const entries = doc.edges
    .filter((e) => e.source === entryId)
    .map((e) => ({ node: e.target, handle: e.targetHandle }));
  const top = Math.min(...doc.nodes.filter((n) => n.id !== entryId).map((n) => n.position.y));
  return {
    name: doc.name,
    nodes: doc.nodes
      .filter((n) => n.id !== entryId)
      .map((n) => ({ ...n, position: { x: n.position.x, y: n.position.y - top } })),
    edges: doc.edges.filter((e) => e.source !== entryId),
    entries,
    exit,
  };
}
