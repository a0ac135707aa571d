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
  readonly valid: boolean;
  readonly issues: GraphAnalysis['issues'];
}

export function summarize(name: string, analysis: GraphAnalysis): ModelSummary {
  const ids = [...analysis.order, ...[...analysis.nodes.keys()].filter((id) => !analysis.order.includes(id))];
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
  const { totals } = analysis;
  return {
    name,
    rows,
    totals: { ...totals, params: totals.trainable + totals.nonTrainable },
    valid: analysis.valid,
    issues: analysis.issues,
  };
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
