import { Suspense, lazy, useMemo, useState } from 'react';
import { generateModule } from '../../codegen';
import { generatePytorch } from '../../codegen/pytorch';
import { codeOptions } from '../../store/data-slice';
import type { AnalysisError } from '../../core/analyze';
import { useFocusNode } from '../canvas/useFocusNode';
import { download, downloadZip, safeName } from '../download';
import { useAnalysis, useEditor, useEditorStore } from '../editor-context';
import type { EditorLanguage } from './CodePanelEditor';

// Monaco is large: it loads only when the panel first opens, in its own chunk.
const CodePanelEditor = lazy(() => import('./CodePanelEditor'));

export const CODE_FILE_NAME = 'model.ts';

type Language = 'typescript' | 'pytorch';

interface ShownFile {
  readonly name: string;
  readonly code: string;
  readonly lineNodes: readonly (string | null)[];
}

type Generated =
  | { readonly ok: true; readonly files: readonly ShownFile[] }
  | { readonly ok: false; readonly errors: readonly AnalysisError[] };

const editorLanguage = (file: string): EditorLanguage =>
  file.endsWith('.ts') ? 'typescript' : file.endsWith('.py') ? 'python' : 'plaintext';

/**
 * The graph as code that builds the same model: TypeScript for TensorFlow.js, or PyTorch (model.py,
 * train.py and a README). Read-only, and the model's lines are linked both ways to the canvas.
 */
export default function CodePanel() {
  const store = useEditorStore();
  const doc = useEditor((s) => s.doc);
  const theme = useEditor((s) => s.theme);
  const selected = useEditor((s) => s.selectedNodes);
  const trainConfig = useEditor((s) => s.trainConfig);
  const augment = useEditor((s) => s.augment);
  const fit = useEditor((s) => s.storedConfig.fit);
  const analysis = useAnalysis();
  const focus = useFocusNode();
  const [language, setLanguage] = useState<Language>('typescript');
  const [withTraining, setWithTraining] = useState(false);
  const [pythonFile, setPythonFile] = useState('model.py');
  // Positions do not change the code: regenerate only when what it prints changes.
  const labels = doc.nodes.map((n) => n.label ?? '').join('\u0000');
  const result = useMemo((): Generated => {
    const options = codeOptions({ trainConfig, augment, storedConfig: { fit, validationShare: 0 } });
    if (language === 'pytorch') return generatePytorch(doc, options, analysis);
    const module = generateModule(
      doc,
      withTraining ? { train: options.train, augment: options.augment } : {},
      analysis,
    );
    return module.ok ? { ok: true, files: [{ ...module, name: CODE_FILE_NAME }] } : module;
  }, [analysis, doc.name, labels, language, withTraining, trainConfig, augment, fit]);
  const file = result.ok ? (result.files.find((f) => f.name === pythonFile) ?? result.files[0]) : undefined;
  const folder = `${safeName(doc.name, 'model')}-pytorch`;

  return (
    <section className="code-panel" aria-label="Generated code">
      <header>
        <div className="segmented" role="group" aria-label="Language">
          {(['typescript', 'pytorch'] as const).map((l) => (
            <button
              key={l}
              type="button"
              aria-pressed={language === l}
              title={
                l === 'typescript'
                  ? 'TensorFlow.js, in TypeScript'
                  : 'PyTorch: the model, a training script for one GPU or many, a README'
              }
              onClick={() => setLanguage(l)}
            >
              {l === 'typescript' ? 'TypeScript' : 'PyTorch'}
            </button>
          ))}
        </div>
        <span className="code-panel-spacer" />
        <button
          type="button"
          disabled={file === undefined}
          title={file === undefined ? undefined : `Copy ${file.name}`}
          onClick={() =>
            file !== undefined &&
            void navigator.clipboard.writeText(file.code).then(
              () => store.getState().notify(`Copied ${file.name}.`),
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
          title={language === 'pytorch' ? `${folder}.zip: model.py, train.py and README.md` : CODE_FILE_NAME}
          onClick={() => {
            if (!result.ok) return;
            if (language === 'typescript') download(CODE_FILE_NAME, result.files[0]!.code, 'text/typescript');
            else
              downloadZip(
                `${folder}.zip`,
                result.files.map((f) => ({ path: `${folder}/${f.name}`, text: f.code })),
              );
          }}
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
      <div className="code-panel-files">
        {language === 'typescript' ? (
          <>
            <strong className="code-panel-title">{CODE_FILE_NAME}</strong>
            <label
              className="code-panel-option"
              title="Add train() with the optimizer, learning rate and schedule chosen for training"
            >
              <input
                type="checkbox"
                checked={withTraining}
                onChange={(e) => setWithTraining(e.target.checked)}
              />
              train()
            </label>
          </>
        ) : (
          <div role="tablist" aria-label="Files">
            {(result.ok ? result.files : []).map((f) => (
              <button
                key={f.name}
                type="button"
                role="tab"
                aria-selected={f.name === file?.name}
                className="ghost"
                onClick={() => setPythonFile(f.name)}
              >
                {f.name}
              </button>
            ))}
          </div>
        )}
      </div>
      {file !== undefined ? (
        <Suspense fallback={<div className="code-panel-message">Loading the editor…</div>}>
          <CodePanelEditor
            file={`${language}/${file.name}`}
            code={file.code}
            language={editorLanguage(file.name)}
            lineNodes={file.lineNodes}
            selected={selected}
            theme={theme}
            onPickNode={focus}
          />
        </Suspense>
      ) : (
        <div className="code-panel-message" data-testid="code-problems">
          <p>The graph cannot be built yet, so there is no code. Fix these first:</p>
          <ul className="error-list">
            {(result.ok ? [] : result.errors).slice(0, 8).map((e, i) => (
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
