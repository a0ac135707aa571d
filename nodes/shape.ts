/**
 * Tensor shapes without the batch dimension: [h, w, c] for an image-like tensor, [n] for a vector.
 * Shape arithmetic lives here as tiny pure functions so every node kind uses the same formulas.
 */
export type Shape = readonly number[];
export type ImageShape = readonly [h: number, w: number, c: number];
export type VectorShape = readonly [n: number];

export const isImage = (s: Shape): s is ImageShape => s.length === 3;
export const isVector = (s: Shape): s is VectorShape => s.length === 1;

/** "16×16×32" or "512". */
export function formatShape(s: Shape): string {
  return s.join('×');
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export const elementCount = (s: Shape): number => s.reduce((n, d) => n * d, 1);

export type ConvPadding = 'same' | 'valid';

/** Span of a kernel of size k with dilation d: (k - 1)·d + 1. */
export const effectiveKernel = (kernel: number, dilation: number): number => (kernel - 1) * dilation + 1;

/**
 * Output length of a sliding window along one axis, as TensorFlow computes it.
 * same: ceil(n / s); valid: ceil((n - span + 1) / s), which is ≤ 0 when the window does not fit.
 */
export function convOutputLength(
  length: number,
  kernel: number,
  stride: number,
  dilation: number,
  padding: ConvPadding,
): number {
  if (padding === 'same') return Math.ceil(length / stride);
  return Math.ceil((length - effectiveKernel(kernel, dilation) + 1) / stride);
}

/**
 * The zeros TensorFlow's 'same' padding adds before and after one axis: the total is what makes
 * the window land ceil(n / s) times, and the odd one out goes after.
 */
export function samePadding(
  length: number,
  kernel: number,
  stride: number,
  dilation: number,
): readonly [before: number, after: number] {
  const out = Math.ceil(length / stride);
  const total = Math.max((out - 1) * stride + effectiveKernel(kernel, dilation) - length, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}
