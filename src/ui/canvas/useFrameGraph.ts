import { getNodesBounds, useReactFlow } from '@xyflow/react';
import { useCallback } from 'react';

/** Below this zoom node text is unreadable; a graph that needs less is shown from its top instead. */
export const READABLE_ZOOM = 0.55;
const TOP_MARGIN = 24;

/**
 * Frames the graph: all of it when it fits at a readable zoom, otherwise its beginning (the input),
 * centred horizontally, where a reader starts.
 */
export function useFrameGraph(): () => Promise<void> {
  const flow = useReactFlow();
  return useCallback(async () => {
    const nodes = flow.getNodes();
    if (nodes.length === 0) return;
    await flow.fitView({ padding: 0.15, maxZoom: 1.2, minZoom: READABLE_ZOOM });
    const zoom = flow.getZoom();
    if (zoom > READABLE_ZOOM + 1e-6) return;
    const bounds = getNodesBounds(nodes);
    await flow.setViewport({ x: flow.getViewport().x, y: TOP_MARGIN - bounds.y * zoom, zoom });
  }, [flow]);
}
