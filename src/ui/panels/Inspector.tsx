import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { getNodeDef } from '../../../nodes';
import { formatShape } from '../../../nodes/shape';
import type { GraphNode } from '../../core/document';
import { countedTotals, formatBytes, formatCount, formatMagnitude } from '../../core/summary';
import { useAnalysis, useEditor, useEditorStore } from '../editor-context';
import { categoryColor } from '../theme';
import { ParamField } from './ParamField';
import { TrainingPanel } from './training/TrainingPanel';

/** A text field that commits on blur or Enter (one undo step per rename, not per key). */
function CommitInput({
  value,
  placeholder,
  label,
  onCommit,
}: {
  value: string;
  placeholder?: string;
  label: string;
  onCommit(v: string): void;
}) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  return (
    <input
      type="text"
      aria-label={label}
      value={text}
      placeholder={placeholder}
      maxLength={200}
      onChange={(e) => setText(e.target.value)}
      onBlur={() => onCommit(text)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') onCommit(text);
        if (e.key === 'Escape') setText(value);
      }}
    />
  );
}

function NodeInspector({ node }: { node: GraphNode }) {
  const store = useEditorStore();
  const analysis = useAnalysis();
  const def = getNodeDef(node.kind);
  const result = analysis.nodes.get(node.id);
  if (def === undefined || result === undefined) return null;
  return (
    <div className="inspector-body">
      <div className="inspector-kind" style={{ borderColor: categoryColor[def.category] }}>
        <span style={{ color: categoryColor[def.category] }}>{def.category}</span>
        <h2>{def.label}</h2>
      </div>
      <div className="field">
        <label>Name</label>
        <CommitInput
          label="Node name"
          value={node.label ?? ''}
          placeholder={node.id}
          onCommit={(v) => store.getState().setLabel(node.id, v)}
        />
        <small className="field-help">id {node.id}</small>
      </div>
      {result.status === 'ok' ? (
        <dl className="node-facts">
          <dt>output</dt>
          <dd data-testid="inspector-shape">{formatShape(result.shape)}</dd>
          <dt>params</dt>
          <dd>
            {formatCount(result.stats.trainable)}
            {result.stats.nonTrainable > 0 && ` + ${formatCount(result.stats.nonTrainable)} fixed`}
          </dd>
          <dt>FLOPs</dt>
          <dd>{formatMagnitude(result.stats.flops)}</dd>
          <dt>memory</dt>
          <dd>{formatBytes(result.activationBytes)} per image</dd>
        </dl>
      ) : (
        <p className={`node-problem status-${result.status}`} role="alert">
          {result.message}
        </p>
      )}
      <p className="inspector-doc">{def.doc}</p>
      {Object.entries(def.params).map(([key, spec]) => (
        <ParamField
          key={`${node.id}:${key}`}
          name={key}
          spec={spec}
          value={node.params[key]!}
          onChange={(v) => store.getState().updateParams(node.id, { [key]: v })}
        />
      ))}
    </div>
  );
}

function GraphInspector() {
  const store = useEditorStore();
  const name = useEditor((s) => s.doc.name);
  const count = useEditor((s) => s.doc.nodes.length);
  const analysis = useAnalysis();
  const errors = [...analysis.nodes].filter(([, r]) => r.status === 'error');
  const { totals, uncounted } = countedTotals(analysis);
  return (
    <div className="inspector-body">
      <div className="field">
        <label>Graph name</label>
        <CommitInput label="Graph name" value={name} onCommit={(v) => store.getState().renameGraph(v)} />
      </div>
      <dl className="node-facts">
        <dt>nodes</dt>
        <dd>{count}</dd>
        <dt>params</dt>
        <dd>
          {formatCount(totals.params)}
          {uncounted > 0 && <span className="muted"> (partial)</span>}
        </dd>
        <dt>status</dt>
        <dd className={analysis.valid ? 'is-ok' : 'is-bad'} data-testid="graph-status">
          {analysis.valid ? 'valid: ready to train' : 'needs fixing'}
        </dd>
      </dl>
      {(analysis.issues.length > 0 || errors.length > 0) && (
        <ul className="issue-list">
          {analysis.issues.map((i) => (
            <li key={i.message} className={`issue-${i.severity}`}>
              <button type="button" onClick={() => store.getState().select([...i.nodeIds])}>
                {i.message}
              </button>
            </li>
          ))}
          {errors.map(([id, r]) => (
            <li key={id} className="issue-error">
              <button type="button" onClick={() => store.getState().select([id])}>
                <strong>{id}</strong>: {r.status === 'error' ? r.message : ''}
              </button>
            </li>
          ))}
        </ul>
      )}
      <p className="inspector-doc">
        Select a node to see what it does and change its settings. Drag from a node’s bottom dot to another
        node’s top dot to link them; every shape updates as you edit.
      </p>
    </div>
  );
}

/** The right-hand panel: the selected node's explanation and settings, or the graph's overview. */
export function Inspector() {
  const store = useEditorStore();
  const nodes = useEditor(
    useShallow((s) =>
      s.selectedNodes.map((id) => s.doc.nodes.find((n) => n.id === id)).filter((n) => n !== undefined),
    ),
  );
  return (
    <aside className="inspector" aria-label="Inspector">
      <TrainingPanel />
      {nodes.length === 1 ? (
        <NodeInspector node={nodes[0]!} />
      ) : nodes.length > 1 ? (
        <div className="inspector-body">
          <h2>{nodes.length} nodes selected</h2>
          <div className="button-row">
            <button type="button" onClick={() => store.getState().duplicateSelection()}>
              Duplicate
            </button>
            <button type="button" onClick={() => store.getState().deleteSelection()}>
              Delete
            </button>
          </div>
        </div>
      ) : (
        <GraphInspector />
      )}
    </aside>
  );
}
