/** Registers the kernels and gradients that make training fast (or possible) on a backend. */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../../core/training/backends';
import { batchNormGradient } from './batchnorm-gradient';
import { backpropFilterKernel } from './conv2d-backprop-filter';
import { backpropInputKernel } from './conv2d-backprop-input';

export function registerTrainingKernels(backend: BackendName): void {
  // The batch-norm gradient is backend-neutral (tfjs' own builds a Tile that is slow everywhere).
  tf.registerGradient(batchNormGradient);
  // WebGPU and WebGL have good convolution gradients of their own.
  if (backend === 'webgpu' || backend === 'webgl') return;
  // wasm has no weight-gradient kernel for convolutions and a slow input-gradient one for strided
  // convolutions; cpu's weight gradient is slow too. Each becomes one forward convolution.
  tf.registerKernel(backpropFilterKernel(backend));
  if (backend === 'wasm') tf.registerKernel(backpropInputKernel(backend));
}
