/**
 * Checks on a dropped image's pixels before they are fitted to the Input (src/data/resize.ts does
 * that, as for training images), and small pictures of dataset images for the sample strip: each
 * output pixel the mean of the source area it covers.
 */
import type { Grid, RawPixels } from '../core/inspect/types';

/** The largest image side accepted (a bigger file is refused before any work). */
export const MAX_SAMPLE_SIDE = 8192;

/** For each of `out` pixels along one axis: the source pixels it reads and their weights. */
function axisWeights(from: number, length: number, out: number): { index: number[]; weight: number[] }[] {
  const scale = length / out;
  return Array.from({ length: out }, (_, o) => {
    if (scale <= 1) {
      // Enlarging: linear between source pixel centres.
      const f = Math.min(Math.max((o + 0.5) * scale - 0.5, 0), length - 1);
      const i = Math.floor(f);
      const j = Math.min(i + 1, length - 1);
      return { index: [from + i, from + j], weight: [1 - (f - i), f - i] };
    }
    const a = o * scale;
    const b = a + scale;
    const index: number[] = [];
    const weight: number[] = [];
    for (let i = Math.floor(a); i < Math.ceil(b); i++) {
      const cover = Math.min(b, i + 1) - Math.max(a, i);
      if (cover > 0) {
        index.push(from + i);
        weight.push(cover / scale);
      }
    }
    return { index, weight };
  });
}

/** Why these pixels cannot be used; null when they can. */
export function pixelsProblem(p: RawPixels): string | null {
  if (![1, 3, 4].includes(p.channels)) return 'the image must have 1, 3 or 4 channels';
  if (!Number.isInteger(p.width) || !Number.isInteger(p.height) || p.width < 1 || p.height < 1)
    return 'the image has no pixels';
  if (p.width > MAX_SAMPLE_SIDE || p.height > MAX_SAMPLE_SIDE)
    return `the image is ${p.width}×${p.height}; at most ${MAX_SAMPLE_SIDE} pixels a side are taken`;
  if (p.data.length !== p.width * p.height * p.channels)
    return 'the pixel data does not match the image size';
  return null;
}

/** An image grid shrunk (area mean) so its longer side is at most `side` (for picking strips). */
export function shrink(image: Grid, side: number): Grid {
  const factor = Math.max(image.height, image.width) / side;
  if (factor <= 1) return { ...image, values: image.values.slice() };
  const height = Math.max(1, Math.round(image.height / factor));
  const width = Math.max(1, Math.round(image.width / factor));
  const ys = axisWeights(0, image.height, height);
  const xs = axisWeights(0, image.width, width);
  const values = new Float32Array(height * width * image.channels);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < image.channels; c++) {
        let s = 0;
        ys[y]!.index.forEach((sy, a) =>
          xs[x]!.index.forEach((sx, b) => {
            s +=
              ys[y]!.weight[a]! *
              xs[x]!.weight[b]! *
              image.values[(sy * image.width + sx) * image.channels + c]!;
          }),
        );
        values[(y * width + x) * image.channels + c] = s;
      }
  return { height, width, channels: image.channels, values };
}
