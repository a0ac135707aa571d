/**
 * AdamUpdate on WebGPU: one dispatch per variable for the new value and both moments, instead of
 * tfjs' chain of about fifteen kernels (each with a scalar uploaded into a new GPU buffer). The
 * arithmetic follows tfjs' chain step by step; the GPU may fuse a multiply and an add, so results
 * agree to float32 rounding rather than to the bit.
 */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { ADAM_UPDATE, type AdamUpdateAttrs } from '../adam-update';
import { elementwise, elementwiseDispatch, runShader } from './shader';

const adam = elementwise({
  name: 'convcanvasAdamUpdate',
  inputs: ['value', 'm', 'v', 'gradient'],
  outputs: ['newValue', 'newM', 'newV'],
  uniforms: ['beta1', 'beta2', 'keep1', 'keep2', 'epsilon', 'step', 'c1', 'c2'].map((name) => ({
    name,
    type: 'f32' as const,
  })),
  body: `
    let g = gradient[i];
    let m1 = m[i] * uniforms.beta1 + g * uniforms.keep1;
    let v1 = v[i] * uniforms.beta2 + (g * g) * uniforms.keep2;
    newM[i] = m1;
    newV[i] = v1;
    let mHat = m1 / uniforms.c1;
    let vHat = v1 / uniforms.c2;
    newValue[i] = (mHat / (sqrt(vHat) + uniforms.epsilon)) * uniforms.step + value[i];
  `,
});

export const webgpuAdamUpdateKernel: KernelConfig = {
  kernelName: ADAM_UPDATE,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { value, m, v, gradient } = inputs as Record<'value' | 'm' | 'v' | 'gradient', TensorInfo>;
    const a = attrs as unknown as AdamUpdateAttrs;
    const f = Math.fround;
    const gpu = backend as unknown as WebGPUBackend;
    const size = value.shape.reduce((x, y) => x * y, 1);
    return runShader(
      gpu,
      adam,
      [value, m, v, gradient],
      [value.shape, value.shape, value.shape],
      [
        a.beta1,
        a.beta2,
        f(1 - a.beta1),
        f(1 - a.beta2),
        a.epsilon,
        -a.learningRate,
        a.oneMinusAccBeta1,
        a.oneMinusAccBeta2,
      ],
      elementwiseDispatch(gpu, size),
    );
  },
};
