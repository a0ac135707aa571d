/**
 * Batch normalization in training mode as two kernels instead of about thirty: tfjs-layers computes
 * it from moments (mean, subtract, square, mean), FusedBatchNorm and their gradients, which is a
 * dozen passes over the activation forward and as many back, each a separate kernel. Here the
 * forward pass reads the activation twice and writes it once, the backward pass reads it and the
 * output gradient twice and writes once; per-channel sums are taken in float64.
 *
 * Registered for cpu and wasm, where TypeScript over the tensors' own memory beats the chains of
 * small WebAssembly kernels it replaces (src/compile/batch-norm-layer.ts falls back to tfjs-layers'
 * own code on backends without the kernel).
 */
import * as tf from '@tensorflow/tfjs-core';
import type {
  GradConfig,
  KernelBackend,
  KernelConfig,
  NamedAttrMap,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { BATCH_NORM_TRAINING } from '../../compile/batch-norm-layer';
import type { HostBackendName } from './host-arrays';
import { hostArrays } from './host-arrays';
import type { SimdKernels } from './simd/module';
import { simdKernels } from './simd/module';

export const BATCH_NORM_TRAINING_GRAD = 'BatchNormTrainingGrad';

/** y = (x − mean)/√(variance + ε)·scale + offset over the last axis; mean and variance of the batch. */
export function batchNormForward(
  x: Float32Array,
  scale: Float32Array,
  offset: Float32Array,
  epsilon: number,
  out: { y: Float32Array; mean: Float32Array; variance: Float32Array },
): void {
  const channels = scale.length;
  const rows = x.length / channels;
  const acc = new Float64Array(channels);
  for (let i = 0; i < x.length; i += channels) for (let c = 0; c < channels; c++) acc[c]! += x[i + c]!;
  const mean = new Float64Array(channels);
  for (let c = 0; c < channels; c++) mean[c] = acc[c]! / rows;
  acc.fill(0);
  for (let i = 0; i < x.length; i += channels)
    for (let c = 0; c < channels; c++) {
      const d = x[i + c]! - mean[c]!;
      acc[c]! += d * d;
    }
  const mul = new Float64Array(channels);
  const add = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    const variance = acc[c]! / rows;
    out.mean[c] = mean[c]!;
    out.variance[c] = variance;
    mul[c] = scale[c]! / Math.sqrt(variance + epsilon);
    add[c] = offset[c]! - mean[c]! * mul[c]!;
  }
  const { y } = out;
  for (let i = 0; i < x.length; i += channels)
    for (let c = 0; c < channels; c++) y[i + c] = x[i + c]! * mul[c]! + add[c]!;
}

/**
 * Gradients of batchNormForward's y (through the batch statistics) for x, scale and offset, given
 * dy and optionally gradients arriving at the mean and variance outputs themselves.
 */
export function batchNormBackward(
  dy: Float32Array,
  x: Float32Array,
  mean: Float32Array,
  variance: Float32Array,
  scale: Float32Array,
  epsilon: number,
  extra: { dMean?: Float32Array; dVariance?: Float32Array },
  out: { dx: Float32Array; dScale: Float32Array; dOffset: Float32Array },
): void {
  const channels = scale.length;
  const rows = x.length / channels;
  const sumDy = new Float64Array(channels);
  const sumDyCentred = new Float64Array(channels);
  for (let i = 0; i < x.length; i += channels)
    for (let c = 0; c < channels; c++) {
      const g = dy[i + c]!;
      sumDy[c]! += g;
      sumDyCentred[c]! += g * (x[i + c]! - mean[c]!);
    }
  // dx = a·dy + b·x + d per channel: the normalisation's Jacobian applied to dy, plus the direct
  // paths into the mean (1/n each) and the variance (2(x − mean)/n each).
  const a = new Float64Array(channels);
  const b = new Float64Array(channels);
  const d = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    const inverseStd = 1 / Math.sqrt(variance[c]! + epsilon);
    const dHat = sumDyCentred[c]! * inverseStd; // Σ dy · x̂
    out.dOffset[c] = sumDy[c]!;
    out.dScale[c] = dHat;
    const k = scale[c]! * inverseStd;
    const m = mean[c]!;
    const dMean = extra.dMean?.[c] ?? 0;
    const twoDVar = 2 * (extra.dVariance?.[c] ?? 0);
    a[c] = k;
    b[c] = (-k * inverseStd * dHat + twoDVar) / rows;
    d[c] = (-k * sumDy[c]! + k * inverseStd * dHat * m + dMean - twoDVar * m) / rows;
  }
  const { dx } = out;
  for (let i = 0; i < x.length; i += channels)
    for (let c = 0; c < channels; c++) dx[i + c] = a[c]! * dy[i + c]! + b[c]! * x[i + c]! + d[c]!;
}

