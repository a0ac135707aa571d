/**
 * Graph document + analysis -> React Flow nodes and edges. Folded groups become one card each, links
 * into and out of them are drawn to the card, and a link that would run through other nodes is given
 * a lane beside them. Objects are reused while their inputs are unchanged, so React Flow re-renders
 * only what an edit touched.
 */
import type { Edge, Node } from '@xyflow/react';
import { getNodeDef } from '../../../nodes';
import { formatShape } from '../../../nodes/shape';
import type { GraphAnalysis, NodeResult } from '../../core/analyze';
import type { Direction, GraphDocument, GraphEdge, GraphGroup, GraphNode } from '../../core/document';
import { handleIndex } from '../../core/document';
import type { Card, FoldedView } from '../../core/fold';
import { CARD_HEIGHT, CARD_WIDTH } from '../../core/fold';
import { LAYER_GAP, NODE_HEIGHT, NODE_WIDTH } from '../../core/layout';

export interface LayerNodeData extends Record<string, unknown> {
  readonly node: GraphNode;
  readonly result: NodeResult;
  /** How many input handles to draw (merge nodes grow one spare slot). */
  readonly inputSlots: number;
  /** Slots from this one on are optional and free: drawn as "+", a place to add another input. */
  readonly spareFrom: number;
  readonly direction: Direction;
}
export type LayerFlowNode = Node<LayerNodeData, 'layer'>;

/** What a folded group's card sums up. */
export interface CardFacts {
  /** How many nodes it folds away. */
  readonly layers: number;
  readonly inShape: string | null;
  readonly outShape: string | null;
  readonly params: number;
  /** Members with a problem (the card shows it, so a folded error is not missed). */
  readonly problems: number;
}

export interface GroupCardData extends CardFacts, Record<string, unknown> {
  readonly group: GraphGroup;
  readonly direction: Direction;
}
export type GroupFlowNode = Node<GroupCardData, 'card'>;
export type CanvasNode = LayerFlowNode | GroupFlowNode;

export interface ShapeEdgeData extends Record<string, unknown> {
  /** The shape the link carries, e.g. "16×16×32", or null while unknown. */
  readonly shape: string | null;
  /**
   * Set for a link that would cross other nodes drawn straight: the coordinate (x top-down, y
   * left-right) of the lane it runs along instead.
   */
  readonly lane: number | null;
  readonly direction: Direction;
  /** True when a folded group's card stands at one end. */
  readonly folded: boolean;
}
export type ShapeFlowEdge = Edge<ShapeEdgeData, 'shape'>;

/** React Flow ids of cards: node ids cannot hold ':', so these never clash with a node. */
export const CARD_PREFIX = 'group:';
export const cardId = (groupId: string): string => `${CARD_PREFIX}${groupId}`;
export const groupOfCard = (flowId: string): string | undefined =>
  flowId.startsWith(CARD_PREFIX) ? flowId.slice(CARD_PREFIX.length) : undefined;

/** A lane keeps this far from the nodes it passes, and from a lane beside it. */
const LANE_MARGIN = 30;
const LANE_STEP = 14;

function inputSlots(node: GraphNode, analysis: GraphAnalysis): { slots: number; spareFrom: number } {
  const def = getNodeDef(node.kind);
  if (def === undefined || def.inputs.max === 0) return { slots: 0, spareFrom: 0 };
  if (def.inputs.max === 1) return { slots: 1, spareFrom: 1 };
  const incoming = analysis.index.incoming.get(node.id) ?? [];
  const highest = incoming.reduce((m, e) => Math.max(m, handleIndex(e.targetHandle)), -1);
  return {
    slots: Math.min(def.inputs.max, Math.max(def.inputs.min, highest + 2)),
    spareFrom: Math.max(def.inputs.min, highest + 1),
  };
}

