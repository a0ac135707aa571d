/**
 * Conv2DBackpropFilter (the weight gradient of a convolution) computed as one forward convolution,
 * so it runs in the backend's fastest conv code: XNNPACK on wasm, which has no such kernel at all.
 *
 * dW[kh, kw, ci, co] = Σ_b,oh,ow x[b, oh·s + kh, ow·s + kw, ci] · dy[b, oh, ow, co]
 * is a convolution of x (channels as batch, batch as channels) with dy (batch as input channels)
 * at stride 1 and dilation s.
 */
import type { KernelBackend, KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { compose, forwardConvInfo } from './compose';
import { simdKernels } from './simd/module';

interface WasmOutputs {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
}

export function backpropFilterKernel(backendName: string): KernelConfig {
  return {
    kernelName: 'Conv2DBackpropFilter',
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
      const { filterShape } = attrs as unknown as { filterShape: [number, number, number, number] };
      const info = forwardConvInfo('Conv2DBackpropFilter', attrs, x.shape, filterShape);
      const [kh, kw, ci, co] = filterShape;
      const { top, bottom, left, right } = info.padInfo;
      // On wasm, a SIMD loop straight over x and dy (no transposes, no XNNPACK operator to build and
      // pack a filter for), for output channels in eights.
      const simd = backendName === 'wasm' && co % 8 === 0 ? simdKernels(backend as KernelBackend) : undefined;
      if (simd !== undefined) {
        const dw = (backend as unknown as WasmOutputs).makeOutput([kh, kw, ci, co], 'float32');
        const dwAt = simd.offsetOf(dw);
        simd.zero(dwAt, kh * kw * ci * co * 4);
        simd.convFilterGrad(
          simd.offsetOf(x),
          simd.offsetOf(dy),
          dwAt,
          info.batchSize,
          info.inHeight,
          info.inWidth,
          ci,
          info.outHeight,
          info.outWidth,
          co,
          kh,
          kw,
          info.strideHeight,
          info.strideWidth,
          top,
          left,
        );
        return dw;
      }
      return compose(backendName, backend as KernelBackend, ({ temp, result }) => {
        const padded =
          top + bottom + left + right > 0
            ? temp(
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
              )
            : x;
        const xt = temp('Transpose', { x: padded }, { perm: [3, 1, 2, 0] });
        const dyt = temp('Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
        let w = temp(
          'Conv2D',
          { x: xt, filter: dyt },
          {
            strides: [1, 1],
            pad: 'valid',
            dataFormat: 'NHWC',
            dilations: [info.strideHeight, info.strideWidth],
          },
        );
        // Rows and columns the forward pass never reached (a valid conv whose stride leaves a remainder).
        if (w.shape[1] !== kh || w.shape[2] !== kw)
          w = temp('Slice', { x: w }, { begin: [0, 0, 0, 0], size: [ci, kh, kw, co] });
        return result('Transpose', { x: w }, { perm: [1, 2, 0, 3] });
      });
    },
  };
}
