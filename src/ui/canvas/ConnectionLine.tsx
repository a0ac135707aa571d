import { getBezierPath } from '@xyflow/react';
import type { ConnectionLineComponentProps } from '@xyflow/react';
import type { Link } from '../../core/edit';
import type { LinkCheck } from '../../core/connect';
import { useEditorStore } from '../editor-context';

/** The link being dragged, as source -> target whichever end the drag started from. */
export function draggedLink(
  from: { nodeId: string; handleId: string | null; type: 'source' | 'target' },
  to: { nodeId: string; handleId: string | null },
): Link {
  return from.type === 'source'
    ? { source: from.nodeId, target: to.nodeId, targetHandle: to.handleId ?? 'in0' }
    : { source: to.nodeId, target: from.nodeId, targetHandle: from.handleId ?? 'in0' };
}

function hint(check: LinkCheck): { text: string; ok: boolean } | null {
  if (!check.ok) return { text: check.reason, ok: false };
  if (check.replaces) return { text: `Replaces the link from "${check.replaces.source}".`, ok: true };
  return null;
}

/** Draws the dragged link and, over a handle, says whether it fits and why not. */
export function ConnectionLine({
  fromX,
  fromY,
  toX,
  toY,
  fromPosition,
  toPosition,
  fromNode,
  fromHandle,
  toNode,
  toHandle,
}: ConnectionLineComponentProps) {
  const store = useEditorStore();
  const [path] = getBezierPath({
    sourceX: fromX,
    sourceY: fromY,
    sourcePosition: fromPosition,
    targetX: toX,
    targetY: toY,
    targetPosition: toPosition,
  });
  const message =
    toNode && toHandle
      ? hint(
          store
            .getState()
            .checkLink(
              draggedLink(
                { nodeId: fromNode.id, handleId: fromHandle.id ?? null, type: fromHandle.type },
                { nodeId: toNode.id, handleId: toHandle.id ?? null },
              ),
            ),
        )
      : null;
  return (
    <g className={`connection-line${message && !message.ok ? ' is-invalid' : ''}`}>
      <path d={path} fill="none" />
      {message && (
        <foreignObject x={toX + 14} y={toY + 10} width={280} height={140} style={{ overflow: 'visible' }}>
          <div
            className={`connection-hint${message.ok ? '' : ' is-invalid'}`}
            role="status"
            data-testid="connection-hint"
          >
            {message.text}
          </div>
        </foreignObject>
      )}
    </g>
  );
}
