import { Handle, Position } from '@xyflow/react';
import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { CSSProperties } from 'react';
import { getNodeDef } from '../../../nodes';
import { formatShape } from '../../../nodes/shape';
import { compactCount } from '../format';
import { categoryColor } from '../theme';
import type { LayerFlowNode } from './flow-model';
import { useRemeasure } from './useRemeasure';

/** The one node component every kind uses: title, key params, output shape, weights, errors. */
export const LayerNode = memo(function LayerNode({ id, data, selected }: NodeProps<LayerFlowNode>) {
  const { node, result, inputSlots, spareFrom, direction } = data;
  const def = getNodeDef(node.kind);
  // Handles move when a merge node grows a slot and when the flow turns.
  useRemeasure(id, inputSlots);
  useRemeasure(id, direction);
  if (def === undefined) return <div className="layer-node status-error">Unknown kind {node.kind}</div>;

  const down = direction === 'down';
  const detail = def.short(node.params);
  const weights = result.status === 'ok' ? result.stats.trainable + result.stats.nonTrainable : 0;
  const style = { '--cat': categoryColor[def.category] } as CSSProperties;
  return (
    <div
      className={`layer-node status-${result.status}${selected ? ' is-selected' : ''}`}
      style={style}
      data-kind={node.kind}
      aria-label={`${node.label ?? def.label} ${id}`}
    >
      {Array.from({ length: inputSlots }, (_, i) => {
        const spare = i >= spareFrom;
        const at = `${((i + 1) / (inputSlots + 1)) * 100}%`;
        return (
          <Handle
            key={i}
            type="target"
            position={down ? Position.Top : Position.Left}
            id={`in${i}`}
            className={spare ? 'is-spare' : undefined}
            style={down ? { left: at } : { top: at }}
            title={
              spare ? `Drop a link here to add input ${i + 1}` : inputSlots > 1 ? `input ${i + 1}` : 'input'
            }
          />
        );
      })}
      <div className="layer-head">
        <span className="layer-title">{node.label ?? def.label}</span>
        <span className="layer-id">{id}</span>
      </div>
      {detail && <div className="layer-detail">{detail}</div>}
      <div className="layer-foot">
        <span className="shape-badge" data-testid="shape">
          {result.status === 'ok' ? formatShape(result.shape) : result.status === 'error' ? 'error' : '…'}
        </span>
        {weights > 0 && <span className="layer-weights">{compactCount(weights)} params</span>}
      </div>
      {result.status === 'error' && (
        <div className="layer-error" role="alert">
          {result.message}
        </div>
      )}
      {def.kind !== 'output' && (
        <Handle type="source" position={down ? Position.Bottom : Position.Right} id="out" title="output" />
      )}
    </div>
  );
});
