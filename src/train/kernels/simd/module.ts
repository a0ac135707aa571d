/**
 * The SIMD kernels of assembly/kernels.ts, instantiated on the wasm backend's own memory so they
 * read and write its tensors in place. Undefined where they cannot run (no WebAssembly SIMD, or a
 * wasm backend whose memory cannot be reached); callers then use their TypeScript loops.
 */
import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';
import { plainMemoryModule, sharedMemoryModule } from './binary';

interface Exports {
  channelSums(x: number, rows: number, channels: number, sums: number): void;
  centredSquareSums(x: number, rows: number, channels: number, mean: number, sums: number): void;
  scaleShift(x: number, rows: number, channels: number, mul: number, add: number, y: number): void;
  gradientSums(
    dy: number,
    x: number,
    rows: number,
    channels: number,
    mean: number,
    sumDy: number,
    sumDyCentred: number,
  ): void;
  affine2(
    dy: number,
    x: number,
    rows: number,
    channels: number,
    a: number,
    b: number,
    d: number,
    dx: number,
  ): void;
  convFilterGrad(...args: number[]): void;
  col2im(...args: number[]): void;
  reluGrad(dy: number, x: number, n: number, dx: number): void;
  zero(p: number, bytes: number): void;
}

/** The parts of tfjs' wasm backend these kernels use. */
interface WasmBackend {
  wasm: {
    _malloc(bytes: number): number;
    _free(p: number): void;
    HEAPU8: Uint8Array;
    wasmMemory?: WebAssembly.Memory;
    asm?: { memory?: WebAssembly.Memory };
  };
  typedArrayFromHeap(info: TensorInfo): Float32Array;
}

export interface SimdKernels extends Exports {
  /** A tensor's byte offset in the heap. */
  offsetOf(info: TensorInfo): number;
  /** Runs `body` with `bytes` of scratch memory (16-byte aligned), freed afterwards. */
  withScratch<T>(bytes: number, body: (p: number) => T): T;
  /** The heap, viewed afresh (an allocation can replace the buffer). */
  heap(): ArrayBuffer;
}

const decode = (base64: string) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));

const instances = new WeakMap<object, SimdKernels | null>();

function instantiate(backend: WasmBackend): SimdKernels | null {
  const memory = backend.wasm.wasmMemory ?? backend.wasm.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) return null;
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  let exports: Exports;
  try {
    const module = new WebAssembly.Module(decode(shared ? sharedMemoryModule : plainMemoryModule));
    exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as Exports;
  } catch {
    return null; // no SIMD here
  }
  return {
    ...exports,
    offsetOf: (info) => backend.typedArrayFromHeap(info).byteOffset,
    withScratch: (bytes, body) => {
      const raw = backend.wasm._malloc(bytes + 16) >>> 0;
      try {
        return body(((raw + 15) & ~15) >>> 0);
      } finally {
        backend.wasm._free(raw);
      }
    },
    heap: () => backend.wasm.HEAPU8.buffer as ArrayBuffer,
  };
}

/** The kernels for this wasm backend instance, or undefined where they cannot run. */
export function simdKernels(backend: KernelBackend): SimdKernels | undefined {
  let found = instances.get(backend);
  if (found === undefined) {
    found = instantiate(backend as unknown as WasmBackend);
    instances.set(backend, found);
  }
  return found ?? undefined;
}
