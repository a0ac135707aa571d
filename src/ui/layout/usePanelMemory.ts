import { useLayoutEffect } from 'react';
import { PANELS_KEY, parsePanels } from '../../store/panels';
import type { EditorStore } from '../../store/store';

function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

/** Panel sizes and folds come back from browser storage before the first paint, and are kept there. */
export function usePanelMemory(store: EditorStore): void {
  useLayoutEffect(() => {
    let saved: string | null = null;
    try {
      saved = storage()?.getItem(PANELS_KEY) ?? null;
    } catch {
      saved = null;
    }
    if (saved !== null) store.getState().setPanels(parsePanels(saved));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const write = () => {
      if (timer === undefined) return;
      clearTimeout(timer);
      timer = undefined;
      try {
        storage()?.setItem(PANELS_KEY, JSON.stringify(store.getState().panels));
      } catch {
        // Storage full or off: the layout is simply not remembered.
      }
    };
    const unsubscribe = store.subscribe((s, prev) => {
      if (s.panels === prev.panels) return;
      // Dragging a splitter changes sizes every frame: write once it rests (or the page goes).
      clearTimeout(timer);
      timer = setTimeout(write, 200);
    });
    window.addEventListener('pagehide', write);
    return () => {
      write();
      window.removeEventListener('pagehide', write);
      unsubscribe();
    };
  }, [store]);
}
