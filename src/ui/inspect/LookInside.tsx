import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { getNodeDef } from '../../../nodes';
import { modelKey } from '../../core/structure';
import { isBusy } from '../../store/lifecycle';
import { Inspector } from '../panels/Inspector';
import { matrixSettingsOf } from '../../store/inspect-slice';
import { useEditor, useEditorStore } from '../editor-context';
import { BordersView } from './BordersView';
import { ConvArithmetic } from './ConvArithmetic';
import { ConvMatrixView } from './ConvMatrixView';
import { HeatmapView } from './HeatmapView';
import { HandKernels, KernelGallery } from './KernelsView';
import { NodeOutput } from './NodeOutput';
import { SampleStrip } from './SampleStrip';
import './inspect.css';

/** Keeps what is shown in step with the graph, the selection and the worker. */
function useInspectionSync(): void {
  const store = useEditorStore();
  const key = useEditor((s) => modelKey(s.doc));
  const selected = useEditor((s) => (s.selectedNodes.length === 1 ? s.selectedNodes[0]! : null));
  useEffect(() => {
    // Edits come in bursts (typing a number): look again once they settle.
    const timer = setTimeout(() => store.getState().lookAgain(), 250);
    return () => clearTimeout(timer);
  }, [store, key]);
  useEffect(() => store.getState().inspectNodeOf(selected), [store, selected]);
}

function Section({
  title,
  children,
  open = true,
  id,
}: {
  title: string;
  children: ReactNode;
  open?: boolean;
  id: string;
}) {
  return (
    <details className="inspect-section" open={open} data-section={id}>
      <summary>{title}</summary>
      {children}
    </details>
  );
}

/** Train from here: the network's weights are random until it is trained. */
function TrainStrip() {
  const store = useEditorStore();
  const training = useEditor((s) => s.training);
  const epochs = useEditor((s) => s.trainConfig.epochs);
  if (isBusy(training)) {
    const p = 'progress' in training ? training.progress : undefined;
    return (
      <div className="train-strip">
        <span>
          Training
          {p
            ? `: epoch ${Math.min(p.epochs, Math.floor(p.done / p.batchesPerEpoch) + 1)} of ${p.epochs}`
            : '…'}
          ; the thumbnails follow.
        </span>
        <button type="button" onClick={() => store.getState().stopTraining()}>
          Stop
        </button>
      </div>
    );
  }
  return (
    <div className="train-strip">
      <span>
        These weights are random, so the maps show random features: the network has learned nothing yet.
      </span>
      <button type="button" className="primary" onClick={() => store.getState().startTraining()}>
        Train {epochs} epoch{epochs === 1 ? '' : 's'}
      </button>
    </div>
  );
}

/** The Look inside panel: one image through the network, node by node. */
function LookInside() {
  const overview = useEditor((s) => s.overview);
  const problem = useEditor((s) => s.inspectProblem);
  const busy = useEditor((s) => isBusy(s.training));
  const nodeId = useEditor((s) => s.inspectNode);
  const node = useEditor((s) => s.doc.nodes.find((n) => n.id === nodeId));
  const conv = node !== undefined && (node.kind === 'conv' || node.kind === 'stride2');
  const picked = useEditor((s) =>
    s.inspectView.explain?.nodeId === nodeId ? s.inspectView.explain.channel : null,
  );
  const channelStart = useEditor((s) => s.channelStart);
  return (
    <div className="look-body">
      {(overview?.weights === 'random' || busy) && <TrainStrip />}
      {problem && (
        <p className="inspect-problem" role="alert">
          {problem}
        </p>
      )}
      <SampleStrip />
      {overview && node === undefined && (
        <p className="muted">
          Select a node on the canvas to see what it computes for this image. Each node’s thumbnail shows its
          most varied channel.
        </p>
      )}
      {overview && node !== undefined && (
        <>
          <Section
            id="output"
            title={`Output of ${node.label ?? getNodeDef(node.kind)?.label ?? node.kind} “${node.id}”`}
          >
            <NodeOutput nodeId={node.id} />
          </Section>
          {conv && (
            <>
              <Section id="arithmetic" title="One value, step by step">
                <ConvArithmetic />
              </Section>
              {node.params['padding'] !== 'valid' && (
                <Section id="borders" title="Zeros or reflection at the border" open={false}>
                  <BordersView nodeId={node.id} channel={picked ?? channelStart} />
                </Section>
              )}
              <Section id="kernels" title="Kernels">
                <KernelGallery />
              </Section>
              <Section id="hand" title="Kernels by hand" open={false}>
                <HandKernels nodeId={node.id} />
              </Section>
              <Section id="matrix" title="As a matrix multiply" open={false}>
                <ConvMatrixView nodeId={node.id} defaults={matrixSettingsOf(node.params, node.kind)} />
              </Section>
            </>
          )}
        </>
      )}
      {overview && (
        <Section id="heatmaps" title="Which part of the image made it say that?">
          <HeatmapView />
        </Section>
      )}
    </div>
  );
}

/**
 * The side column while looking inside: the Look inside panel, and (one click away) the inspector
 * with the node's settings and training.
 */
export default function LookInsideColumn() {
  const store = useEditorStore();
  useInspectionSync();
  const [tab, setTab] = useState<'look' | 'settings'>('look');
  const overview = useEditor((s) => s.overview);
  const thumbnails = useEditor((s) => s.canvasThumbnails);
  const nodes = useEditor((s) => s.doc.nodes.length);
  const busy = useEditor((s) => isBusy(s.training));
  return (
    <div className="side-stack look-column">
      <header className="look-head">
        <div className="look-tabs" role="tablist">
          <button type="button" role="tab" aria-selected={tab === 'look'} onClick={() => setTab('look')}>
            Look inside
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={tab === 'settings'}
            onClick={() => setTab('settings')}
          >
            Settings
          </button>
        </div>
        {overview && (
          <span
            className={`weights-badge is-${busy ? 'training' : overview.weights}`}
            data-testid="weights-badge"
          >
            {busy ? 'training' : overview.weights === 'random' ? 'random weights' : 'trained'}
          </span>
        )}
        <span className="spacer" />
        <label
          className="check small"
          title={`Thumbnails beside the nodes${nodes > 80 ? ': many nodes, turn off if the canvas feels slow' : ''}`}
        >
          <input
            type="checkbox"
            checked={thumbnails}
            onChange={(e) => store.getState().setCanvasThumbnails(e.target.checked)}
          />
          thumbnails
        </label>
        <button
          type="button"
          className="ghost"
          aria-label="Close Look inside"
          onClick={() => store.getState().setInspectOpen(false)}
        >
          ×
        </button>
      </header>
      <section className="look-inside" aria-label="Look inside" hidden={tab !== 'look'}>
        <LookInside />
      </section>
      {tab === 'settings' && <Inspector />}
    </div>
  );
}
