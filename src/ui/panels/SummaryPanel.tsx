import { useState } from 'react';
import { formatBytes, formatCount, formatMagnitude, formatShape, summarize } from '../../core/summary';
import { PANEL_LIMITS, defaultPanels } from '../../store/panels';
import { useFocusNode } from '../canvas/useFocusNode';
import { useAnalysis, useEditor, useEditorStore } from '../editor-context';
import { Splitter } from '../layout/Splitter';

/** A Keras-like model summary under the canvas; clicking a row selects and shows that node. */
export function SummaryPanel() {
  const store = useEditorStore();
  const open = useEditor((s) => s.summaryOpen);
  const height = useEditor((s) => s.panels.summaryHeight);
  const name = useEditor((s) => s.doc.name);
  const selected = useEditor((s) => s.selectedNodes);
  const analysis = useAnalysis();
  const [batch, setBatch] = useState(32);
  const focus = useFocusNode();
  // Rows in the order nodes were made: they stay put while links are drawn.
  const summary = summarize(name, analysis, 'document');
  const t = summary.totals;
  const partial = summary.uncounted > 0;

  return (
    <section
      className={`summary-panel${open ? '' : ' is-closed'}`}
      aria-label="Model summary"
      style={open ? { height } : undefined}
    >
      {open && (
        <Splitter
          orientation="horizontal"
          label="Summary height"
          value={height}
          min={PANEL_LIMITS.summaryHeight[0]}
          max={PANEL_LIMITS.summaryHeight[2]}
          grows={-1}
          style={{ top: -3 }}
          onChange={(summaryHeight) => store.getState().setPanels({ summaryHeight })}
          onReset={() => store.getState().setPanels({ summaryHeight: defaultPanels.summaryHeight })}
        />
      )}
      <header>
        <button
          type="button"
          className="ghost"
          onClick={() => store.getState().setSummaryOpen(!open)}
          aria-expanded={open}
        >
          {open ? '▾' : '▸'} Summary
        </button>
        <span className="summary-totals" data-testid="summary-totals">
          {partial && (
            <span
              className="summary-partial"
              title="Nodes with an error, or waiting on one, have no size yet: the totals count the rest."
            >
              partial ({summary.uncounted} node{summary.uncounted === 1 ? '' : 's'} not counted):{' '}
            </span>
          )}
          {formatCount(t.params)} params ({formatCount(t.trainable)} trainable, {formatCount(t.nonTrainable)}{' '}
          fixed) · {formatMagnitude(t.flops)}FLOPs per image · activations for a batch of{' '}
          <input
            type="number"
            min={1}
            max={4096}
            value={batch}
            aria-label="Batch size for the memory estimate"
            onChange={(e) => setBatch(Math.min(4096, Math.max(1, Math.round(Number(e.target.value)) || 1)))}
          />
          : <strong data-testid="batch-memory">{formatBytes(t.activationBytes * batch)}</strong>
        </span>
      </header>
      {open && (
        <div className="summary-scroll">
          <table>
            <thead>
              <tr>
                <th>node</th>
                <th>kind</th>
                <th className="num">output</th>
                <th className="num">params</th>
                <th className="num">FLOPs</th>
              </tr>
            </thead>
            <tbody>
              {summary.rows.map((r) => (
                <tr
                  key={r.id}
                  onClick={() => focus(r.id)}
                  className={`${selected.includes(r.id) ? 'is-selected' : ''} ${r.status !== 'ok' ? `status-${r.status}` : ''} ${r.inModel ? '' : 'is-unused'}`}
                >
                  <td>{r.label}</td>
                  <td>
                    {r.kindLabel} <span className="muted">{r.detail}</span>
                  </td>
                  <td className="num">
                    {r.shape ? formatShape(r.shape) : r.status === 'error' ? 'error' : '…'}
                  </td>
                  <td className="num">{formatCount(r.trainable + r.nonTrainable)}</td>
                  <td className="num">{formatMagnitude(r.flops)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
