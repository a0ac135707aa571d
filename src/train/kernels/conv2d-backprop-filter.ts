/**
 * Conv2DBackpropFilter (the weight gradient of a convolution) computed as one forward convolution,
 * so it runs in the backend's fastest conv code: XNNPACK on wasm, which has no such kernel at all.
 *
 * dW[kh, kw, ci, co] = Σ_b,oh,ow x[b, oh·s + kh, ow·s + kw, ci] · dy[b, oh, ow, co]
 * is a convolution of x (channels as batch, batch as channels) with dy (batch as input channels)
 * at stride 1 and dilation s.
 */
import { backend_util, getKernel } from '@tensorflow/tfjs-core';
import type {
  KernelBackend,
  KernelConfig,
  NamedAttrMap,
  NamedTensorInfoMap,
  TensorInfo,
} from '@tensorflow/tfjs-core';

type Run = (kernel: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap) => TensorInfo;

function runner(backendName: string, backend: KernelBackend): Run {
  return (kernel, inputs, attrs) => {
    const config = getKernel(kernel, backendName);
    if (config === undefined) throw new Error(`${backendName} has no ${kernel} kernel`);
    return config.kernelFunc({ inputs, backend, attrs }) as TensorInfo;
  };
}

export function backpropFilterKernel(backendName: string): KernelConfig {
  return {
    kernelName: 'Conv2DBackpropFilter',
    backendName,
    kernelFunc: ({ inputs, backend: anyBackend, attrs }) => {
      const backend = anyBackend as KernelBackend;
      const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
      const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as {
        strides: [number, number] | number;
        pad: 'same' | 'valid' | number | backend_util.ExplicitPadding;
        dataFormat: 'NHWC' | 'NCHW';
        dimRoundingMode?: 'floor' | 'round' | 'ceil';
        filterShape: [number, number, number, number];
      };
      if (dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter: only NHWC is supported');
      const info = backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number],
        filterShape,
        strides,
        1,
        pad,
        dimRoundingMode,
      );
      const [kh, kw, ci, co] = filterShape;
      const { top, bottom, left, right } = info.padInfo;
      const run = runner(backendName, backend);
      const temps: TensorInfo[] = [];
      const keep = (t: TensorInfo) => (temps.push(t), t);
      try {
        const padded =
          top + bottom + left + right > 0
            ? keep(
                run(
                  'PadV2',
                  { x },
                  {
                    paddings: [
                      [0, 0],
                      [top, bottom],
                      [left, right],
                      [0, 0],
                    ],
                    constantValue: 0,
                  },
                ),
              )
            : x;
        const xt = keep(run('Transpose', { x: padded }, { perm: [3, 1, 2, 0] }));
        const dyt = keep(run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] }));
        let w = keep(
          run(
            'Conv2D',
            { x: xt, filter: dyt },
            {
              strides: [1, 1],
              pad: 'valid',
              dataFormat: 'NHWC',
              dilations: [info.strideHeight, info.strideWidth],
            },
          ),
        );
        // Rows and columns the forward pass never reached (a valid conv whose stride leaves a remainder).
        if (w.shape[1] !== kh || w.shape[2] !== kw)
          w = keep(run('Slice', { x: w }, { begin: [0, 0, 0, 0], size: [ci, kh, kw, co] }));
        return run('Transpose', { x: w }, { perm: [1, 2, 0, 3] });
      } finally {
        for (const t of temps) backend.disposeData(t.dataId);
      }
    },
  };
}
