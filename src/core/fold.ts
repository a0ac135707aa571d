/**
 * What the canvas shows of a document whose groups may be folded: a folded group becomes one card
 * in place of its nodes, and everything after it along the flow moves up to close the gap, the way
 * a code editor folds lines. Saved positions are never changed by folding; this is only the view.
 */
import type { Direction, GraphDocument, GraphGroup } from './document';
import type { Position } from './edit';
import { groupsOf, indexGroups } from './groups';
import { NODE_HEIGHT, NODE_WIDTH } from './layout';

/** A folded group's card is the size of a node, so it takes one node's place in a column. */
export const CARD_WIDTH = NODE_WIDTH;
export const CARD_HEIGHT = NODE_HEIGHT;
/** The thickness of an unfolded group's bracket beside its nodes, and the gap to them. */
export const BRACKET = 18;
export const BRACKET_GAP = 6;

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface Card {
  readonly group: GraphGroup;
  readonly position: Position;
  /** Every node the card stands for, nested groups included. */
  readonly members: readonly string[];
}

/** An unfolded group: a bracket beside (top-down) or above (left-right) its nodes. */
export interface Bracket {
  readonly group: GraphGroup;
  readonly box: Box;
  /** 0 for the outermost groups. */
  readonly depth: number;
}

export interface FoldedView {
  readonly direction: Direction;
  /** Where each node that is not folded away is drawn (top-left corner). */
  readonly positions: ReadonlyMap<string, Position>;
  readonly cards: readonly Card[];
  readonly brackets: readonly Bracket[];
  /** For each folded-away node, the id of the group whose card stands for it. */
  readonly cardOf: ReadonlyMap<string, string>;
  /**
   * The saved position for a point drawn at `shown` (the inverse of folding); `ignore` leaves one
   * group's fold out, for dragging that group's own card.
   */
  toSaved(shown: Position, ignore?: string): Position;
}

interface Span {
  readonly group: string;
  readonly start: number;
  readonly end: number;
}

const along = (p: Position, direction: Direction): number => (direction === 'down' ? p.y : p.x);
const across = (p: Position, direction: Direction): number => (direction === 'down' ? p.x : p.y);
const make = (a: number, c: number, direction: Direction): Position =>
  direction === 'down' ? { x: c, y: a } : { x: a, y: c };
const length = (direction: Direction): { along: number; card: number } =>
  direction === 'down' ? { along: NODE_HEIGHT, card: CARD_HEIGHT } : { along: NODE_WIDTH, card: CARD_WIDTH };

/** The most common value (the column most members sit in); ties go to the smallest. */
function mode(values: readonly number[]): number {
  const counts = new Map<number, number>();
  let best = values[0] ?? 0;
  for (const v of values) {
    const n = (counts.get(v) ?? 0) + 1;
    counts.set(v, n);
    const top = counts.get(best) ?? 0;
    if (n > top || (n === top && v < best)) best = v;
  }
  return best;
}

/** Sorted, merged spans of folded-away length, and the shift each point past them gets. */
class Folds {
  private readonly merged: { start: number; end: number }[] = [];

  constructor(spans: readonly Span[]) {
    const sorted = [...spans].filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
    for (const s of sorted) {
      const last = this.merged[this.merged.length - 1];
      if (last !== undefined && s.start <= last.end) last.end = Math.max(last.end, s.end);
      else this.merged.push({ start: s.start, end: s.end });
    }
  }

  /** Drawn coordinate of a saved one. */
  show(a: number): number {
    let removed = 0;
    for (const s of this.merged) {
      if (a <= s.start) break;
      removed += Math.min(a, s.end) - s.start;
    }
    return a - removed;
  }

  /** The first saved coordinate drawn at `shown`. */
  save(shown: number): number {
    let added = 0;
    for (const s of this.merged) {
      if (shown + added <= s.start) break;
      added += s.end - s.start;
    }
    return shown + added;
  }
}

const identity: Omit<FoldedView, 'positions' | 'direction'> = {
  cards: [],
  brackets: [],
  cardOf: new Map(),
  toSaved: (p) => p,
};

let last: { doc: GraphDocument; view: FoldedView } | undefined;

/** The folded view of a document (reused while the document is the same object). */
export function foldView(doc: GraphDocument): FoldedView {
  if (last?.doc === doc) return last.view;
  const view = computeFold(doc);
  last = { doc, view };
  return view;
}

