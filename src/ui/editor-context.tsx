import { createContext, useContext } from 'react';
import type { ReactNode } from 'react';
import { useStore } from 'zustand';
import type { GraphAnalysis } from '../core/analyze';
import { analysisOf } from '../store/analysis';
import type { EditorStore } from '../store/store';
import type { EditorState } from '../store/types';

const EditorContext = createContext<EditorStore | null>(null);

export function EditorProvider({ store, children }: { store: EditorStore; children: ReactNode }) {
  return <EditorContext.Provider value={store}>{children}</EditorContext.Provider>;
}

export function useEditorStore(): EditorStore {
  const store = useContext(EditorContext);
  if (store === null) throw new Error('useEditorStore outside EditorProvider');
  return store;
}

/** Reads part of the editor state; the component re-renders when that part changes. */
export function useEditor<T>(selector: (s: EditorState) => T): T {
  return useStore(useEditorStore(), selector);
}

/** Shapes, stats and errors of the current graph (recomputed only when its structure changes). */
export function useAnalysis(): GraphAnalysis {
  // Selecting the analysis itself (not the document) keeps readers still while nodes are dragged.
  return useEditor((s) => analysisOf(s.doc));
}

export function useHistoryDepth(): { past: number; future: number } {
  const temporal = useEditorStore().temporal;
  const past = useStore(temporal, (s) => s.pastStates.length);
  const future = useStore(temporal, (s) => s.futureStates.length);
  return { past, future };
}
