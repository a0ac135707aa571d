import { ReactFlowProvider } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { Suspense, lazy, useEffect, useMemo } from 'react';
import type { EditorStore } from '../store/store';
import { Canvas } from './canvas/Canvas';
import { useFrameGraph } from './canvas/useFrameGraph';
import { EditorProvider, useEditor, useEditorStore } from './editor-context';
import { Inspector } from './panels/Inspector';
import { HelpOverlay, ImportErrorsDialog, Toasts } from './panels/Overlays';
import { Palette } from './panels/Palette';
import { SummaryPanel } from './panels/SummaryPanel';
import { TopBar } from './panels/TopBar';
import { TrainingEditGuard } from './panels/TrainingEditGuard';
import { useShortcuts } from './shortcuts';

// The code panel (code generation and the Monaco editor) loads when it first opens.
const CodePanel = lazy(() => import('./panels/CodePanel'));
// The loss-landscape page (and three.js behind its 3-D view) loads when it first opens.
const SurfacePage = lazy(() => import('./surface/SurfacePage'));

function Workspace() {
  const store = useEditorStore();
  const theme = useEditor((s) => s.theme);
  const codeOpen = useEditor((s) => s.codeOpen);
  const surfaceOpen = useEditor((s) => s.surfaceOpen);
  const { fitAll } = useFrameGraph();
  const context = useMemo(() => ({ store, fitView: () => void fitAll() }), [store, fitAll]);
  useShortcuts(context);
  useEffect(() => {
    document.documentElement.dataset['theme'] = theme;
  }, [theme]);
  return (
    <div className="app">
      <TopBar />
      <div className={`workspace${codeOpen ? ' with-code' : ''}`}>
        <Palette />
        <main className="center">
          <Canvas />
          <SummaryPanel />
        </main>
        {codeOpen ? (
          <div className="side-stack">
            <Suspense fallback={<section className="code-panel" aria-label="Generated code" />}>
              <CodePanel />
            </Suspense>
            <Inspector />
          </div>
        ) : (
          <Inspector />
        )}
      </div>
      <Toasts />
      <HelpOverlay />
      <ImportErrorsDialog />
      <TrainingEditGuard />
      {surfaceOpen && (
        <Suspense fallback={null}>
          <SurfacePage />
        </Suspense>
      )}
    </div>
  );
}

export function App({ store }: { store: EditorStore }) {
  return (
    <EditorProvider store={store}>
      <ReactFlowProvider>
        <Workspace />
      </ReactFlowProvider>
    </EditorProvider>
  );
}
