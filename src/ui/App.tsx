import { useMemo, useState } from 'react';
import { analyzeGraph } from '../core/analyze';
import { loadGraph } from '../core/load';
import { formatCount, formatMagnitude, formatShape, summarize } from '../core/summary';
import { DEFAULT_TEMPLATE, findTemplate, templates } from '../../templates';

export function App() {
  const [name, setName] = useState(DEFAULT_TEMPLATE);
  const summary = useMemo(() => {
    const loaded = loadGraph(findTemplate(name)!.document);
    return loaded.ok ? summarize(loaded.doc.name, analyzeGraph(loaded.doc)) : null;
  }, [name]);
  return (
    <main className="page">
      <header>
        <h1>ConvCanvas</h1>
        <p>Build a convolutional network, see every shape, train it in the browser.</p>
      </header>
      <label>
        Template{' '}
        <select value={name} onChange={(e) => setName(e.target.value)} aria-label="Template">
          {templates.map((t) => (
            <option key={t.name} value={t.name}>
              {t.title}
            </option>
          ))}
        </select>
      </label>
      <p className="blurb">{findTemplate(name)?.blurb}</p>
      {summary && (
        <table className="summary" aria-label="Model summary">
          <thead>
            <tr>
              <th>node</th>
              <th>kind</th>
              <th>output</th>
              <th>params</th>
              <th>FLOPs</th>
            </tr>
          </thead>
          <tbody>
            {summary.rows.map((r) => (
              <tr key={r.id}>
                <td>{r.label}</td>
                <td>
                  {r.kindLabel} {r.detail}
                </td>
                <td>{r.shape ? formatShape(r.shape) : r.message}</td>
                <td>{formatCount(r.trainable + r.nonTrainable)}</td>
                <td>{formatMagnitude(r.flops)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <td colSpan={3}>Total ({formatCount(summary.totals.trainable)} trainable)</td>
              <td>{formatCount(summary.totals.params)}</td>
              <td>{formatMagnitude(summary.totals.flops)}</td>
            </tr>
          </tfoot>
        </table>
      )}
    </main>
  );
}
