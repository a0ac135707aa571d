import { useEffect, useRef, useState } from 'react';
import type { DroppedFile } from '../../worker/protocol';
import { filesFromDrop } from './dropped';

const carriesFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') === true;

/**
 * Files dropped anywhere on the page become data (`take`); true while files are dragged over it.
 * Drags of palette entries onto the canvas carry no files and are left alone.
 */
export function useDataDrop(take: (files: DroppedFile[]) => void, disabled: boolean): boolean {
  const [dragging, setDragging] = useState(false);
  const depth = useRef(0);
  const latest = useRef(take);
  latest.current = take;
  useEffect(() => {
    const over = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      // Without this the browser opens a dropped file in place of the app.
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = disabled ? 'none' : 'copy';
    };
    const enter = (e: DragEvent) => {
      if (!carriesFiles(e) || disabled) return;
      depth.current++;
      setDragging(true);
    };
    const leave = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setDragging(false);
    };
    const drop = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      depth.current = 0;
      setDragging(false);
      if (disabled || e.dataTransfer === null) return;
      void filesFromDrop(e.dataTransfer).then((files) => latest.current(files));
    };
    window.addEventListener('dragover', over);
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [disabled]);
  return dragging;
}
