/**
 * Conv2DBackpropInput (the input gradient of a convolution) computed with forward convolutions, which
 * run in XNNPACK on wasm — several times faster than the backend's own kernel for strided ones.
 *
 * The output gradient, padded, convolved with the kernel turned 180° and its channel axes swapped.
 * At stride s > 1, input rows of one phase (i + pad ≡ r mod s) receive only the kernel taps r, r + s,
 * r + 2s, …, so each of the s × s phases is a small convolution of the unspread output gradient with
 * that sub-kernel, and the phases are interleaved into the result — a quarter of the work of
 * convolving a zero-spread gradient at stride 2. Stride 1 is the one-phase case.
 */
import type { KernelBackend, KernelConfig, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { backend_util } from '@tensorflow/tfjs-core';
import type { Composer } from './compose';
import { compose, forwardConvInfo } from './compose';
import type { SimdKernels } from './simd/module';
import { simdKernels } from './simd/module';

interface WasmOutputs {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
}

/**
 * Strided, on wasm: every output pixel's contribution to the input gradient at once, as one matrix
 * product in XNNPACK, cols = dy [pixels, co] · Wᵀ [co, kh·kw·ci], then a SIMD loop adds each row's
 * taps into place (col2im). No phases to join, no operator per phase.
 */
function byColumns(
  { temp }: Composer,
  simd: SimdKernels,
  backend: WasmOutputs,
  dy: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const [kh, kw, ci, co] = filter.shape as [number, number, number, number];
  const pixels = info.batchSize * info.outHeight * info.outWidth;
  const wt = temp('Transpose', { x: filter }, { perm: [3, 0, 1, 2] });
  const b = temp('Reshape', { x: wt }, { shape: [1, co, kh * kw * ci] });
  const a = temp('Reshape', { x: dy }, { shape: [1, pixels, co] });
  const cols = temp('BatchMatMul', { a, b }, { transposeA: false, transposeB: false });
  const dx = backend.makeOutput([info.batchSize, info.inHeight, info.inWidth, ci], 'float32');
  const dxAt = simd.offsetOf(dx);
  simd.zero(dxAt, info.batchSize * info.inHeight * info.inWidth * ci * 4);
  simd.col2im(
    simd.offsetOf(cols),
    dxAt,
    info.batchSize,
    info.inHeight,
    info.inWidth,
    ci,
    info.outHeight,
    info.outWidth,
    kh,
    kw,
    info.strideHeight,
    info.strideWidth,
    info.padInfo.top,
    info.padInfo.left,
  );
  return dx;
}

export function backpropInputKernel(backendName: string): KernelConfig {
  return {
    kernelName: 'Conv2DBackpropInput',
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
      const { inputShape } = attrs as unknown as { inputShape: [number, number, number, number] };
      const info = forwardConvInfo('Conv2DBackpropInput', attrs, inputShape, filter.shape);
      const [batch, height, width] = inputShape;
      const strided = info.strideHeight > 1 || info.strideWidth > 1;
      const simd = strided && backendName === 'wasm' ? simdKernels(backend as KernelBackend) : undefined;
      if (simd !== undefined)
        return compose(backendName, backend as KernelBackend, (c) =>
          byColumns(c, simd, backend as unknown as WasmOutputs, dy, filter, info),
        );
      return compose(backendName, backend as KernelBackend, (c) =>
        byPhase(c, dy, filter, {
          batch,
          height,
          width,
          strides: [info.strideHeight, info.strideWidth],
          pads: [info.padInfo.top, info.padInfo.left],
        }),
      );
    },
  };
}

interface PhaseGeometry {
  readonly batch: number;
  readonly height: number;
  readonly width: number;
  readonly strides: readonly [number, number];
  /** Padding before the first row and column. */
  readonly pads: readonly [number, number];
}

