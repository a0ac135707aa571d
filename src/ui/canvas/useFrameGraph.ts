import { getNodesBounds, getViewportForBounds, useReactFlow, useStoreApi } from '@xyflow/react';
import { useCallback } from 'react';

/** Below this zoom node text is unreadable; a graph that needs less is shown from its top instead. */
export const READABLE_ZOOM = 0.55;
const MAX_ZOOM = 1.2;
const PADDING = 0.12;
const TOP_MARGIN = 24;

/**
 * Viewport helpers that work from every node's size, rendered or not (React Flow's own fitView
 * counts only nodes already measured, and off-screen nodes are not rendered).
 */
export function useFrameGraph(): { frame(): Promise<void>; fitAll(): Promise<void> } {
  const flow = useReactFlow();
  const api = useStoreApi();

  const view = useCallback(
    (minZoom: number) => {
      const nodes = flow.getNodes();
      if (nodes.length === 0) return null;
      const { width, height } = api.getState();
      const bounds = getNodesBounds(nodes);
      return { bounds, viewport: getViewportForBounds(bounds, width, height, minZoom, MAX_ZOOM, PADDING) };
    },
    [flow, api],
  );

  /** All of the graph when it fits at a readable zoom, otherwise its top (the input), centred. */
  const frame = useCallback(async () => {
    const v = view(READABLE_ZOOM);
    if (v === null) return;
    const { bounds, viewport } = v;
    const { height } = api.getState();
    const fits = bounds.height * viewport.zoom <= height * (1 - PADDING);
    await flow.setViewport(fits ? viewport : { ...viewport, y: TOP_MARGIN - bounds.y * viewport.zoom });
  }, [view, api, flow]);

  /** All of the graph, however small that makes it. */
  const fitAll = useCallback(async () => {
    const v = view(0.02);
    if (v !== null) await flow.setViewport(v.viewport, { duration: 300 });
  }, [view, flow]);

  return { frame, fitAll };
}
