/**
 * Start-up: from the page's address and storage to a running editor store. Total: whatever the
 * link or the stored graph holds, an editor comes out, the address no longer names the graph, and
 * every refusal is shown.
 */
import type { BackendChoice } from '../core/training/backends';
import type { TrainingPort } from '../worker/client';
import type { EffectsEnv, PageEffects } from './effects';
import { startPageEffects } from './effects';
import type { Startup } from './persistence';
import { cleanedUrl, defaultDocument, initialTheme, namesAGraph, safeStartup } from './persistence';
import type { EditorStore } from './store';
import { createEditorStore } from './store';

export interface BootEnv extends EffectsEnv {
  readonly url: URL;
  /** Replaces the address shown, without a page load (history.replaceState). */
  readonly replaceUrl: (url: string) => void;
  readonly prefersDark: boolean;
  readonly port?: TrainingPort;
  readonly backend?: BackendChoice;
}

function applyStartup(store: EditorStore, start: Startup): void {
  const state = store.getState();
  if (!start.autosave) state.pauseAutosave();
  if (start.incoming) state.replaceGraph(start.incoming.doc, start.incoming.message);
  for (const p of start.problems) state.showImportErrors(p.source, p.errors, p.held);
}

export function bootEditor(env: BootEnv): { store: EditorStore; effects: PageEffects } {
  // Cleaned before the link is even read: should reading it crash the page, a reload starts clean.
  if (namesAGraph(env.url))
    try {
      env.replaceUrl(cleanedUrl(env.url));
    } catch {
      // An address that cannot be replaced only means a reload opens the link again.
    }
  const storage = env.storage();
  const start = safeStartup(env.url, storage);
  const create = (doc = start.base) =>
    createEditorStore(doc, initialTheme(storage, env.prefersDark), env.port, env.backend);
  let store = create();
  try {
    applyStartup(store, start);
  } catch (e) {
    store = create(defaultDocument());
    store.getState().pauseAutosave();
    store.getState().showImportErrors('the linked or saved graph', [
      {
        path: '(start-up)',
        message: `opening it failed (${e instanceof Error ? e.message : String(e)}), so the default graph is open instead; autosave waits until you choose`,
      },
    ]);
  }
  return { store, effects: startPageEffects(store, env) };
}
