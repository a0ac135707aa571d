import { getNodesBounds, getViewportForBounds, useReactFlow, useStoreApi } from '@xyflow/react';
import { useCallback } from 'react';
import { useEditorStore } from '../editor-context';

/** Below this zoom node text is unreadable; a graph that needs less is shown from its top instead. */
export const READABLE_ZOOM = 0.8;
const MAX_ZOOM = 1.1;
const PADDING = 0.12;
// Below the tools along the canvas's top edge.
const TOP_MARGIN = 56;
const LEFT_MARGIN = 40;

/**
 * Viewport helpers that work from every node's size, rendered or not (React Flow's own fitView
 * counts only nodes already measured, and off-screen nodes are not rendered).
 */
export function useFrameGraph(): { frame(): Promise<void>; fitAll(): Promise<void> } {
  const flow = useReactFlow();
  const api = useStoreApi();
  const store = useEditorStore();

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

  /**
   * All of the graph when it fits at a readable zoom, otherwise its start (the input): the top of a
   * graph drawn downwards, the left of one drawn rightwards.
   */
  const frame = useCallback(async () => {
    const v = view(READABLE_ZOOM);
    if (v === null) return;
    const { bounds, viewport } = v;
    const { width, height } = api.getState();
    const down = (store.getState().doc.direction ?? 'down') === 'down';
    const fits = down
      ? bounds.height * viewport.zoom <= height * (1 - PADDING)
      : bounds.width * viewport.zoom <= width * (1 - PADDING);
    if (fits) await flow.setViewport(viewport);
    else if (down) await flow.setViewport({ ...viewport, y: TOP_MARGIN - bounds.y * viewport.zoom });
    else await flow.setViewport({ ...viewport, x: LEFT_MARGIN - bounds.x * viewport.zoom });
  }, [view, api, flow, store]);

  /** All of the graph, however small that makes it. */
  const fitAll = useCallback(async () => {
    const v = view(0.02);
    if (v !== null) await flow.setViewport(v.viewport, { duration: 300 });
  }, [view, flow]);

  return { frame, fitAll };
}