const channelsOf = (x: TensorInfo) => x.shape[x.shape.length - 1]!;

/** The SIMD loops, on wasm, for channel counts they handle (multiples of 4). */
function simdFor(name: HostBackendName, backend: KernelBackend, channels: number): SimdKernels | undefined {
  return name === 'wasm' && channels % 4 === 0 ? simdKernels(backend) : undefined;
}

const rowsOf = (x: TensorInfo) => x.shape.reduce((a, b) => a * b, 1) / channelsOf(x);

/** batchNormForward with SIMD passes; the per-channel arithmetic in float64 here. */
function simdForward(
  k: SimdKernels,
  x: TensorInfo,
  scale: TensorInfo,
  offset: TensorInfo,
  epsilon: number,
  [y, meanOut, varianceOut]: [TensorInfo, TensorInfo, TensorInfo],
): void {
  const c = channelsOf(x);
  const rows = rowsOf(x);
  k.withScratch(16 * c, (sums) => {
    const mulAt = sums + 8 * c;
    const addAt = sums + 12 * c;
    const [xAt, meanAt, varianceAt] = [x, meanOut, varianceOut].map(k.offsetOf) as [number, number, number];
    k.zero(sums, 8 * c);
    k.channelSums(xAt, rows, c, sums);
    const heap = k.heap();
    const sum = new Float64Array(heap, sums, c);
    const mean = new Float32Array(heap, meanAt, c);
    for (let i = 0; i < c; i++) mean[i] = sum[i]! / rows;
    const exactMean = Float64Array.from(sum, (v) => v / rows);
    k.zero(sums, 8 * c);
    k.centredSquareSums(xAt, rows, c, meanAt, sums);
    const centred = sum; // the same scratch, now Σ (x − m̃)²
    const variance = new Float32Array(heap, varianceAt, c);
    const mul = new Float32Array(heap, mulAt, c);
    const add = new Float32Array(heap, addAt, c);
    const gamma = new Float32Array(heap, k.offsetOf(scale), c);
    const beta = new Float32Array(heap, k.offsetOf(offset), c);
    for (let i = 0; i < c; i++) {
      // Σ (x − m̃)² with the float32 mean m̃: remove the (m − m̃)² bias it adds.
      const shift = exactMean[i]! - mean[i]!;
      const v = Math.max(0, centred[i]! / rows - shift * shift);
      variance[i] = v;
      mul[i] = gamma[i]! / Math.sqrt(v + epsilon);
      add[i] = beta[i]! - exactMean[i]! * mul[i]!;
    }
    k.scaleShift(xAt, rows, c, mulAt, addAt, k.offsetOf(y));
  });
}

/** batchNormBackward with SIMD passes. */
function simdBackward(
  k: SimdKernels,
  t: Record<'dy' | 'x' | 'mean' | 'variance' | 'scale', TensorInfo> &
    Record<'dMean' | 'dVariance', TensorInfo | undefined>,
  epsilon: number,
  [dxOut, dScaleOut, dOffsetOut]: [TensorInfo, TensorInfo, TensorInfo],
): void {
  const c = channelsOf(t.x);
  const rows = rowsOf(t.x);
  k.withScratch(28 * c, (sums) => {
    const centredAt = sums + 8 * c;
    const aAt = sums + 16 * c;
    const bAt = sums + 20 * c;
    const dAt = sums + 24 * c;
    const [dyAt, xAt, meanAt] = [t.dy, t.x, t.mean].map(k.offsetOf) as [number, number, number];
    k.zero(sums, 16 * c);
    k.gradientSums(dyAt, xAt, rows, c, meanAt, sums, centredAt);
    const heap = k.heap();
    const sumDy = new Float64Array(heap, sums, c);
    const sumDyCentred = new Float64Array(heap, centredAt, c);
    const mean = new Float32Array(heap, meanAt, c);
    const variance = new Float32Array(heap, k.offsetOf(t.variance), c);
    const gamma = new Float32Array(heap, k.offsetOf(t.scale), c);
    const dScale = new Float32Array(heap, k.offsetOf(dScaleOut), c);
    const dOffset = new Float32Array(heap, k.offsetOf(dOffsetOut), c);
    const [a, b, d] = [aAt, bAt, dAt].map((at) => new Float32Array(heap, at, c)) as [
      Float32Array,
      Float32Array,
      Float32Array,
    ];
    const dMean = t.dMean && new Float32Array(heap, k.offsetOf(t.dMean), c);
    const dVariance = t.dVariance && new Float32Array(heap, k.offsetOf(t.dVariance), c);
    for (let i = 0; i < c; i++) {
      const inverseStd = 1 / Math.sqrt(variance[i]! + epsilon);
      const dHat = sumDyCentred[i]! * inverseStd;
      dOffset[i] = sumDy[i]!;
      dScale[i] = dHat;
      // As in batchNormBackward.
      const g = gamma[i]! * inverseStd;
      const m = mean[i]!;
      const twoDVar = 2 * (dVariance?.[i] ?? 0);
      a[i] = g;
      b[i] = (-g * inverseStd * dHat + twoDVar) / rows;
      d[i] = (-g * sumDy[i]! + g * inverseStd * dHat * m + (dMean?.[i] ?? 0) - twoDVar * m) / rows;
    }
    k.affine2(dyAt, xAt, rows, c, aAt, bAt, dAt, k.offsetOf(dxOut));
  });
}

