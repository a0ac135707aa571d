/**
 * Identity, and Cast to the same dtype, without a copy on wasm. The engine clones every tensor it
 * saves for the backward pass (hundreds per training step), and wasm's Identity copies the data
 * where cpu's shares it. Tensors are immutable, so the result can share the input's memory, counted
 * by the backend's reference count — as Reshape already does on wasm.
 */
import { getKernel } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

interface RefCounted {
  incRef(dataId: object): void;
}

function share(x: TensorInfo, backend: unknown): TensorInfo {
  (backend as RefCounted).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/** The backend's own Cast, kept from before the first registration (which replaces it). */
let stockCast: KernelFunc | undefined;

export function sharedIdentityKernels(backendName: 'wasm'): KernelConfig[] {
  stockCast ??= getKernel('Cast', backendName)?.kernelFunc;
  const castOther = stockCast;
  if (castOther === undefined) throw new Error(`${backendName} has no Cast kernel`);
  const cast: KernelFunc = (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    return x.dtype === args.attrs?.['dtype'] && x.dtype !== 'string'
      ? share(x, args.backend)
      : castOther(args);
  };
  return [
    {
      kernelName: 'Identity',
      backendName,
      kernelFunc: ({ inputs, backend }) => {
        const { x } = inputs as { x: TensorInfo };
        if (x.dtype === 'string') throw new Error('Identity: strings are not supported here');
        return share(x, backend);
      },
    },
    { kernelName: 'Cast', backendName, kernelFunc: cast },
  ];
}
