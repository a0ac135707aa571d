import { Handle, Position } from '@xyflow/react';
import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { compactCount } from '../format';
import { useEditorStore } from '../editor-context';
import type { GroupFlowNode } from './flow-model';
import { useRemeasure } from './useRemeasure';

/**
 * A folded group: one card in place of its nodes, with the shape that enters and the shape that
 * leaves, its weights, and a button (or a double click) to unfold it.
 */
export const GroupCard = memo(function GroupCard({ id, data, selected }: NodeProps<GroupFlowNode>) {
  const store = useEditorStore();
  const { group, layers, inShape, outShape, params, problems, direction } = data;
  const down = direction === 'down';
  useRemeasure(id, direction);
  const unfold = () => store.getState().setGroupsCollapsed([group.id], false);
  return (
    <div
      className={`group-card${selected ? ' is-selected' : ''}${problems > 0 ? ' status-error' : ''}`}
      data-group={group.id}
      aria-label={`${group.label}, folded: ${layers} layers`}
      onDoubleClick={unfold}
    >
      <Handle type="target" position={down ? Position.Top : Position.Left} id="in" isConnectable={false} />
      <div className="group-head">
        <button
          type="button"
          className="group-toggle nodrag"
          onClick={(e) => {
            // Unfolding is not choosing: the card's nodes should not all end up selected.
            e.stopPropagation();
            unfold();
          }}
          aria-label={`Unfold ${group.label}`}
          title="Unfold: show the layers inside (double-click the card does the same)"
        >
          ▸
        </button>
        <span className="group-title">{group.label}</span>
        <span className="group-count">{layers} layers</span>
      </div>
      <div className="group-shapes" data-testid="group-shapes">
        <span className="shape-badge">{inShape ?? '…'}</span>
        <span className="group-arrow">→</span>
        <span className="shape-badge">{outShape ?? '…'}</span>
      </div>
      <div className="group-foot">
        {problems > 0 ? (
          <span className="group-problems" role="alert">
            {problems === 1 ? '1 layer has a problem' : `${problems} layers have problems`}
          </span>
        ) : (
          <span className="layer-weights">
            {params > 0 ? `${compactCount(params)} params` : 'no weights'}
          </span>
        )}
      </div>
      <Handle
        type="source"
        position={down ? Position.Bottom : Position.Right}
        id="out"
        isConnectable={false}
      />
    </div>
  );
});
