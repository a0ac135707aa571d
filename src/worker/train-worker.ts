/// <reference lib="webworker" />
/**
 * The training worker: a thin adapter that starts a compute backend and hands each message from the
 * page to one ModelSession, so TensorFlow.js never runs on the page's thread.
 */
import { ModelSession } from '../session/model-session';
import { indexedDbWeights } from '../session/weight-store';
import { selectBackend } from '../train/backend-select';
import { setUpBrowserTfjs } from '../train/browser-setup';
import type { BackendChoice } from '../core/training/backends';
import type { FromWorker, ToWorker } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

setUpBrowserTfjs();

const post = (message: FromWorker, transfer: Transferable[] = []) => self.postMessage(message, transfer);
let session = new ModelSession({ post, weights: indexedDbWeights, crossCheck: true });

let ready: Promise<void> | undefined;
function init(choice: BackendChoice): Promise<void> {
  ready = selectBackend(choice).then(
    (selected) => post({ type: 'backend', ...selected }),
    (e: unknown) =>
      post({ type: 'failed', kind: 'backend', message: e instanceof Error ? e.message : String(e) }),
  );
  return ready;
}

/** Messages that act at once, even while a run is under way. */
function control(message: ToWorker): boolean {
  switch (message.type) {
    case 'pause':
      session.pause();
      return true;
    case 'resume':
      session.resume();
      return true;
    case 'stop':
      session.stop();
      return true;
    case 'cancel-surface':
      session.cancelSurface();
      return true;
    default:
      return false;
  }
}

async function handle(message: ToWorker): Promise<void> {
  if (message.type === 'init') {
    if (message.persist === false) session = new ModelSession({ post, crossCheck: true });
    return void (await init(message.backend));
  }
  await (ready ?? init('auto'));
  switch (message.type) {
    case 'train':
      return void (await session.train(message, message.config));
    case 'continue':
      return void (await session.continue(message.config, message.dataset));
    case 'restore':
      return session.restore(message);
    case 'load':
      return session.load(message, message.weights, message.source, message.config);
    case 'export':
      return session.export();
    case 'preview':
      return session.preview(message);
    case 'surface':
      return void (await session.surface(message.request));
  }
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  if (!control(event.data)) void handle(event.data);
};
