/**
 * Heatmap arithmetic that the page, the command line and the session share: upsampling a coarse map
 * to the image, laying it over the image, and how much of it falls inside a box.
 */
import type { Grid } from './types';

/**
 * Bilinear upsampling of a one-channel map to height × width, sampling at pixel centres (half-pixel
 * centres, edges repeated: PyTorch's align_corners=False, tf.image.resizeBilinear's halfPixelCenters).
 */
export function upsample(map: Grid, height: number, width: number): Float32Array {
  const out = new Float32Array(height * width);
  const sy = map.height / height;
  const sx = map.width / width;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), map.height - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, map.height - 1);
    const wy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), map.width - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, map.width - 1);
      const wx = fx - x0;
      const v = map.values;
      const top = v[y0 * map.width + x0]! * (1 - wx) + v[y0 * map.width + x1]! * wx;
      const bottom = v[y1 * map.width + x0]! * (1 - wx) + v[y1 * map.width + x1]! * wx;
      out[y * width + x] = top * (1 - wy) + bottom * wy;
    }
  }
  return out;
}

/**
 * The share of a heatmap's mass inside a box [x0, y0, x1, y1) (pixels, exclusive ends). The mass is
 * what is drawn: each value above the map's minimum, so a map that is the same everywhere scores the
 * box's share of the image. NaN for a map with no mass.
 */
export function massInside(
  values: ArrayLike<number>,
  width: number,
  box: readonly [number, number, number, number],
): number {
  let lo = Infinity;
  for (let i = 0; i < values.length; i++) lo = Math.min(lo, values[i]!);
  const height = values.length / width;
  let inside = 0;
  let total = 0;
  const [x0, y0, x1, y1] = box;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const m = values[y * width + x]! - lo;
      total += m;
      if (x >= x0 && x < x1 && y >= y0 && y < y1) inside += m;
    }
  // A flat map has no mass anywhere; count it as spread evenly.
  if (total === 0) return ((x1 - x0) * (y1 - y0)) / values.length;
  return inside / total;
}

/** The share of the image a box covers. */
export const boxShare = (box: readonly [number, number, number, number], height: number, width: number) =>
  ((box[2] - box[0]) * (box[3] - box[1])) / (height * width);
