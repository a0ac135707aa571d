/**
 * The editor store: graph, selection and UI slices combined, with undo/redo (zundo) over the
 * document only. Middleware sits on the combined store, never on a slice.
 */
import { temporal } from 'zundo';
import { createStore } from 'zustand/vanilla';
import type { GraphDocument } from '../core/document';
import type { History } from './graph-slice';
import { createGraphSlice, historyOf } from './graph-slice';
import { createSelectionSlice } from './selection-slice';
import type { EditorState, Theme, Tracked } from './types';
import { createUiSlice } from './ui-slice';
import { createTrainingSlice } from './training-slice';
import { createFilesSlice } from './files-slice';
import { createDataSlice } from './data-slice';
import type { TrainingPort } from '../worker/client';
import type { BackendChoice } from '../core/training/backends';

export const HISTORY_LIMIT = 200;

export function createEditorStore(
  initial: GraphDocument,
  theme: Theme = 'light',
  port?: TrainingPort,
  backend: BackendChoice = 'auto',
) {
  // The graph slice needs the history API, which exists once the store does: reach it lazily.
  const history: History = historyOf(() => store.temporal, HISTORY_LIMIT);
  const store = createStore<EditorState>()(
    temporal(
      (set, get) => ({
        ...createGraphSlice(set, get, history, initial),
        ...createSelectionSlice(set, get),
        ...createUiSlice(set, get, theme),
        ...createTrainingSlice(set, get, port, backend),
        ...createFilesSlice(set, get),
        ...createDataSlice(set, get, port),
      }),
      {
        partialize: (s): Tracked => ({ doc: s.doc }),
        equality: (a, b) => a.doc === b.doc,
        limit: HISTORY_LIMIT,
      },
    ),
  );
  return store;
}

export type EditorStore = ReturnType<typeof createEditorStore>;

export function undo(store: EditorStore): void {
  store.temporal.getState().undo();
}

export function redo(store: EditorStore): void {
  store.temporal.getState().redo();
}
