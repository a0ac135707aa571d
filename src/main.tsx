import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { bootEditor } from './store/boot';
import { TrainingClient, backendFromUrl } from './worker/client';
import { App } from './ui/App';
import './ui/app.css';

function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

// The store and the worker client refer to each other: the port forwards once the client exists.
const worker: { client?: TrainingClient } = {};
const url = new URL(window.location.href);
const backend = backendFromUrl(url);
const { store, effects } = bootEditor({
  url,
  storage,
  replaceUrl: (to) => window.history.replaceState(null, '', to),
  prefersDark: window.matchMedia?.('(prefers-color-scheme: dark)')?.matches ?? false,
  timers: { set: (run, ms) => setTimeout(run, ms), clear: (h) => clearTimeout(h as number) },
  port: { send: (m) => worker.client?.send(m), restart: (b) => worker.client?.restart(b) },
  backend,
});
// The editor renders even where a worker cannot start; only training is missing then.
try {
  worker.client = new TrainingClient((m) => store.getState().receive(m), backend);
} catch (e) {
  store.getState().notify(`Training cannot start in this browser (${String(e)}); editing works.`, 'error');
}
window.addEventListener('pagehide', () => effects.flush());

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App store={store} />
  </StrictMode>,
);