interface Rect {
  readonly id: string;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** What each card sums up: its in/out shapes, weights and problems. */
function cardFacts(
  doc: GraphDocument,
  analysis: GraphAnalysis,
  cards: readonly Card[],
  cardOf: ReadonlyMap<string, string>,
): Map<string, CardFacts> {
  const shapeOf = (id: string): string | null => {
    const r = analysis.nodes.get(id);
    return r?.status === 'ok' ? formatShape(r.shape) : null;
  };
  const entering = new Map<string, GraphEdge>();
  const leaving = new Map<string, GraphEdge>();
  const rank = new Map(analysis.order.map((id, i) => [id, i]));
  const at = (id: string) => rank.get(id) ?? -1;
  // What enters first is the card's input; what leaves last is its output.
  for (const e of doc.edges) {
    const into = cardOf.get(e.target);
    const from = cardOf.get(e.source);
    const firstIn = into === undefined ? undefined : entering.get(into);
    if (into !== undefined && into !== from && (firstIn === undefined || at(e.target) < at(firstIn.target)))
      entering.set(into, e);
    const lastOut = from === undefined ? undefined : leaving.get(from);
    if (from !== undefined && from !== into && (lastOut === undefined || at(e.source) > at(lastOut.source)))
      leaving.set(from, e);
  }
  const facts = new Map<string, CardFacts>();
  for (const card of cards) {
    let params = 0;
    let problems = 0;
    for (const id of card.members) {
      const r = analysis.nodes.get(id);
      if (r?.status === 'ok') params += r.stats.trainable + r.stats.nonTrainable;
      else if (r?.status === 'error') problems++;
    }
    const into = entering.get(card.group.id);
    const out = leaving.get(card.group.id);
    const lastMember = [...card.members].sort((a, b) => (rank.get(b) ?? -1) - (rank.get(a) ?? -1))[0];
    facts.set(card.group.id, {
      layers: card.members.length,
      inShape: into === undefined ? null : shapeOf(into.source),
      outShape:
        out !== undefined ? shapeOf(out.source) : lastMember === undefined ? null : shapeOf(lastMember),
      params,
      problems,
    });
  }
  return facts;
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
  private nodeCache = new Map<string, { key: readonly unknown[]; flow: CanvasNode }>();
  private edgeCache = new Map<string, { key: readonly unknown[]; flow: ShapeFlowEdge }>();

  private reuse<T>(
    cache: Map<string, { key: readonly unknown[]; flow: T }>,
    next: typeof cache,
    id: string,
    key: readonly unknown[],
    make: () => T,
  ): T {
    const cached = cache.get(id);
    if (
      cached !== undefined &&
      cached.key.length === key.length &&
      cached.key.every((k, i) => k === key[i])
    ) {
      next.set(id, cached);
      return cached.flow;
    }
    const flow = make();
    next.set(id, { key, flow });
    return flow;
  }

  nodes(
    doc: GraphDocument,
    analysis: GraphAnalysis,
    view: FoldedView,
    selected: readonly string[],
  ): CanvasNode[] {
    const chosen = new Set(selected);
    const next = new Map<string, { key: readonly unknown[]; flow: CanvasNode }>();
    const direction = view.direction;
    const out: CanvasNode[] = [];
    for (const node of doc.nodes) {
      const position = view.positions.get(node.id);
      if (position === undefined) continue;
      const result = analysis.nodes.get(node.id) ?? { status: 'waiting' as const, message: '' };
      const { slots, spareFrom } = inputSlots(node, analysis);
      const isSelected = chosen.has(node.id);
      const measured = this.measured.get(node.id);
      out.push(
        this.reuse(
          this.nodeCache,
          next,
          node.id,
          [node, result, slots, spareFrom, isSelected, measured, position.x, position.y, direction],
          () => ({
            id: node.id,
            type: 'layer' as const,
            position,
            data: { node, result, inputSlots: slots, spareFrom, direction },
            selected: isSelected,
            // Sizes for nodes not yet rendered (off screen), so fit-view and the minimap see them.
            initialWidth: NODE_WIDTH,
            initialHeight: NODE_HEIGHT,
            ...(measured ? { measured } : {}),
          }),
        ),
      );
    }
    const facts =
      view.cards.length === 0
        ? new Map<string, CardFacts>()
        : cardFacts(doc, analysis, view.cards, view.cardOf);
    for (const card of view.cards) {
      const id = cardId(card.group.id);
      const f = facts.get(card.group.id)!;
      const isSelected = card.members.length > 0 && card.members.every((m) => chosen.has(m));
      const measured = this.measured.get(id);
      out.push(
        this.reuse(
          this.nodeCache,
          next,
          id,
          [
            card.group,
            card.position.x,
            card.position.y,
            isSelected,
            measured,
            direction,
            f.layers,
            f.inShape,
            f.outShape,
            f.params,
            f.problems,
          ],
          () => ({
            id,
            type: 'card' as const,
            position: card.position,
            data: { group: card.group, direction, ...f },
            selected: isSelected,
            connectable: false,
            initialWidth: CARD_WIDTH,
            initialHeight: CARD_HEIGHT,
            ...(measured ? { measured } : {}),
          }),
        ),
      );
    }
    this.nodeCache = next;
    return out;
  }

  edges(
    doc: GraphDocument,
    analysis: GraphAnalysis,
    view: FoldedView,
    selected: readonly string[],
  ): ShapeFlowEdge[] {
    const chosen = new Set(selected);
    const next = new Map<string, { key: readonly unknown[]; flow: ShapeFlowEdge }>();
    const router = new LaneRouter(analysis, view, this.measured);
    const seen = new Set<string>();
    const out: ShapeFlowEdge[] = [];
    for (const edge of doc.edges) {
      const fromCard = view.cardOf.get(edge.source);
      const toCard = view.cardOf.get(edge.target);
      if (fromCard !== undefined && fromCard === toCard) continue;
      const source = fromCard === undefined ? edge.source : cardId(fromCard);
      const target = toCard === undefined ? edge.target : cardId(toCard);
      const targetHandle = toCard === undefined ? edge.targetHandle : 'in';
      const folded = fromCard !== undefined || toCard !== undefined;
      // Links folded onto the same card ends are drawn once.
      const bundle = `${source}\u0000${target}\u0000${targetHandle}`;
      if (seen.has(bundle)) continue;
      seen.add(bundle);
      const r = analysis.nodes.get(edge.source);
      const shape = r?.status === 'ok' ? formatShape(r.shape) : null;
      const isSelected = chosen.has(edge.id);
      const lane = router.lane(source, target, targetHandle);
      out.push(
        this.reuse(
          this.edgeCache,
          next,
          edge.id,
          [edge, shape, isSelected, source, target, lane, view.direction],
          () => ({
            id: edge.id,
            type: 'shape' as const,
            source,
            sourceHandle: 'out',
            target,
            targetHandle,
            data: { shape, lane, direction: view.direction, folded },
            selected: isSelected,
            // A folded link stands for several; it is selected and deleted by unfolding first.
            ...(folded ? { selectable: false } : {}),
          }),
        ),
      );
    }
    this.edgeCache = next;
    return out;
  }
}

/**
 * Finds lanes for links that would pass through nodes if drawn straight (a residual block's
 * shortcut beside the layers it skips): the first free line past those nodes, on the side lanes
 * grow (right top-down, below left-right), clear of lanes already given to overlapping links.
 */
class LaneRouter {
  /** Node and card boxes in flow-axis terms: `a` along the flow, `c` across it. */
  private readonly boxes: { id: string; a0: number; a1: number; c0: number; c1: number }[];
  private readonly byId = new Map<string, { a0: number; a1: number; c0: number; c1: number }>();
  private readonly taken: { lane: number; a0: number; a1: number }[] = [];
  private readonly slots = new Map<string, number>();
  private readonly down: boolean;

