/**
 * Graph document + analysis -> React Flow nodes and edges. Objects are reused while their inputs are
 * unchanged, so React Flow re-renders only what an edit touched.
 */
import type { Edge, Node } from '@xyflow/react';
import { getNodeDef } from '../../../nodes';
import { formatShape } from '../../../nodes/shape';
import type { GraphAnalysis, NodeResult } from '../../core/analyze';
import type { GraphDocument, GraphEdge, GraphNode } from '../../core/document';
import { handleIndex } from '../../core/document';
import { NODE_HEIGHT, NODE_WIDTH } from '../../core/layout';

export interface LayerNodeData extends Record<string, unknown> {
  readonly node: GraphNode;
  readonly result: NodeResult;
  /** How many input handles to draw (merge nodes grow one spare slot). */
  readonly inputSlots: number;
}
export type LayerFlowNode = Node<LayerNodeData, 'layer'>;

export interface ShapeEdgeData extends Record<string, unknown> {
  /** The shape the link carries, e.g. "16×16×32", or null while unknown. */
  readonly shape: string | null;
}
export type ShapeFlowEdge = Edge<ShapeEdgeData, 'shape'>;

function inputSlots(node: GraphNode, analysis: GraphAnalysis): number {
  const def = getNodeDef(node.kind);
  if (def === undefined || def.inputs.max === 0) return 0;
  if (def.inputs.max === 1) return 1;
  const incoming = analysis.index.incoming.get(node.id) ?? [];
  const highest = incoming.reduce((m, e) => Math.max(m, handleIndex(e.targetHandle)), -1);
  return Math.min(def.inputs.max, Math.max(def.inputs.min, highest + 2));
}

export class FlowCache {
  /**
   * Sizes React Flow measured. Controlled nodes must carry them back, or React Flow treats the
   * nodes as unmeasured (no fit-view, no minimap) after each rebuild.
   */
  readonly measured = new Map<string, { width: number; height: number }>();

  /** Records a measurement; true when it differs from the one known. */
  measure(id: string, size: { width: number; height: number }): boolean {
    const known = this.measured.get(id);
    if (known && known.width === size.width && known.height === size.height) return false;
    this.measured.set(id, { width: size.width, height: size.height });
    return true;
  }
  private nodeCache = new Map<
    string,
    { node: GraphNode; result: NodeResult; slots: number; selected: boolean; flow: LayerFlowNode }
  >();
  private edgeCache = new Map<
    string,
    { edge: GraphEdge; shape: string | null; selected: boolean; flow: ShapeFlowEdge }
  >();

  nodes(doc: GraphDocument, analysis: GraphAnalysis, selected: readonly string[]): LayerFlowNode[] {
    const chosen = new Set(selected);
    const next = new Map<string, typeof this.nodeCache extends Map<string, infer V> ? V : never>();
    const out = doc.nodes.map((node) => {
      const result = analysis.nodes.get(node.id) ?? { status: 'waiting' as const, message: '' };
      const slots = inputSlots(node, analysis);
      const isSelected = chosen.has(node.id);
      const cached = this.nodeCache.get(node.id);
      const measured = this.measured.get(node.id);
      if (
        cached &&
        cached.node === node &&
        cached.result === result &&
        cached.slots === slots &&
        cached.selected === isSelected &&
        cached.flow.measured === measured
      ) {
        next.set(node.id, cached);
        return cached.flow;
      }
      const flow: LayerFlowNode = {
        id: node.id,
        type: 'layer',
        position: node.position,
        data: { node, result, inputSlots: slots },
        selected: isSelected,
        // Sizes for nodes not yet rendered (off screen), so fit-view and the minimap see them.
        initialWidth: NODE_WIDTH,
        initialHeight: NODE_HEIGHT,
        ...(measured ? { measured } : {}),
      };
      next.set(node.id, { node, result, slots, selected: isSelected, flow });
      return flow;
    });
    this.nodeCache = next;
    return out;
  }

  edges(doc: GraphDocument, analysis: GraphAnalysis, selected: readonly string[]): ShapeFlowEdge[] {
    const chosen = new Set(selected);
    const next = new Map<string, typeof this.edgeCache extends Map<string, infer V> ? V : never>();
    const out = doc.edges.map((edge) => {
      const r = analysis.nodes.get(edge.source);
      const shape = r?.status === 'ok' ? formatShape(r.shape) : null;
      const isSelected = chosen.has(edge.id);
      const cached = this.edgeCache.get(edge.id);
      if (cached && cached.edge === edge && cached.shape === shape && cached.selected === isSelected) {
        next.set(edge.id, cached);
        return cached.flow;
      }
      const flow: ShapeFlowEdge = {
        id: edge.id,
        type: 'shape',
        source: edge.source,
        sourceHandle: 'out',
        target: edge.target,
        targetHandle: edge.targetHandle,
        data: { shape },
        selected: isSelected,
      };
      next.set(edge.id, { edge, shape, selected: isSelected, flow });
      return flow;
    });
    this.edgeCache = next;
    return out;
  }
}