/** Pads (positive) or crops (negative) rows and columns of an NHWC tensor. */
function reframe(
  { temp }: Composer,
  x: TensorInfo,
  [top, bottom, left, right]: readonly [number, number, number, number],
): TensorInfo {
  let out = x;
  if (top > 0 || bottom > 0 || left > 0 || right > 0)
    out = temp(
      'PadV2',
      { x: out },
      {
        paddings: [
          [0, 0],
          [Math.max(0, top), Math.max(0, bottom)],
          [Math.max(0, left), Math.max(0, right)],
          [0, 0],
        ],
        constantValue: 0,
      },
    );
  if (top < 0 || bottom < 0 || left < 0 || right < 0) {
    const [b, h, w, c] = out.shape as [number, number, number, number];
    const t = Math.max(0, -top);
    const l = Math.max(0, -left);
    out = temp(
      'Slice',
      { x: out },
      { begin: [0, t, l, 0], size: [b, h - t - Math.max(0, -bottom), w - l - Math.max(0, -right), c] },
    );
  }
  return out;
}

function byPhase(c: Composer, dy: TensorInfo, filter: TensorInfo, g: PhaseGeometry): TensorInfo {
  const { temp, result } = c;
  const [kh, kw, ci] = filter.shape as [number, number, number, number];
  const [, oh, ow] = dy.shape as [number, number, number, number];
  const [sh, sw] = g.strides;
  // Output rows i = y·s + slot; slot `a` holds the input rows whose taps start at r = (a + pad) mod s.
  const rows = Math.ceil(g.height / sh);
  const cols = Math.ceil(g.width / sw);
  const slots: TensorInfo[] = [];
  for (let a = 0; a < sh; a++) {
    const r = (a + g.pads[0]) % sh;
    const shiftRows = (a + g.pads[0] - r) / sh;
    const tapsH = Math.max(0, Math.ceil((kh - r) / sh));
    const row: TensorInfo[] = [];
    for (let b = 0; b < sw; b++) {
      const q = (b + g.pads[1]) % sw;
      const shiftCols = (b + g.pads[1] - q) / sw;
      const tapsW = Math.max(0, Math.ceil((kw - q) / sw));
      let phase: TensorInfo;
      if (tapsH === 0 || tapsW === 0) {
        phase = temp('Fill', {}, { shape: [g.batch, rows, cols, ci], value: 0, dtype: 'float32' });
      } else {
        // Taps r, r+s, … of the kernel, turned 180°, channels swapped: [tapsH, tapsW, co, ci].
        const taps = temp(
          'StridedSlice',
          { x: filter },
          {
            begin: [r, q, 0, 0],
            end: [kh, kw, filter.shape[2]!, filter.shape[3]!],
            strides: [sh, sw, 1, 1],
            beginMask: 0,
            endMask: 0,
            ellipsisMask: 0,
            newAxisMask: 0,
            shrinkAxisMask: 0,
          },
        );
        const flipped = temp('Reverse', { x: taps }, { dims: [0, 1] });
        const kernel = temp('Transpose', { x: flipped }, { perm: [0, 1, 3, 2] });
        // Result row y needs dy rows y + shift − (taps − 1) … y + shift.
        const top = tapsH - 1 - shiftRows;
        const left = tapsW - 1 - shiftCols;
        const framed = reframe(c, dy, [top, rows + tapsH - 1 - top - oh, left, cols + tapsW - 1 - left - ow]);
        const conv = [
          'Conv2D',
          { x: framed, filter: kernel },
          { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1] },
        ] as const;
        // At stride 1 there is one phase, and it is the whole answer.
        if (sh === 1 && sw === 1) return result(...conv);
        phase = temp(...conv);
      }
      row.push(temp('Reshape', { x: phase }, { shape: [g.batch, rows, 1, cols, 1, ci] }));
    }
    slots.push(temp('Concat', row as unknown as NamedTensorInfoMap, { axis: 4 }));
  }
  const grid = temp('Concat', slots as unknown as NamedTensorInfoMap, { axis: 2 });
  const full = temp('Reshape', { x: grid }, { shape: [g.batch, rows * sh, cols * sw, ci] });
  return result('Slice', { x: full }, { begin: [0, 0, 0, 0], size: [g.batch, g.height, g.width, ci] });
}
