import { BaseEdge, EdgeLabelRenderer, getBezierPath } from '@xyflow/react';
import type { EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import { LAYER_GAP } from '../../core/layout';
import type { ShapeEdgeData, ShapeFlowEdge } from './flow-model';

interface Ends {
  readonly sourceX: number;
  readonly sourceY: number;
  readonly targetX: number;
  readonly targetY: number;
}

/**
 * A link that runs along a lane beside the nodes it skips: it turns out of its source within the
 * gap below it, runs straight, and turns into its target within the gap above that. Returns the
 * path and where its label goes.
 */
export function lanePath(
  e: Ends,
  lane: number,
  direction: ShapeEdgeData['direction'],
): [string, number, number] {
  // Work in flow terms (a along the flow, c across it), then write the path in x, y.
  const down = direction === 'down';
  const sa = down ? e.sourceY : e.sourceX;
  const sc = down ? e.sourceX : e.sourceY;
  const ta = down ? e.targetY : e.targetX;
  const tc = down ? e.targetX : e.targetY;
  const turn = Math.max(4, Math.min(LAYER_GAP, (ta - sa) / 3));
  const pt = (a: number, c: number) => (down ? `${c},${a}` : `${a},${c}`);
  const path = [
    `M${pt(sa, sc)}`,
    `C${pt(sa + turn / 2, sc)} ${pt(sa + turn / 2, lane)} ${pt(sa + turn, lane)}`,
    `L${pt(ta - turn, lane)}`,
    `C${pt(ta - turn / 2, lane)} ${pt(ta - turn / 2, tc)} ${pt(ta, tc)}`,
  ].join(' ');
  const mid = (sa + ta) / 2;
  return [path, down ? lane : mid, down ? mid : lane];
}

/** A link labelled with the shape of the tensor it carries; a skip link runs in its own lane. */
export const ShapeEdge = memo(function ShapeEdge(props: EdgeProps<ShapeFlowEdge>) {
  const data = props.data;
  const lane = data?.lane ?? null;
  const [path, labelX, labelY] =
    lane === null ? getBezierPath(props) : lanePath(props, lane, data?.direction ?? 'down');
  const shape = data?.shape ?? null;
  return (
    <>
      <BaseEdge
        id={props.id}
        path={path}
        className={lane === null ? undefined : 'is-skip'}
        {...(props.markerEnd ? { markerEnd: props.markerEnd } : {})}
      />
      {shape !== null && (
        <EdgeLabelRenderer>
          <div
            className={`edge-label${props.selected ? ' is-selected' : ''}${lane === null ? '' : ' is-skip'}`}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          >
            {shape}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
});
