import { useReactFlow } from '@xyflow/react';
import { useCallback } from 'react';
import { foldView } from '../../core/fold';
import { NODE_HEIGHT, NODE_WIDTH } from '../../core/layout';
import { useEditorStore } from '../editor-context';
import { READABLE_ZOOM } from './useFrameGraph';

/** Selects a node, unfolding any group that hides it, and brings it to the middle of the canvas. */
export function useFocusNode(): (id: string) => void {
  const store = useEditorStore();
  const flow = useReactFlow();
  return useCallback(
    (id: string) => {
      store.getState().revealNode(id);
      // Where the node is drawn once unfolded (React Flow has not seen the new nodes yet).
      const at = foldView(store.getState().doc).positions.get(id);
      if (at !== undefined)
        void flow.setCenter(at.x + NODE_WIDTH / 2, at.y + NODE_HEIGHT / 2, {
          zoom: Math.max(flow.getZoom(), READABLE_ZOOM),
          duration: 300,
        });
    },
    [store, flow],
  );
}