export function batchNormTrainingKernel(backendName: HostBackendName): KernelConfig {
  return {
    kernelName: BATCH_NORM_TRAINING,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, scale, offset } = inputs as { x: TensorInfo; scale: TensorInfo; offset: TensorInfo };
      const host = hostArrays(backendName, backend as KernelBackend);
      const c = channelsOf(x);
      const { infos, arrays } = host.outputs([x.shape, [c], [c]]);
      const simd = simdFor(backendName, backend as KernelBackend, c);
      if (simd !== undefined) {
        simdForward(
          simd,
          x,
          scale,
          offset,
          attrs!['epsilon'] as number,
          infos as [TensorInfo, TensorInfo, TensorInfo],
        );
        return infos;
      }
      const [y, mean, variance] = arrays as [Float32Array, Float32Array, Float32Array];
      batchNormForward(host.read(x), host.read(scale), host.read(offset), attrs!['epsilon'] as number, {
        y,
        mean,
        variance,
      });
      return infos;
    },
  };
}

export function batchNormTrainingGradKernel(backendName: HostBackendName): KernelConfig {
  return {
    kernelName: BATCH_NORM_TRAINING_GRAD,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { dy, x, mean, variance, scale, dMean, dVariance } = inputs as Record<string, TensorInfo>;
      const host = hostArrays(backendName, backend as KernelBackend);
      const c = channelsOf(x!);
      const { infos, arrays } = host.outputs([x!.shape, [c], [c]]);
      const simd = simdFor(backendName, backend as KernelBackend, c);
      if (simd !== undefined) {
        simdBackward(
          simd,
          { dy: dy!, x: x!, mean: mean!, variance: variance!, scale: scale!, dMean, dVariance },
          attrs!['epsilon'] as number,
          infos as [TensorInfo, TensorInfo, TensorInfo],
        );
        return infos;
      }
      const [dx, dScale, dOffset] = arrays as [Float32Array, Float32Array, Float32Array];
      batchNormBackward(
        host.read(dy!),
        host.read(x!),
        host.read(mean!),
        host.read(variance!),
        host.read(scale!),
        attrs!['epsilon'] as number,
        {
          ...(dMean ? { dMean: host.read(dMean) } : {}),
          ...(dVariance ? { dVariance: host.read(dVariance) } : {}),
        },
        { dx, dScale, dOffset },
      );
      return infos;
    },
  };
}

export const batchNormTrainingGradient: GradConfig = {
  kernelName: BATCH_NORM_TRAINING,
  inputsToSave: ['x', 'scale'],
  outputsToSave: [false, true, true],
  gradFunc: (dys: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: NamedAttrMap) => {
    // (The engine passes zeros for outputs nothing downstream used.)
    const [dy, dMean, dVariance] = dys as (tf.Tensor | null)[];
    const [x, scale, mean, variance] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    // One kernel computes all three; the engine asks for each in turn, and this scope owns them.
    const [dx, dScale, dOffset] = tf.engine().runKernel(
      BATCH_NORM_TRAINING_GRAD,
      {
        dy: dy ?? tf.zerosLike(x),
        x,
        mean,
        variance,
        scale,
        ...(dMean ? { dMean } : {}),
        ...(dVariance ? { dVariance } : {}),
      },
      { epsilon: attrs['epsilon'] as number },
    ) as tf.Tensor[];
    return { x: () => dx!, scale: () => dScale!, offset: () => dOffset! };
  },
};
