/** TensorFlow.js set-up for Node entry points (CLI, bench, tests): cpu or wasm, with the added kernels. */
import * as tfc from '@tensorflow/tfjs-core';
// Gradients: tfjs-layers registers every op's gradient when it loads (in each module format).
import '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { batchNormGradient } from './kernels/batchnorm-gradient';
import { backpropFilterKernel } from './kernels/conv2d-backprop-filter';
import { backpropInputKernel } from './kernels/conv2d-backprop-input';

export type NodeBackend = 'cpu' | 'wasm';

export async function useNodeBackend(name: NodeBackend): Promise<void> {
  // PROD drops the "install tfjs-node" banner, which cannot be installed here anyway.
  tfc.env().set('PROD', true);
  if (!(await tfc.setBackend(name))) throw new Error(`the ${name} backend failed to start`);
  await tfc.ready();
  // wasm has no weight-gradient kernel for convolutions and a slow input-gradient one for strided
  // convolutions; cpu's are slow too. Both become one forward convolution.
  tfc.registerKernel(backpropFilterKernel(name));
  if (name === 'wasm') tfc.registerKernel(backpropInputKernel(name));
  tfc.registerGradient(batchNormGradient);
}

export const useCpuBackend = (): Promise<void> => useNodeBackend('cpu');
