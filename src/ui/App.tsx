import { ReactFlowProvider } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect, useMemo } from 'react';
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

function Workspace() {
  const store = useEditorStore();
  const theme = useEditor((s) => s.theme);
  const { fitAll } = useFrameGraph();
  const context = useMemo(() => ({ store, fitView: () => void fitAll() }), [store, fitAll]);
  useShortcuts(context);
  useEffect(() => {
    document.documentElement.dataset['theme'] = theme;
  }, [theme]);
  return (
    <div className="app">
      <TopBar />
      <div className="workspace">
        <Palette />
        <main className="center">
          <Canvas />
          <SummaryPanel />
        </main>
        <Inspector />
      </div>
      <Toasts />
      <HelpOverlay />
      <ImportErrorsDialog />
      <TrainingEditGuard />
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