  constructor(
    analysis: GraphAnalysis,
    view: FoldedView,
    measured: ReadonlyMap<string, { width: number; height: number }>,
  ) {
    this.down = view.direction === 'down';
    const rects: Rect[] = [];
    for (const [id, p] of view.positions) {
      const size = measured.get(id);
      rects.push({ id, x: p.x, y: p.y, w: size?.width ?? NODE_WIDTH, h: size?.height ?? NODE_HEIGHT });
      const node = analysis.index.nodes.get(id);
      if (node !== undefined) this.slots.set(id, inputSlots(node, analysis).slots);
    }
    for (const card of view.cards) {
      const id = cardId(card.group.id);
      const size = measured.get(id);
      rects.push({
        id,
        x: card.position.x,
        y: card.position.y,
        w: size?.width ?? CARD_WIDTH,
        h: size?.height ?? CARD_HEIGHT,
      });
    }
    this.boxes = rects
      .map((r) =>
        this.down
          ? { id: r.id, a0: r.y, a1: r.y + r.h, c0: r.x, c1: r.x + r.w }
          : { id: r.id, a0: r.x, a1: r.x + r.w, c0: r.y, c1: r.y + r.h },
      )
      .sort((p, q) => p.a0 - q.a0);
    for (const b of this.boxes) this.byId.set(b.id, b);
  }

