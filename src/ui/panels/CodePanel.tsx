import { Suspense, lazy, useMemo, useState } from 'react';
import { generateModule } from '../../codegen';
import { useFocusNode } from '../canvas/useFocusNode';
import { useAnalysis, useEditor, useEditorStore } from '../editor-context';

// Monaco is large: it loads only when the panel first opens, in its own chunk.
const CodePanelEditor = lazy(() => import('./CodePanelEditor'));

export const CODE_FILE_NAME = 'model.ts';

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/typescript' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The graph as TypeScript that builds the same tfjs model: read-only, linked both ways to the canvas. */
export default function CodePanel() {
  const store = useEditorStore();
  const doc = useEditor((s) => s.doc);
  const theme = useEditor((s) => s.theme);
  const selected = useEditor((s) => s.selectedNodes);
  const trainConfig = useEditor((s) => s.trainConfig);
  const analysis = useAnalysis();
  const focus = useFocusNode();
  const [withTraining, setWithTraining] = useState(false);
  // Positions do not change the code: regenerate only when what it prints changes.
  const labels = doc.nodes.map((n) => n.label ?? '').join('\u0000');
  const result = useMemo(
    () => generateModule(doc, withTraining ? { train: trainConfig } : {}, analysis),
    [analysis, doc.name, labels, withTraining, trainConfig],
  );

  return (
    <section className="code-panel" aria-label="Generated code">
      <header>
        <strong className="code-panel-title">{CODE_FILE_NAME}</strong>
        <span className="code-panel-note">TypeScript · TensorFlow.js</span>
        <label
          className="code-panel-option"
          title="Add train() with the optimizer, learning rate and schedule chosen for training"
        >
          <input type="checkbox" checked={withTraining} onChange={(e) => setWithTraining(e.target.checked)} />
          train()
        </label>
        <span className="code-panel-spacer" />
        <button
          type="button"
          disabled={!result.ok}
          onClick={() =>
            result.ok &&
            void navigator.clipboard.writeText(result.code).then(
              () => store.getState().notify('Copied the code.'),
              () =>
                store.getState().notify('The browser did not allow copying: use Download instead.', 'error'),
            )
          }
        >
          Copy
        </button>
        <button
          type="button"
          disabled={!result.ok}
          onClick={() => result.ok && download(CODE_FILE_NAME, result.code)}
        >
          Download
        </button>
        <button
          type="button"
          className="ghost"
          aria-label="Close the code"
          title="Close (C)"
          onClick={() => store.getState().setCodeOpen(false)}
        >
          ×
        </button>
      </header>
      {result.ok ? (
        <Suspense fallback={<div className="code-panel-message">Loading the editor…</div>}>
          <CodePanelEditor
            code={result.code}
            lineNodes={result.lineNodes}
            nodeLines={result.nodeLines}
            selected={selected}
            theme={theme}
            onPickNode={focus}
          />
        </Suspense>
      ) : (
        <div className="code-panel-message" data-testid="code-problems">
          <p>The graph cannot be built yet, so there is no code. Fix these first:</p>
          <ul className="error-list">
            {result.errors.slice(0, 8).map((e, i) => (
              <li key={i}>
                {e.nodeId !== undefined && (
                  <button type="button" className="ghost" onClick={() => focus(e.nodeId!)}>
                    {e.nodeId}
                  </button>
                )}{' '}
                {e.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
