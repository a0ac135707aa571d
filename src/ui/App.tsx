import { ReactFlowProvider } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { Suspense, lazy, useEffect, useMemo, useRef } from 'react';
import type { CSSProperties } from 'react';
import { PANEL_LIMITS, defaultPanels } from '../store/panels';
import type { EditorStore } from '../store/store';
import { Canvas } from './canvas/Canvas';
import { useFrameGraph } from './canvas/useFrameGraph';
import { EditorProvider, useEditor, useEditorStore } from './editor-context';
import { Splitter } from './layout/Splitter';
import { usePanelMemory } from './layout/usePanelMemory';
import { Inspector } from './panels/Inspector';
import { HelpOverlay, ImportErrorsDialog, Toasts } from './panels/Overlays';
import { Palette } from './panels/Palette';
import { SummaryPanel } from './panels/SummaryPanel';
import { TopBar } from './panels/TopBar';
import { TrainingEditGuard } from './panels/TrainingEditGuard';
import { useShortcuts } from './shortcuts';

// The code panel (code generation and the Monaco editor) loads when it first opens.
const CodePanel = lazy(() => import('./panels/CodePanel'));
// So does Look inside.
const LookInside = lazy(() => import('./inspect/LookInside'));
// The loss-landscape page (and three.js behind its 3-D view) loads when it first opens.
const SurfacePage = lazy(() => import('./surface/SurfacePage'));

/** The width of a folded side panel: a strip with the button that opens it again. */
const RAIL = 30;

function Rail(props: { side: 'left' | 'right'; label: string; name: string; onOpen(): void }) {
  const { side, label, name, onOpen } = props;
  return (
    <button
      type="button"
      className={`panel-rail rail-${side}`}
      onClick={onOpen}
      aria-label={`Show the ${name}`}
    >
      <span>{side === 'left' ? '›' : '‹'}</span>
      <span className="rail-label">{label}</span>
    </button>
  );
}

/** The code panel above the inspector, with a line between them that sets their shares. */
function SideStack() {
  const store = useEditorStore();
  const share = useEditor((s) => s.panels.codeShare);
  const stack = useRef<HTMLDivElement>(null);
  const [min, , max] = PANEL_LIMITS.codeShare;
  return (
    <div className="side-stack" ref={stack} style={{ '--code-share': share } as CSSProperties}>
      <Suspense fallback={<section className="code-panel" aria-label="Generated code" />}>
        <CodePanel />
      </Suspense>
      <Splitter
        orientation="horizontal"
        label="Code and inspector"
        value={share}
        min={min}
        max={max}
        grows={1}
        scale={stack.current?.clientHeight ?? 600}
        onChange={(codeShare) => store.getState().setPanels({ codeShare })}
        onReset={() => store.getState().setPanels({ codeShare: defaultPanels.codeShare })}
      />
      <Inspector />
    </div>
  );
}

function Workspace() {
  const store = useEditorStore();
  const theme = useEditor((s) => s.theme);
  const codeOpen = useEditor((s) => s.codeOpen);
  const inspecting = useEditor((s) => s.inspectOpen && !s.codeOpen);
  const surfaceOpen = useEditor((s) => s.surfaceOpen);
  const panels = useEditor((s) => s.panels);
  const { fitAll } = useFrameGraph();
  const context = useMemo(() => ({ store, fitView: () => void fitAll() }), [store, fitAll]);
  useShortcuts(context);
  usePanelMemory(store);
  useEffect(() => {
    document.documentElement.dataset['theme'] = theme;
  }, [theme]);
  const setPanels = store.getState().setPanels;
  const left = panels.paletteOpen ? panels.paletteWidth : RAIL;
  // Look inside shares the wide column with the code panel.
  const sideKey = codeOpen || inspecting ? 'codeWidth' : 'sideWidth';
  const right = panels.sideOpen ? panels[sideKey] : RAIL;
  return (
    <div className="app">
      <TopBar />
      <div className="workspace" style={{ gridTemplateColumns: `${left}px minmax(0, 1fr) ${right}px` }}>
        {panels.paletteOpen ? (
          <div className="panel-column">
            <Palette onFold={() => setPanels({ paletteOpen: false })} />
            <Splitter
              orientation="vertical"
              label="Palette width"
              value={panels.paletteWidth}
              min={PANEL_LIMITS.paletteWidth[0]}
              max={PANEL_LIMITS.paletteWidth[2]}
              grows={1}
              style={{ left: panels.paletteWidth - 3 }}
              onChange={(paletteWidth) => setPanels({ paletteWidth })}
              onReset={() => setPanels({ paletteWidth: defaultPanels.paletteWidth })}
            />
          </div>
        ) : (
          <Rail side="left" label="Layers" name="palette" onOpen={() => setPanels({ paletteOpen: true })} />
        )}
        <main className="center">
          <Canvas />
          <SummaryPanel />
          {/* Notes appear over the summary, not over the nodes they are about. */}
          <Toasts />
        </main>
        {panels.sideOpen ? (
          <div className="panel-column side-column">
            <Splitter
              orientation="vertical"
              label={codeOpen ? 'Code panel width' : inspecting ? 'Look inside width' : 'Inspector width'}
              value={panels[sideKey]}
              min={PANEL_LIMITS[sideKey][0]}
              max={PANEL_LIMITS[sideKey][2]}
              grows={-1}
              style={{ left: -3 }}
              onChange={(width) => setPanels({ [sideKey]: width })}
              onReset={() => setPanels({ [sideKey]: defaultPanels[sideKey] })}
            />
            <button
              type="button"
              className="panel-fold fold-right"
              onClick={() => setPanels({ sideOpen: false })}
              aria-label="Hide the side panel"
              title="Hide this panel (more room for the canvas)"
            >
              ›
            </button>
            {codeOpen ? (
              <SideStack />
            ) : inspecting ? (
              <Suspense fallback={<div className="side-stack" />}>
                <LookInside />
              </Suspense>
            ) : (
              <Inspector />
            )}
          </div>
        ) : (
          <Rail
            side="right"
            name="side panel"
            label={codeOpen ? 'Code and inspector' : inspecting ? 'Look inside' : 'Training and inspector'}
            onOpen={() => setPanels({ sideOpen: true })}
          />
        )}
      </div>
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