  /** Where a link leaves its source and enters its target, across the flow. */
  private ends(source: string, target: string, handle: string) {
    const s = this.byId.get(source);
    const t = this.byId.get(target);
    if (s === undefined || t === undefined) return undefined;
    const slots = this.slots.get(target) ?? 1;
    const k = handle === 'in' ? 0 : handleIndex(handle);
    const fraction = slots > 0 ? (k + 1) / (slots + 1) : 0.5;
    return { s, t, sc: (s.c0 + s.c1) / 2, tc: t.c0 + (t.c1 - t.c0) * fraction };
  }

  lane(source: string, target: string, handle: string): number | null {
    const ends = this.ends(source, target, handle);
    if (ends === undefined) return null;
    const { s, t, sc, tc } = ends;
    const from = s.a1 + LAYER_GAP / 2;
    const to = t.a0 - LAYER_GAP / 2;
    // A link to the next layer, or one drawn backwards, is left to the ordinary curve.
    if (to <= from) return null;
    const lo = Math.min(sc, tc) - LANE_MARGIN / 2;
    const hi = Math.max(sc, tc) + LANE_MARGIN / 2;
    const between = this.within(from, to);
    if (!between.some((b) => b.id !== source && b.id !== target && b.c1 > lo && b.c0 < hi)) return null;
    let lane = Math.max(sc, tc);
    for (const b of between) if (b.c1 > lo && b.c0 < hi) lane = Math.max(lane, b.c1 + LANE_MARGIN);
    // Step past any node in the way, or a lane already taken along an overlapping stretch.
    for (let moved = true, guard = 0; moved && guard < 1000; guard++) {
      moved = false;
      for (const b of between)
        if (b.c0 - LANE_MARGIN < lane && lane < b.c1 + LANE_MARGIN) {
          lane = b.c1 + LANE_MARGIN;
          moved = true;
        }
      for (const l of this.taken)
        if (Math.abs(l.lane - lane) < LANE_STEP && l.a0 < to && from < l.a1) {
          lane = l.lane + LANE_STEP;
          moved = true;
        }
    }
    this.taken.push({ lane, a0: from, a1: to });
    return lane;
  }

  /** Boxes that reach into the stretch (from, to) along the flow. */
  private within(from: number, to: number) {
    const out: typeof this.boxes = [];
    // Boxes are sorted by start; a box starting after `to` cannot reach in.
    let lo = 0;
    let hi = this.boxes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.boxes[mid]!.a0 < to) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo - 1; i >= 0; i--) {
      const b = this.boxes[i]!;
      if (b.a1 > from) out.push(b);
      // Node boxes are at most a few layers long: stop scanning well before the stretch.
      else if (b.a0 < from - 4 * (NODE_WIDTH + NODE_HEIGHT)) break;
    }
    return out;
  }
}
