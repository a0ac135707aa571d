/**
 * Kernels written in TypeScript over the tensors' own memory, for the two CPU backends: the cpu
 * backend keeps each tensor in a Float32Array, the wasm backend in its WebAssembly heap. Reading
 * and writing in place skips the copies a data()/tensor() round trip would make.
 */
import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';

export type HostBackendName = 'cpu' | 'wasm';

interface CpuBackend {
  readSync(dataId: object): Float32Array;
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

interface WasmBackend {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
}

export interface HostArrays {
  /** The float32 elements of `info`, in place (do not keep across allocations on wasm). */
  read(info: TensorInfo): Float32Array;
  /**
   * New float32 tensors of these shapes, and their elements to fill. Allocate every output first:
   * on wasm an allocation can grow the heap, which detaches earlier views.
   */
  outputs(shapes: readonly (readonly number[])[]): { infos: TensorInfo[]; arrays: Float32Array[] };
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function checkFloat(info: TensorInfo): TensorInfo {
  if (info.dtype !== 'float32') throw new Error(`expected a float32 tensor, got ${info.dtype}`);
  return info;
}

export function hostArrays(name: HostBackendName, backend: KernelBackend): HostArrays {
  if (name === 'cpu') {
    const cpu = backend as unknown as CpuBackend;
    return {
      read: (info) => cpu.readSync(checkFloat(info).dataId),
      outputs: (shapes) => {
        const arrays = shapes.map((s) => new Float32Array(size(s)));
        return { infos: shapes.map((s, i) => cpu.makeTensorInfo([...s], 'float32', arrays[i]!)), arrays };
      },
    };
  }
  const wasm = backend as unknown as WasmBackend;
  return {
    read: (info) => wasm.typedArrayFromHeap(checkFloat(info)),
    outputs: (shapes) => {
      const infos = shapes.map((s) => wasm.makeOutput([...s], 'float32'));
      return { infos, arrays: infos.map((info) => wasm.typedArrayFromHeap(info)) };
    },
  };
}
