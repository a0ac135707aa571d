/// <reference lib="webworker" />
/**
 * The training worker: a thin adapter that starts a compute backend and hands each message from the
 * page to one ModelSession, so TensorFlow.js never runs on the page's thread.
 */
import { browserImageDecoder } from '../data/browser/decode';
import { DataLibrary } from '../session/data-library';
import type { SourceFile } from '../session/data-library';
import { indexedDbShelf } from '../session/data-shelf';
import { ModelSession } from '../session/model-session';
import { indexedDbWeights } from '../session/weight-store';
import { selectBackend } from '../train/backend-select';
import { setUpBrowserTfjs } from '../train/browser-setup';
import type { BackendChoice } from '../core/training/backends';
import type { FromWorker, ToWorker } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

setUpBrowserTfjs();

const post = (message: FromWorker, transfer: Transferable[] = []) => self.postMessage(message, transfer);
// createImageBitmap decodes on the browser's own threads: a few files at once keep them busy.
const library = new DataLibrary({
  post,
  decode: browserImageDecoder,
  shelf: indexedDbShelf(),
  concurrency: 4,
});
const session = new ModelSession({ post, weights: indexedDbWeights, crossCheck: true, library });
void library.open();

const sourceFile = ({ path, file }: { path: string; file: Blob }): SourceFile => ({
  path,
  size: file.size,
  blob: file,
  bytes: async () => new Uint8Array(await file.arrayBuffer()),
});

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
    default:
      return false;
  }
}

async function handle(message: ToWorker): Promise<void> {
  if (message.type === 'init') return void (await init(message.backend));
  // Datasets need no compute backend.
  if (message.type === 'data-load') {
    const { files, ...load } = message.load;
    return void (await library.load(files.map(sourceFile), load));
  }
  if (message.type === 'data-remove') return library.remove(message.id);
  await (ready ?? init('auto'));
  switch (message.type) {
    case 'train':
      return void (await session.train(message, message.config, message.augment));
    case 'continue':
      return void (await session.continue(message.config, message.dataset, message.augment));
    case 'restore':
      return session.restore(message);
    case 'load':
      return session.load(message, message.weights, message.source, message.config);
    case 'export':
      return session.export();
    case 'preview':
      return session.preview(message);
  }
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  if (!control(event.data)) void handle(event.data);
};
