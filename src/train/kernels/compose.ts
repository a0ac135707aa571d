/**
 * Helpers for kernels built from other kernels of the same backend: calling them by name and
 * freeing the intermediate results, so the composed kernel leaks nothing.
 */
import { backend_util, getKernel } from '@tensorflow/tfjs-core';
import type { KernelBackend, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';

/** The attributes tfjs passes to both convolution-gradient kernels. */
export interface ConvGradientAttrs {
  readonly strides: [number, number] | number;
  readonly pad: 'same' | 'valid' | number | backend_util.ExplicitPadding;
  readonly dataFormat: 'NHWC' | 'NCHW';
  readonly dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

type Shape4D = [number, number, number, number];

/** The forward convolution's geometry, from the attributes tfjs passes to a gradient kernel. */
export function forwardConvInfo(
  kernel: string,
  attrs: unknown,
  inputShape: readonly number[],
  filterShape: readonly number[],
): backend_util.Conv2DInfo {
  const { strides, pad, dataFormat, dimRoundingMode } = attrs as ConvGradientAttrs;
  if (dataFormat === 'NCHW') throw new Error(`${kernel}: only NHWC is supported`);
  return backend_util.computeConv2DInfo(
    inputShape as Shape4D,
    filterShape as Shape4D,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
}

export interface Composer {
  /** Runs another kernel; its result is freed when the composed kernel returns, unless returned. */
  temp(kernel: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap): TensorInfo;
  /** Runs the last kernel, whose result is the composed kernel's output. */
  result(kernel: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap): TensorInfo;
}

/** Runs `body` with a Composer and frees every temporary it made, whatever happens. */
export function compose(
  backendName: string,
  backend: KernelBackend,
  body: (c: Composer) => TensorInfo,
): TensorInfo {
  const temps: TensorInfo[] = [];
  const run = (kernel: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap): TensorInfo => {
    const config = getKernel(kernel, backendName);
    if (config === undefined) throw new Error(`${backendName} has no ${kernel} kernel`);
    return config.kernelFunc({ inputs, backend, attrs }) as TensorInfo;
  };
  try {
    return body({
      temp: (kernel, inputs, attrs) => {
        const t = run(kernel, inputs, attrs);
        temps.push(t);
        return t;
      },
      result: run,
    });
  } finally {
    for (const t of temps) backend.disposeData(t.dataId);
  }
}
