/** Registers the kernels and gradients that make training fast (or possible) on a backend. */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../../core/training/backends';
import { adamUpdateKernel } from './adam-update';
import { batchNormGradient } from './batchnorm-gradient';
import { batchNormInferenceKernel } from './batchnorm-inference';
import { clipByValueGradient, meanGradient, squareGradient, sumGradient } from './constant-gradients';
import {
  batchNormTrainingGradient,
  batchNormTrainingGradKernel,
  batchNormTrainingKernel,
} from './batchnorm-training';
import { backpropFilterKernel } from './conv2d-backprop-filter';
import { backpropInputKernel } from './conv2d-backprop-input';
import { reluGradient, reluGradKernel } from './relu-gradient';
import { sharedIdentityKernels } from './shared-identity';
import { webgpuAdamUpdateKernel } from './webgpu/adam-update';
import { webgpuBatchNormTrainingGradKernel, webgpuBatchNormTrainingKernel } from './webgpu/batchnorm';
import { webgpuReluGradKernel } from './webgpu/relu-gradient';
import { webgpuWeightGradientKernel } from './webgpu/weight-gradient';

export function registerTrainingKernels(backend: BackendName): void {
  // The batch-norm gradient is backend-neutral (tfjs' own builds a Tile that is slow everywhere).
  tf.registerGradient(batchNormGradient);
  tf.registerGradient(batchNormTrainingGradient);
  // ReLU's gradient runs one kernel where the backend has it, tfjs' own ops elsewhere.
  tf.registerGradient(reluGradient);
  // Sum, Mean, Square and ClipByValue without a tensor made on the CPU (and uploaded) per call.
  for (const g of [sumGradient, meanGradient, squareGradient, clipByValueGradient]) tf.registerGradient(g);
  if (backend === 'webgpu') {
    // A tiled weight gradient instead of tfjs' one thread per weight; batch norm in three
    // dispatches each way, Adam and ReLU's gradient in one (WGSL, src/train/kernels/webgpu).
    tf.registerKernel(webgpuWeightGradientKernel);
    tf.registerKernel(webgpuBatchNormTrainingKernel);
    tf.registerKernel(webgpuBatchNormTrainingGradKernel);
    tf.registerKernel(webgpuAdamUpdateKernel);
    tf.registerKernel(webgpuReluGradKernel);
    return;
  }
  // WebGL has good convolution gradients of its own.
  if (backend === 'webgl') return;
  // wasm has no weight-gradient kernel for convolutions and a slow input-gradient one for strided
  // convolutions; cpu's weight gradient is slow too. Each becomes one forward convolution.
  tf.registerKernel(backpropFilterKernel(backend));
  if (backend === 'wasm') tf.registerKernel(backpropInputKernel(backend));
  // Batch norm in training: one kernel each way (the layer falls back to tfjs-layers' ops without).
  tf.registerKernel(batchNormTrainingKernel(backend));
  tf.registerKernel(batchNormTrainingGradKernel(backend));
  tf.registerKernel(adamUpdateKernel(backend));
  tf.registerKernel(reluGradKernel(backend));
  if (backend === 'wasm') for (const k of sharedIdentityKernels(backend)) tf.registerKernel(k);
  // Batch norm with given statistics (inference, validation, slices) in one SIMD pass.
  if (backend === 'wasm') tf.registerKernel(batchNormInferenceKernel(backend));
}
