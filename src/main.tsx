import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { sameStructure } from './core/structure';
import { autosave, startup } from './store/persistence';
import { createEditorStore } from './store/store';
import { TrainingClient, backendFromUrl } from './worker/client';
import type { Theme } from './store/types';
import { App } from './ui/App';
import './ui/app.css';

const THEME_KEY = 'convcanvas:theme';

function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

function initialTheme(): Theme {
  const saved = storage()?.getItem(THEME_KEY);
  if (saved === 'light' || saved === 'dark') return saved;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

const start = startup(new URL(window.location.href), storage());
// The store and the worker client refer to each other: the port forwards once the client exists.
const worker: { client?: TrainingClient } = {};
const backend = backendFromUrl(new URL(window.location.href));
const store = createEditorStore(
  start.base,
  initialTheme(),
  { send: (m) => worker.client?.send(m), restart: (b) => worker.client?.restart(b) },
  backend,
  {
    sideWorkers: (onMessage) =>
      new TrainingClient(onMessage, backend, { persist: false, name: 'comparison' }),
    cores: navigator.hardwareConcurrency,
  },
);
worker.client = new TrainingClient((m) => store.getState().receive(m), backend);
if (start.incoming) store.getState().replaceGraph(start.incoming.doc, start.incoming.message);
for (const p of start.problems) store.getState().showImportErrors(p.source, p.errors);
// The URL has done its job; a reload must show later edits, not the link's graph again.
if (start.cleanUrl) {
  const backend = new URL(window.location.href).searchParams.get('backend');
  window.history.replaceState(
    null,
    '',
    window.location.pathname + (backend ? `?backend=${encodeURIComponent(backend)}` : ''),
  );
}

// Autosave: soon after every change, and at once when the page goes away.
let pending: ReturnType<typeof setTimeout> | undefined;
let warned = false;
const save = () => {
  pending = undefined;
  if (!autosave(storage(), store.getState().doc) && !warned) {
    warned = true;
    store
      .getState()
      .notify('Autosave failed (browser storage is full or off): use Export to keep your work.', 'error');
  }
};
// Weights saved for a graph come back when that graph does (a template switch, an undo); moving
// nodes changes nothing they depend on.
let restoreTimer: ReturnType<typeof setTimeout> | undefined;
store.subscribe((s, prev) => {
  if (s.doc !== prev.doc) {
    clearTimeout(pending);
    pending = setTimeout(save, 150);
    if (!sameStructure(s.doc, prev.doc)) {
      clearTimeout(restoreTimer);
      restoreTimer = setTimeout(() => store.getState().requestRestore(), 400);
    }
  }
  if (s.theme !== prev.theme) storage()?.setItem(THEME_KEY, s.theme);
});
window.addEventListener('pagehide', () => pending !== undefined && save());
save();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App store={store} />
  </StrictMode>,
);
