/**
 * One Adam step for one variable as one kernel: tfjs' AdamOptimizer spends about fifteen small
 * kernels (and as many scalar uploads) per variable per step, which on a ResNet is a thousand
 * kernel calls. The arithmetic is tfjs' own, operation by operation, each rounded to float32 as its
 * kernels round, so the result is the same to the bit.
 */
import type { KernelBackend, KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import type { HostBackendName } from './host-arrays';
import { hostArrays } from './host-arrays';

/** Inputs value, m, v, gradient; outputs the new value, m and v. */
export const ADAM_UPDATE = 'AdamUpdate';

export interface AdamUpdateAttrs {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly learningRate: number;
  /** 1 − β₁ᵗ and 1 − β₂ᵗ, as float32 (tfjs keeps β₁ᵗ in a float32 variable). */
  readonly oneMinusAccBeta1: number;
  readonly oneMinusAccBeta2: number;
}

const f = Math.fround;

export function adamUpdate(
  value: Float32Array,
  m: Float32Array,
  v: Float32Array,
  gradient: Float32Array,
  a: AdamUpdateAttrs,
  out: { value: Float32Array; m: Float32Array; v: Float32Array },
): void {
  const beta1 = f(a.beta1);
  const beta2 = f(a.beta2);
  const keep1 = f(1 - a.beta1);
  const keep2 = f(1 - a.beta2);
  const epsilon = f(a.epsilon);
  const step = f(-a.learningRate);
  const c1 = f(a.oneMinusAccBeta1);
  const c2 = f(a.oneMinusAccBeta2);
  for (let i = 0; i < value.length; i++) {
    const g = gradient[i]!;
    const m1 = f(f(m[i]! * beta1) + f(g * keep1));
    const v1 = f(f(v[i]! * beta2) + f(f(g * g) * keep2));
    const mHat = f(m1 / c1);
    const vHat = f(v1 / c2);
    out.m[i] = m1;
    out.v[i] = v1;
    out.value[i] = f(f(f(mHat / f(f(Math.sqrt(vHat)) + epsilon)) * step) + value[i]!);
  }
}

export function adamUpdateKernel(backendName: HostBackendName): KernelConfig {
  return {
    kernelName: ADAM_UPDATE,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { value, m, v, gradient } = inputs as Record<'value' | 'm' | 'v' | 'gradient', TensorInfo>;
      const host = hostArrays(backendName, backend as KernelBackend);
      const { infos, arrays } = host.outputs([value.shape, value.shape, value.shape]);
      const [newValue, newM, newV] = arrays as [Float32Array, Float32Array, Float32Array];
      adamUpdate(
        host.read(value),
        host.read(m),
        host.read(v),
        host.read(gradient),
        attrs as unknown as AdamUpdateAttrs,
        { value: newValue, m: newM, v: newV },
      );
      return infos;
    },
  };
}
