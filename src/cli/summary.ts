import { analyzeGraph } from '../core/analyze';
import type { GraphDocument } from '../core/document';
import type { ModelSummary } from '../core/summary';
import { formatBytes, formatCount, formatMagnitude, formatShape, summarize } from '../core/summary';
import { renderTable } from './table';

export function summaryOf(doc: GraphDocument): ModelSummary {
  return summarize(doc.name, analyzeGraph(doc));
}

export function renderSummary(s: ModelSummary): string {
  const rows = s.rows.map((r) => [
    r.inModel ? r.label : `${r.label} (unused)`,
    r.kindLabel + (r.detail ? ` ${r.detail}` : ''),
    r.shape === null ? (r.status === 'error' ? 'ERROR' : '?') : formatShape(r.shape),
    formatCount(r.trainable + r.nonTrainable),
    formatMagnitude(r.flops),
  ]);
  const table = renderTable(['node', 'kind', 'output', 'params', 'FLOPs'], rows, [
    'left',
    'left',
    'right',
    'right',
    'right',
  ]);
  const t = s.totals;
  const lines = [
    `Model: ${s.name}`,
    table,
    `Total params: ${formatCount(t.params)}${s.uncounted > 0 ? ` (partial: ${s.uncounted} node${s.uncounted === 1 ? '' : 's'} without a shape not counted)` : ''}`,
    `Trainable params: ${formatCount(t.trainable)}`,
    `Non-trainable params: ${formatCount(t.nonTrainable)}`,
    `FLOPs per example: ${formatMagnitude(t.flops)}`,
    `Activations per example: ${formatBytes(t.activationBytes)}`,
  ];
  const problems = [
    ...s.rows.filter((r) => r.status === 'error').map((r) => `error in ${r.id}: ${r.message}`),
    ...s.issues.map((i) => `${i.severity}: ${i.message}`),
  ];
  if (problems.length > 0) lines.push('', ...problems);
  return lines.join('\n');
}
