/**
 * The page's side of the training worker: sends typed messages, forwards replies, and restarts the
 * worker if it crashes (the graph lives in the page, so nothing of it is lost).
 */
import type { BackendChoice } from '../core/training/backends';
import { isBackendChoice } from '../core/training/backends';
import type { FromWorker, ToWorker } from './protocol';

export interface TrainingPort {
  send(message: ToWorker): void;
  /** Starts a fresh worker on another backend. */
  restart?(backend: BackendChoice): void;
}

export class TrainingClient implements TrainingPort {
  private worker: Worker;

  constructor(
    private readonly onMessage: (message: FromWorker) => void,
    private backend: BackendChoice,
  ) {
    this.worker = this.spawn();
  }

  private spawn(): Worker {
    const worker = new Worker(new URL('./train-worker.ts', import.meta.url), {
      type: 'module',
      name: 'training',
    });
    worker.onmessage = (event: MessageEvent<FromWorker>) => this.onMessage(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      this.onMessage({
        type: 'failed',
        kind: 'crash',
        message: `The training worker crashed (${event.message || 'no details'}); it has been restarted. Your graph is unchanged.`,
      });
      this.worker.terminate();
      this.worker = this.spawn();
    };
    worker.postMessage({ type: 'init', backend: this.backend } satisfies ToWorker);
    return worker;
  }

  send(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  restart(backend: BackendChoice): void {
    this.backend = backend;
    this.worker.terminate();
    this.worker = this.spawn();
  }
}

/** `?backend=wasm|cpu|webgl|webgpu` overrides the automatic choice. */
export function backendFromUrl(url: URL): BackendChoice {
  const b = url.searchParams.get('backend');
  return isBackendChoice(b) ? b : 'auto';
}
