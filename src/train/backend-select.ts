/**
 * Picks the tfjs backend in the worker and says why. Automatic order: WebGPU on a real GPU, WebGL
 * when it is not rendered in software, then WebAssembly, then plain JavaScript. A software GPU
 * (SwiftShader, llvmpipe) is slower than WebAssembly on the same CPU, so it is only used when asked
 * for. Each attempt has a time limit, because a backend that fails to start can hang instead.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import type { BackendChoice, BackendName } from '../core/training/backends';
import { describeAdapter, describeWebGl, type GpuProbe } from './gpu-probe';
import { registerTrainingKernels } from './kernels';
import { dropWasmThreads, wasmThreadCount, wasmThreadsOn } from './wasm-threads';

const START_TIMEOUT_MS = 20_000;
/** Threaded wasm starts in a second or two; a start that takes longer has hung (dead pthreads). */
const THREADED_START_TIMEOUT_MS = 8_000;

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

/**
 * The GPU backends are loaded only when tried, so CPU-only machines never download them; wasm and
 * cpu are always in the worker's bundle (imported above).
 */
const loaders: Record<BackendName, () => Promise<unknown>> = {
  webgpu: () => import('@tensorflow/tfjs-backend-webgpu'),
  webgl: () => import('@tensorflow/tfjs-backend-webgl'),
  wasm: () => Promise.resolve(),
  cpu: () => Promise.resolve(),
};

async function start(name: BackendName): Promise<boolean> {
  await loaders[name]();
  let ok: boolean;
  if (name === 'wasm' && (await wasmThreadsOn())) {
    ok = await within(THREADED_START_TIMEOUT_MS, tf.setBackend(name), 'threaded WebAssembly').catch(
      () => false,
    );
    if (!ok) {
      dropWasmThreads();
      return start(name);
    }
  } else ok = await within(START_TIMEOUT_MS, tf.setBackend(name), `the ${name} backend`);
  if (!ok) return false;
  await tf.ready();
  registerTrainingKernels(name);
  return true;
}

export interface Selected {
  readonly name: BackendName;
  readonly reason: string;
}

export interface Probes {
  webgpu(): Promise<GpuProbe>;
  webgl(): GpuProbe;
}

const browserProbes: Probes = { webgpu: describeAdapter, webgl: describeWebGl };

const threadsNote = () => {
  const threads = wasmThreadCount();
  return ` (${threads} thread${threads === 1 ? '' : 's'})`;
};

const cpuReason: Record<'wasm' | 'cpu', () => string> = {
  wasm: () => `WebAssembly with SIMD on the CPU${threadsNote()}`,
  cpu: () => 'plain JavaScript on the CPU',
};

/** Starts the chosen backend, or for 'auto' the fastest one that works here. */
export async function selectBackend(
  choice: BackendChoice,
  probes: Probes = browserProbes,
): Promise<Selected> {
  const notes: string[] = [];
  const attempt = async (name: BackendName): Promise<boolean> => {
    try {
      if (await start(name)) return true;
      notes.push(`${name} did not start`);
    } catch (e) {
      notes.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
    return false;
  };
  const why = (base: string) => (notes.length > 0 ? `${base} (${notes.join('; ')})` : base);

  if (choice !== 'auto') {
    const device =
      choice === 'webgpu'
        ? await probes.webgpu().catch(() => undefined)
        : choice === 'webgl'
          ? probes.webgl()
          : undefined;
    const on = device?.device === undefined ? '' : ` (on ${device.device})`;
    if (await attempt(choice))
      return { name: choice, reason: `${choice} was chosen${choice === 'wasm' ? threadsNote() : on}` };
    notes.unshift(`${choice} was chosen but did not start`);
  } else {
    const gpu = await probes.webgpu().catch((e: unknown) => ({
      usable: false,
      what: `WebGPU probe failed: ${e instanceof Error ? e.message : String(e)}`,
    }));
    if (gpu.usable && (await attempt('webgpu')))
      return { name: 'webgpu', reason: why(`WebGPU on ${gpu.what}`) };
    if (!gpu.usable) notes.push(gpu.what);
    const gl = probes.webgl();
    if (gl.usable && (await attempt('webgl'))) return { name: 'webgl', reason: why(`WebGL on ${gl.what}`) };
    if (!gl.usable) notes.push(gl.what);
  }
  for (const name of ['wasm', 'cpu'] as const)
    if (name !== choice && (await attempt(name))) return { name, reason: why(cpuReason[name]()) };
  throw new Error(`no backend started: ${notes.join('; ')}`);
}
