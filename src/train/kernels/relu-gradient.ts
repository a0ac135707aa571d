/**
 * ReLU's gradient in one pass where the backend has the kernel (cpu and wasm here): tfjs' own is
 * Step, Cast and Multiply, three passes over every ReLU's activation per training step. Same
 * arithmetic, dx = dy · step(x); elsewhere the gradient is tfjs' own formula.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig, KernelBackend, KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import type { HostBackendName } from './host-arrays';
import { hostArrays } from './host-arrays';
import { simdKernels } from './simd/module';

export const RELU_GRAD = 'ReluGradFused';

export const reluGradient: GradConfig = {
  kernelName: 'Relu',
  inputsToSave: ['x'],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
    const g = dy as tf.Tensor;
    const [x] = saved as [tf.Tensor];
    return {
      x: () =>
        tf.getKernel(RELU_GRAD, tf.getBackend()) === undefined
          ? tf.mul(g, tf.cast(tf.step(x), 'float32'))
          : (tf.engine().runKernel(RELU_GRAD, { dy: g, x }) as tf.Tensor),
    };
  },
};

export function reluGradKernel(backendName: HostBackendName): KernelConfig {
  return {
    kernelName: RELU_GRAD,
    backendName,
    kernelFunc: ({ inputs, backend }) => {
      const { dy, x } = inputs as { dy: TensorInfo; x: TensorInfo };
      const host = hostArrays(backendName, backend as KernelBackend);
      const { infos, arrays } = host.outputs([x.shape]);
      const n = arrays[0]!.length;
      const simd = backendName === 'wasm' ? simdKernels(backend as KernelBackend) : undefined;
      if (simd !== undefined) {
        simd.reluGrad(simd.offsetOf(dy), simd.offsetOf(x), n, simd.offsetOf(infos[0]!));
        return infos[0]!;
      }
      const [g, v, dx] = [host.read(dy), host.read(x), arrays[0]!];
      for (let i = 0; i < n; i++) {
        const s = Number.isNaN(v[i]!) ? NaN : v[i]! > 0 ? 1 : 0;
        dx[i] = g[i]! * s;
      }
      return infos[0]!;
    },
  };
}
