/**
 * Threaded WebAssembly: XNNPACK's convolutions and matrix products on every core. It needs
 * SharedArrayBuffer, so a cross-origin-isolated page (the built app sends COOP/COEP), and it only
 * pays with more than one core. Starting it can still fail where pthread workers cannot run, and a
 * failed start hangs instead of failing: the caller gives it a time limit and then falls back to
 * one thread with `dropWasmThreads`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';

const FLAG = 'WASM_HAS_MULTITHREAD_SUPPORT';

interface Scope {
  readonly crossOriginIsolated?: boolean;
  readonly navigator: { readonly hardwareConcurrency?: number };
}

/**
 * How many threads wasm should use here: `requested`, or like tfjs one per two logical cores (two
 * hardware threads per core being common); 1 where the context is not cross-origin isolated
 * (no SharedArrayBuffer). On the 2-core development machine two threads measured slower than one.
 */
export function wasmThreadsFor(scope: Scope, requested?: number): number {
  if (scope.crossOriginIsolated !== true) return 1;
  const cores = scope.navigator.hardwareConcurrency ?? 1;
  return Math.max(1, Math.min(8, Math.floor(requested ?? cores / 2)));
}

/**
 * Sets the thread count before the wasm backend first starts; 1 keeps the single-threaded build.
 * tfjs caps its pool at half of navigator.hardwareConcurrency whatever setThreadsCount asks, and
 * reads that through the context's navigator: a count above the cap is shown to it as twice as
 * many cores.
 */
export function configureWasmThreads(threads: number, scope: Scope): void {
  if (threads < 2) {
    tf.env().set(FLAG, false);
    return;
  }
  setThreadsCount(threads);
  if ((scope.navigator.hardwareConcurrency ?? 1) < 2 * threads)
    Object.defineProperty(scope.navigator, 'hardwareConcurrency', { value: 2 * threads, configurable: true });
}

/** Whether the next wasm start would try threads. */
export async function wasmThreadsOn(): Promise<boolean> {
  return (await tf.env().getAsync(FLAG)) === true;
}

/**
 * Forgets a wasm backend whose threaded start failed or hangs, and registers it again to start on
 * one thread. (Its stuck start is abandoned; tfjs offers no way to cancel it.)
 */
export function dropWasmThreads(): void {
  const registry = (
    tf.engine() as unknown as {
      registryFactory: Record<
        string,
        { factory: () => tf.KernelBackend | Promise<tf.KernelBackend>; priority: number }
      >;
    }
  ).registryFactory;
  const entry = registry['wasm'];
  tf.env().set(FLAG, false);
  if (entry === undefined) return;
  tf.removeBackend('wasm');
  tf.registerBackend('wasm', entry.factory, entry.priority);
}

/** Threads the running wasm backend uses. */
export const wasmThreadCount = (): number => getThreadsCount();
