/** ReLU's gradient on WebGPU in one dispatch, dx = dy · step(x) with step(NaN) = NaN as tfjs has it. */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { RELU_GRAD } from '../relu-gradient';
import { elementwise, elementwiseDispatch, runShader } from './shader';

const reluGrad = elementwise({
  name: 'convcanvasReluGrad',
  inputs: ['dy', 'x'],
  outputs: ['dx'],
  uniforms: [],
  // NaN by its bits: a compiler may assume x == x.
  body: `
    let v = x[i];
    let isNaN = (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u;
    dx[i] = select(select(0.0, dy[i], v > 0.0), v, isNaN);
  `,
});

export const webgpuReluGradKernel: KernelConfig = {
  kernelName: RELU_GRAD,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend }) => {
    const { dy, x } = inputs as { dy: TensorInfo; x: TensorInfo };
    const gpu = backend as unknown as WebGPUBackend;
    const size = x.shape.reduce((a, b) => a * b, 1);
    return runShader(gpu, reluGrad, [dy, x], [x.shape], [], elementwiseDispatch(gpu, size))[0]!;
  },
};
