/**
 * The graph an import is building, before it becomes a document: nodes made from layers, with
 * their params as read (checked once the passes have run) and ids still to be chosen.
 */
import { getNodeDef } from '../../nodes';
import type { Shape } from '../../nodes/shape';
import { checkParams } from '../core/params';
import type { SavedLayer } from './topology';

/** One node being made. Drafts are keyed by number, in the order they were made. */
export interface Draft {
  readonly kind: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** The drafts feeding it, by input slot. */
  readonly inputs: readonly number[];
  /** The layer it was read from: its errors are located there and its id is made from its name. */
  readonly layer: SavedLayer;
  /** Added to the layer's name for the id of a second node made from one layer. */
  readonly suffix?: string;
  /** Its output shape, as far as it is known while reading. */
  readonly shape: Shape | undefined;
}

export interface DraftGraph {
  /** In the order they were made, which is the document's node order. */
  readonly drafts: ReadonlyMap<number, Draft>;
  /** The draft whose output stands for each layer's output, by layer name. */
  readonly outputOf: ReadonlyMap<string, number>;
}

/** The shape a node of `kind` with these params gives, when its params and inputs are known. */
export function inferDraft(
  kind: string,
  params: Readonly<Record<string, unknown>>,
  inputs: readonly (Shape | undefined)[],
): Shape | undefined {
  const def = getNodeDef(kind);
  if (def === undefined) throw new Error(`a layer reader made an unknown node kind "${kind}"`);
  const check = checkParams(def, params);
  if (!check.ok || !inputs.every((s): s is Shape => s !== undefined)) return undefined;
  const result = def.infer(inputs, check.values);
  return result.ok ? result.shape : undefined;
}

/** One draft taken out of the graph (`gone`) in favour of another (`by`), changed as it says. */
export interface Merge {
  readonly gone: number;
  readonly by: number;
  readonly changes: Partial<Pick<Draft, 'kind' | 'params' | 'inputs'>>;
}

/**
 * The graph with each merge's `gone` draft taken out, everything that read it reading `by`
 * instead, and `by` changed in its place.
 */
export function applyMerges(graph: DraftGraph, merges: readonly Merge[]): DraftGraph {
  if (merges.length === 0) return graph;
  const replacedBy = new Map(merges.map((m) => [m.gone, m.by]));
  const changed = new Map(merges.map((m) => [m.by, m.changes]));
  const drafts = new Map<number, Draft>();
  for (const [key, d] of graph.drafts) {
    if (replacedBy.has(key)) continue;
    const updated = { ...d, ...changed.get(key) };
    drafts.set(key, { ...updated, inputs: updated.inputs.map((i) => replacedBy.get(i) ?? i) });
  }
  const outputOf = new Map(
    [...graph.outputOf].map(([layer, key]) => [layer, replacedBy.get(key) ?? key] as const),
  );
  return { drafts, outputOf };
}
