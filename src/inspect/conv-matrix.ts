/**
 * A convolution as a matrix multiply, for a tiny single-channel case: the output (flattened) is a
 * sparse matrix M times the flattened input. Each row is one output pixel; its nonzero cells hold the
 * kernel's taps at the input pixels the window covers, the same taps in every row (tied weights), and
 * zeros everywhere else. With reflection or another non-zero padding, a border tap lands on a pixel
 * that is already in the window, so a cell may hold the sum of two or more taps.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { CustomPadMode } from '../../nodes/padding-modes';
import { samePadding } from '../../nodes/shape';
import { padImages } from '../compile/padding-layer';
import type { ConvMatrix, MatrixPadding } from '../core/inspect/types';

export const MATRIX_KERNEL = 3;

/** The input index that padded position p (of `n`, `before` added in front) reads, or -1 for a zero. */
function source(p: number, n: number, before: number, padding: MatrixPadding): number {
  const i = p - before;
  if (i >= 0 && i < n) return i;
  switch (padding) {
    case 'reflect':
      return i < 0 ? -i : 2 * (n - 1) - i;
    case 'symmetric':
      return i < 0 ? -i - 1 : 2 * n - 1 - i;
    case 'circular':
      return ((i % n) + n) % n;
    default:
      return -1;
  }
}

export interface MatrixLayout {
  readonly outSize: number;
  readonly cells: ConvMatrix['cells'];
}

/** The matrix of a 3×3 convolution over a size×size input: its nonzero cells and the taps in each. */
export function convMatrixLayout(size: number, stride: number, padding: MatrixPadding): MatrixLayout {
  const k = MATRIX_KERNEL;
  const [before] = padding === 'valid' ? [0] : samePadding(size, k, stride, 1);
  const outSize = padding === 'valid' ? Math.floor((size - k) / stride) + 1 : Math.ceil(size / stride);
  const cells: { row: number; col: number; taps: number[] }[] = [];
  for (let oy = 0; oy < outSize; oy++)
    for (let ox = 0; ox < outSize; ox++) {
      const row = oy * outSize + ox;
      const byCol = new Map<number, number[]>();
      for (let i = 0; i < k; i++)
        for (let j = 0; j < k; j++) {
          const sy = source(oy * stride + i, size, before, padding);
          const sx = source(ox * stride + j, size, before, padding);
          if (sy < 0 || sx < 0) continue;
          const col = sy * size + sx;
          byCol.set(col, [...(byCol.get(col) ?? []), i * k + j]);
        }
      for (const [col, taps] of [...byCol].sort((a, b) => a[0] - b[0])) cells.push({ row, col, taps });
    }
  return { outSize, cells };
}

/** M × input, with M's cells holding the sums of their taps of `kernel`. */
export function multiply(
  layout: MatrixLayout,
  kernel: readonly number[],
  input: readonly number[],
): number[] {
  const out = new Array<number>(layout.outSize * layout.outSize).fill(0);
  for (const { row, col, taps } of layout.cells)
    out[row]! += taps.reduce((s, t) => s + kernel[t]!, 0) * input[col]!;
  return out;
}

/** The same convolution by TensorFlow.js: the app's padding layer (or tf.conv2d's own 'same'), then tf.conv2d. */
export function referenceConv(
  size: number,
  stride: number,
  padding: MatrixPadding,
  kernel: readonly number[],
  input: readonly number[],
): number[] {
  return tf.tidy(() => {
    const x = tf.tensor4d([...input], [1, size, size, 1]);
    const w = tf.tensor4d([...kernel], [MATRIX_KERNEL, MATRIX_KERNEL, 1, 1]);
    if (padding === 'valid' || padding === 'zero')
      return Array.from(tf.conv2d(x, w, stride, padding === 'valid' ? 'valid' : 'same').dataSync());
    const pads = samePadding(size, MATRIX_KERNEL, stride, 1);
    const padded = padImages(x, [pads, pads], padding as CustomPadMode);
    return Array.from(tf.conv2d(padded, w, stride, 'valid').dataSync());
  });
}
