/** A Keras-like model summary: one row per node, in data-flow order, with totals. */
import { getNodeDef } from '../../nodes';
import { formatShape } from '../../nodes/shape';
import type { GraphAnalysis } from './analyze';

export { formatBytes } from './units';

export interface SummaryRow {
  readonly id: string;
  readonly label: string;
  readonly kind: string;
  readonly kindLabel: string;
  /** Key params in short form. */
  readonly detail: string;
  /** Output shape without the batch dimension, or null when there is none. */
  readonly shape: readonly number[] | null;
  readonly trainable: number;
  readonly nonTrainable: number;
  readonly flops: number;
  readonly activationBytes: number;
  readonly status: 'ok' | 'error' | 'waiting';
  readonly message?: string;
  /** False for nodes that do not lead to the output. */
  readonly inModel: boolean;
}

export interface ModelSummary {
  readonly name: string;
  readonly rows: readonly SummaryRow[];
  readonly totals: GraphAnalysis['totals'] & { readonly params: number };
  /**
   * Nodes the totals leave out because they have no size yet (an error, or waiting on one); when
   * above 0 the totals are those of the valid part only.
   */
  readonly uncounted: number;
  readonly valid: boolean;
  readonly issues: GraphAnalysis['issues'];
}

/**
 * The totals to show: the model's when the graph is valid; while it is not, those of every node
 * that has a size (so a half-built graph does not read "0 params"), with how many are left out.
 */
export function countedTotals(analysis: GraphAnalysis): {
  totals: ModelSummary['totals'];
  uncounted: number;
} {
  const whole = (t: GraphAnalysis['totals']) => ({ ...t, params: t.trainable + t.nonTrainable });
  if (analysis.valid) return { totals: whole(analysis.totals), uncounted: 0 };
  let trainable = 0;
  let nonTrainable = 0;
  let flops = 0;
  let activationBytes = 0;
  let uncounted = 0;
  for (const r of analysis.nodes.values()) {
    if (r.status !== 'ok') {
      uncounted++;
      continue;
    }
    trainable += r.stats.trainable;
    nonTrainable += r.stats.nonTrainable;
    flops += r.stats.flops;
    activationBytes += r.activationBytes;
  }
  return { totals: whole({ trainable, nonTrainable, flops, activationBytes }), uncounted };
}

/**
 * One row per node: in data-flow order (a Keras summary), or in the order the nodes were made
 * (`document`), which keeps rows still while a graph is being linked up.
 */
export function summarize(
  name: string,
  analysis: GraphAnalysis,
  order: 'flow' | 'document' = 'flow',
): ModelSummary {
  const ids =
    order === 'document'
      ? [...analysis.index.nodes.keys()]
      : (() => {
          const ordered = new Set(analysis.order);
          return [...analysis.order, ...[...analysis.nodes.keys()].filter((id) => !ordered.has(id))];
        })();
  const rows = ids.map((id): SummaryRow => {
    const node = analysis.index.nodes.get(id)!;
    const def = getNodeDef(node.kind);
    const r = analysis.nodes.get(id)!;
    const base = {
      id,
      label: node.label ?? id,
      kind: node.kind,
      kindLabel: def?.label ?? node.kind,
      detail: def?.short(node.params) ?? '',
      inModel: analysis.live.size === 0 || analysis.live.has(id),
    };
    return r.status === 'ok'
      ? {
          ...base,
          shape: r.shape,
          trainable: r.stats.trainable,
          nonTrainable: r.stats.nonTrainable,
          flops: r.stats.flops,
          activationBytes: r.activationBytes,
          status: 'ok',
        }
      : {
          ...base,
          shape: null,
          trainable: 0,
          nonTrainable: 0,
          flops: 0,
          activationBytes: 0,
          status: r.status,
          message: r.message,
        };
  });
  const { totals, uncounted } = countedTotals(analysis);
  return { name, rows, totals, uncounted, valid: analysis.valid, issues: analysis.issues };
}

/** 1234567 -> "1,234,567" */
export const formatCount = (n: number): string => n.toLocaleString('en-US');

/** 3638010272 -> "3.64 G" */
export function formatMagnitude(n: number): string {
  const units: readonly [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, unit] of units) if (n >= size) return `${(n / size).toPrecision(3)} ${unit}`;
  return String(n);
}

export { formatShape };
