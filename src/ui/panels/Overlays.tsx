import { useEffect } from 'react';
import { formatDocError } from '../../core/issues';
import { download } from '../download';
import { useEditor, useEditorStore } from '../editor-context';
import { shortcuts } from '../shortcuts';

export function HelpOverlay() {
  const store = useEditorStore();
  const open = useEditor((s) => s.helpOpen);
  if (!open) return null;
  return (
    <div
      className="overlay"
      role="dialog"
      aria-modal="true"
      aria-label="Help"
      onClick={() => store.getState().setHelpOpen(false)}
    >
      <div className="dialog" onClick={(e) => e.stopPropagation()}>
        <h2>Using ConvCanvas</h2>
        <p>
          Drag layers from the left onto the canvas, then drag from a node’s bottom dot to the next node’s top
          dot. Each node shows the shape of what it outputs (height × width × channels); a red node says what
          is wrong and how to fix it. Pick a node to change its settings on the right.
        </p>
        <table className="shortcut-table">
          <tbody>
            {shortcuts.map((s) => (
              <tr key={s.what}>
                <td>
                  <kbd>{s.keys}</kbd>
                </td>
                <td>{s.what}</td>
              </tr>
            ))}
            <tr>
              <td>
                <kbd>Shift + drag</kbd>
              </td>
              <td>Select several nodes with a box</td>
            </tr>
          </tbody>
        </table>
        <button type="button" onClick={() => store.getState().setHelpOpen(false)}>
          Close
        </button>
      </div>
    </div>
  );
}

export function ImportErrorsDialog() {
  const store = useEditorStore();
  const problem = useEditor((s) => s.importErrors);
  const paused = useEditor((s) => s.autosave === 'paused');
  if (problem === null) return null;
  const held = problem.held;
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-label="Could not open the graph">
      <div className="dialog">
        <h2>Could not open {problem.source}</h2>
        {held === undefined ? (
          <p>Nothing was changed: your current graph is as it was. What is wrong:</p>
        ) : (
          <p data-testid="held-graph">
            {held.keptAside
              ? 'A copy is kept aside in this browser. Download it to keep it as a file.'
              : paused
                ? 'It stays in this browser’s storage, but there is no room to keep a copy aside, so autosave is paused: nothing will overwrite it. Download it to keep it as a file, then resume autosave.'
                : 'Autosave has replaced it. If you downloaded it, the file holds it.'}{' '}
            What is wrong:
          </p>
        )}
        <ul className="error-list" data-testid="import-errors">
          {problem.errors.slice(0, 30).map((e, i) => (
            <li key={i}>{formatDocError(e)}</li>
          ))}
          {problem.errors.length > 30 && <li>… and {problem.errors.length - 30} more</li>}
        </ul>
        <div className="button-row">
          {held !== undefined && (
            <button type="button" onClick={() => download('unopened-graph.json', held.text)}>
              Download it
            </button>
          )}
          {paused && (
            <button
              type="button"
              className="ghost"
              onClick={() => {
                store.getState().resumeAutosave();
                store.getState().closeImportErrors();
              }}
              title="Autosave writes the graph on the canvas over the stored one"
            >
              Resume autosave
            </button>
          )}
          <button
            type="button"
            className={held === undefined ? undefined : 'ghost'}
            onClick={() => store.getState().closeImportErrors()}
          >
            Close
          </button>
        </div>
      </div>
    </div>
  );
}

const TOAST_MS = { info: 5000, error: 9000 };

export function Toasts() {
  const store = useEditorStore();
  const toasts = useEditor((s) => s.toasts);
  useEffect(() => {
    const timers = toasts.map((t) => setTimeout(() => store.getState().dismissToast(t.id), TOAST_MS[t.tone]));
    return () => timers.forEach(clearTimeout);
  }, [toasts, store]);
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.tone}`} role={t.tone === 'error' ? 'alert' : 'status'}>
          <span>{t.text}</span>
          <button
            type="button"
            className="ghost"
            aria-label="Dismiss"
            onClick={() => store.getState().dismissToast(t.id)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
