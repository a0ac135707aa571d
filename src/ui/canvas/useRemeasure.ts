import { useUpdateNodeInternals } from '@xyflow/react';
import { useEffect, useRef } from 'react';

/**
 * Makes React Flow measure a node's handles again when `value` changes (a merge node grows a slot, the
 * flow turns), but not on mount: it measures then anyway.
 */
export function useRemeasure(id: string, value: unknown): void {
  const updateInternals = useUpdateNodeInternals();
  const seen = useRef(value);
  useEffect(() => {
    if (seen.current === value) return;
    seen.current = value;
    updateInternals(id);
  }, [id, value, updateInternals]);
}