function computeFold(doc: GraphDocument): FoldedView {
  const direction = doc.direction ?? 'down';
  const saved = new Map(doc.nodes.map((n) => [n.id, n.position]));
  const groups = groupsOf(doc);
  if (groups.length === 0) return { ...identity, direction, positions: saved };

  const index = indexGroups(doc);
  const size = length(direction);
  // The outermost folded groups become cards; groups inside them are not drawn at all.
  const anyFolded = groups.some((g) => g.collapsed);
  const hiddenBy = (g: GraphGroup): boolean =>
    anyFolded && index.ancestors(g.id).some((a) => index.byId.get(a)!.collapsed);
  const folded = groups.filter((g) => g.collapsed && !hiddenBy(g));
  const cardOf = new Map<string, string>();
  const spans: Span[] = [];
  const raw: { group: GraphGroup; members: readonly string[]; start: number; cross: number }[] = [];
  for (const g of folded) {
    const members = index.members(g.id).filter((id) => saved.has(id));
    if (members.length === 0) continue;
    let start = Infinity;
    let end = -Infinity;
    for (const id of members) {
      const a = along(saved.get(id)!, direction);
      start = Math.min(start, a);
      end = Math.max(end, a + size.along);
      cardOf.set(id, g.id);
    }
    spans.push({ group: g.id, start: start + size.card, end });
    raw.push({
      group: g,
      members,
      start,
      cross: mode(members.map((id) => across(saved.get(id)!, direction))),
    });
  }
  const folds = new Folds(spans);

  const positions = new Map<string, Position>();
  for (const [id, p] of saved)
    if (!cardOf.has(id))
      positions.set(id, make(folds.show(along(p, direction)), across(p, direction), direction));
  const cards: Card[] = raw.map((r) => ({
    group: r.group,
    members: r.members,
    position: make(folds.show(r.start), r.cross, direction),
  }));

  const brackets = bracketsFor(doc, direction, positions, cards, hiddenBy);
  const withoutOwn = new Map<string, Folds>();
  return {
    direction,
    positions,
    cards,
    brackets,
    cardOf,
    toSaved(shown, ignore) {
      let f = folds;
      if (ignore !== undefined) {
        f = withoutOwn.get(ignore) ?? new Folds(spans.filter((s) => s.group !== ignore));
        withoutOwn.set(ignore, f);
      }
      return make(f.save(along(shown, direction)), across(shown, direction), direction);
    },
  };
}

/** Brackets of the unfolded groups, each just outside what it holds (nested ones further out). */
function bracketsFor(
  doc: GraphDocument,
  direction: Direction,
  positions: ReadonlyMap<string, Position>,
  cards: readonly Card[],
  hiddenBy: (g: GraphGroup) => boolean,
): Bracket[] {
  const index = indexGroups(doc);
  const open = groupsOf(doc).filter((g) => !g.collapsed && !hiddenBy(g));
  const cardAt = new Map(cards.map((c) => [c.group.id, c.position]));
  const extent = new Map<string, { lo: number; hi: number; near: number }>();
  const depths = new Map(open.map((g) => [g.id, index.ancestors(g.id).length]));
  const depthOf = (g: GraphGroup) => depths.get(g.id)!;
  const byDepth = [...open].sort((a, b) => depthOf(b) - depthOf(a));
  const boxOf = (p: Position, w: number, h: number) =>
    direction === 'down' ? { lo: p.y, hi: p.y + h, near: p.x } : { lo: p.x, hi: p.x + w, near: p.y };
  const out: Bracket[] = [];
  // Innermost first, so each bracket can stand outside the brackets nested in it.
  for (const g of byDepth) {
    let lo = Infinity;
    let hi = -Infinity;
    let near = Infinity;
    const take = (e: { lo: number; hi: number; near: number }) => {
      lo = Math.min(lo, e.lo);
      hi = Math.max(hi, e.hi);
      near = Math.min(near, e.near);
    };
    for (const id of g.nodeIds) {
      const p = positions.get(id);
      if (p !== undefined) take(boxOf(p, NODE_WIDTH, NODE_HEIGHT));
    }
    for (const child of index.children.get(g.id) ?? []) {
      const card = cardAt.get(child);
      if (card !== undefined) take(boxOf(card, CARD_WIDTH, CARD_HEIGHT));
      const inner = extent.get(child);
      if (inner !== undefined) take(inner);
    }
    if (!Number.isFinite(lo)) continue;
    const at = near - BRACKET_GAP - BRACKET;
    extent.set(g.id, { lo, hi, near: at });
    out.push({
      group: g,
      depth: depthOf(g),
      box:
        direction === 'down'
          ? { x: at, y: lo, width: BRACKET, height: hi - lo }
          : { x: lo, y: at, width: hi - lo, height: BRACKET },
    });
  }
  return out.reverse();
}
