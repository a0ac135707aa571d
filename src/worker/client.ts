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

/** A worker of its own for a side run (a comparison), dropped when done. */
export interface SidePort extends TrainingPort {
  dispose(): void;
}

/** Starts a side worker whose messages go to `onMessage`. */
export type SideWorkers = (onMessage: (message: FromWorker) => void) => SidePort;

export interface ClientOptions {
  /** Keep trained weights in the browser (the main worker does; side runs do not). */
  readonly persist?: boolean;
  readonly name?: string;
}

export class TrainingClient implements SidePort {
  private worker: Worker;

  constructor(
    private readonly onMessage: (message: FromWorker) => void,
    private backend: BackendChoice,
    private readonly options: ClientOptions = {},
  ) {
    this.worker = this.spawn();
  }

  private spawn(): Worker {
    const worker = new Worker(new URL('./train-worker.ts', import.meta.url), {
      type: 'module',
      name: this.options.name ?? 'training',
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
    worker.postMessage({
      type: 'init',
      backend: this.backend,
      ...(this.options.persist === false && { persist: false }),
    } satisfies ToWorker);
    return worker;
  }

  send(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  dispose(): void {
    this.worker.terminate();
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
