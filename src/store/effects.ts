/**
 * The page's standing effects on the store: autosave soon after every change, weights brought back
 * when a graph's structure comes back, and the theme remembered. Storage and timers come in from
 * outside, so all of it runs in Node with fakes.
 */
import { sameStructure } from '../core/structure';
import { THEME_KEY, autosave, safeWrite } from './persistence';
import type { StorageLike } from './persistence';
import type { EditorStore } from './store';

/** Wait after a change before saving: a drag's frames make one save. */
export const AUTOSAVE_DELAY_MS = 150;
/** Wait after a structural change before asking for saved weights: an undo run asks once. */
export const RESTORE_DELAY_MS = 400;

export interface Timers {
  set(run: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface EffectsEnv {
  /** Read anew each time: access to storage can fail at any moment (privacy settings, quota). */
  readonly storage: () => StorageLike | undefined;
  readonly timers: Timers;
}

export interface PageEffects {
  /** Saves a pending change now (the page is going away). */
  flush(): void;
  stop(): void;
}

/** Starts the effects and saves the opening graph at once (unless autosave is paused). */
export function startPageEffects(store: EditorStore, env: EffectsEnv): PageEffects {
  let pending: unknown;
  let restore: unknown;
  let warned = false;

  const save = () => {
    pending = undefined;
    if (store.getState().autosave === 'paused') return;
    if (!autosave(env.storage(), store.getState().doc) && !warned) {
      warned = true;
      store
        .getState()
        .notify('Autosave failed (browser storage is full or off): use Export to keep your work.', 'error');
    }
  };
  const later = (handle: unknown, run: () => void, ms: number): unknown => {
    if (handle !== undefined) env.timers.clear(handle);
    return env.timers.set(run, ms);
  };

  const unsubscribe = store.subscribe((s, prev) => {
    if (s.doc !== prev.doc) {
      pending = later(pending, save, AUTOSAVE_DELAY_MS);
      // Weights saved for a graph come back when that graph does (a template switch, an undo);
      // moving nodes changes nothing they depend on.
      if (!sameStructure(s.doc, prev.doc))
        restore = later(
          restore,
          () => {
            restore = undefined;
            store.getState().requestRestore();
          },
          RESTORE_DELAY_MS,
        );
    }
    if (s.autosave === 'on' && prev.autosave === 'paused') save();
    if (s.theme !== prev.theme) safeWrite(env.storage(), THEME_KEY, s.theme);
  });
  save();

  return {
    flush() {
      if (pending === undefined) return;
      env.timers.clear(pending);
      save();
    },
    stop() {
      unsubscribe();
      for (const handle of [pending, restore]) if (handle !== undefined) env.timers.clear(handle);
      pending = restore = undefined;
    },
  };
}
