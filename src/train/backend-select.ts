/**
 * Picks the tfjs backend in the worker and says why. This step knows wasm and cpu; each attempt has
 * a time limit, because a backend that fails to start can hang instead of failing.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendChoice, BackendName } from '../worker/protocol';
import { registerTrainingKernels } from './kernels';

const START_TIMEOUT_MS = 15_000;

async function within<T>(ms: number, work: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not start within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function start(name: 'wasm' | 'cpu'): Promise<boolean> {
  const ok = await within(START_TIMEOUT_MS, tf.setBackend(name), `the ${name} backend`);
  if (!ok) return false;
  await tf.ready();
  registerTrainingKernels(name);
  return true;
}

export interface Selected {
  readonly name: BackendName;
  readonly reason: string;
}

/** Starts the chosen backend, or for 'auto' the fastest one that works here. */
export async function selectBackend(choice: BackendChoice): Promise<Selected> {
  const tried: string[] = [];
  const order: ('wasm' | 'cpu')[] =
    choice === 'cpu' ? ['cpu'] : choice === 'wasm' ? ['wasm'] : ['wasm', 'cpu'];
  if (choice === 'webgpu' || choice === 'webgl')
    tried.push(`${choice} is not available in this version; using the fastest CPU backend`);
  for (const name of order) {
    try {
      if (await start(name))
        return {
          name,
          reason:
            choice === name
              ? `${name} was asked for`
              : name === 'wasm'
                ? `WebAssembly with SIMD on the CPU${tried.length ? ` (${tried.join('; ')})` : ''}`
                : `plain JavaScript on the CPU (${tried.join('; ') || 'WebAssembly did not start'})`,
        };
      tried.push(`${name} did not start`);
    } catch (e) {
      tried.push(e instanceof Error ? e.message : String(e));
    }
  }
  throw new Error(`no backend started: ${tried.join('; ')}`);
}
