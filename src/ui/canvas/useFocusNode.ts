import { useReactFlow } from '@xyflow/react';
import { useCallback } from 'react';
import { useEditorStore } from '../editor-context';

/** Selects a node and brings it to the middle of the canvas. */
export function useFocusNode(): (id: string) => void {
  const store = useEditorStore();
  const flow = useReactFlow();
  return useCallback(
    (id: string) => {
      store.getState().select([id]);
      const node = flow.getNode(id);
      if (node)
        void flow.setCenter(node.position.x + 100, node.position.y + 40, {
          zoom: Math.max(flow.getZoom(), 0.8),
          duration: 300,
        });
    },
    [store, flow],
  );
}
