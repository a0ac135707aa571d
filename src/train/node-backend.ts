/** TensorFlow.js set-up for Node entry points (CLI, bench, tests): cpu or wasm, with the added kernels. */
import * as tfc from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
// Gradients: tfjs-layers registers every op's gradient when it loads (in each module format).
import '@tensorflow/tfjs-layers';
import { registerTrainingKernels } from './kernels';

export type NodeBackend = 'cpu' | 'wasm';

/** `kernels: false` keeps tfjs' own kernels only (for measuring what the added ones bring). */
export async function useNodeBackend(name: NodeBackend, { kernels = true } = {}): Promise<void> {
  // PROD drops the "install tfjs-node" banner, which cannot be installed here anyway.
  tfc.env().set('PROD', true);
  if (!(await tfc.setBackend(name))) throw new Error(`the ${name} backend failed to start`);
  await tfc.ready();
  if (kernels) registerTrainingKernels(name);
}

export const useCpuBackend = (): Promise<void> => useNodeBackend('cpu');
