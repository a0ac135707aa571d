/** Pictures for `inspect`: channel grids, bar charts and heatmaps over the image, as RGBA pixels. */
import { paint, rangeOf, imageBytes } from '../core/inspect/colormap';
import type { ValueRange } from '../core/inspect/colormap';
import { upsample } from '../core/inspect/heatmap-math';
import type { Grid, ValueStats } from '../core/inspect/types';
import type { Rgba } from '../core/rgba';

type Raster = Rgba;

/** Small maps are enlarged (nearest neighbour) to at least this many pixels a side. */
const MIN_TILE = 48;
const GAP = 2;
const PAPER = 255;

function blank(width: number, height: number, grey = PAPER): Raster {
  return { width, height, data: new Uint8ClampedArray(width * height * 4).fill(grey) };
}

/** Copies `src` into `dst` at (x, y), each source pixel as a scale × scale block. */
function blit(dst: Raster, src: Raster, x: number, y: number, scale = 1): void {
  for (let sy = 0; sy < src.height * scale; sy++)
    for (let sx = 0; sx < src.width * scale; sx++) {
      const from = (Math.floor(sy / scale) * src.width + Math.floor(sx / scale)) * 4;
      const to = ((y + sy) * dst.width + x + sx) * 4;
      dst.data.set(src.data.subarray(from, from + 4), to);
    }
}

export const scaleFor = (side: number): number => Math.max(1, Math.ceil(MIN_TILE / side));

/**
 * Every channel of a map side by side, each coloured over its own range (or a shared one), in a
 * near-square grid.
 */
export function channelGrid(
  values: Float32Array,
  count: number,
  height: number,
  width: number,
  stats: readonly ValueStats[],
  shared?: ValueRange,
): Raster {
  const scale = scaleFor(Math.max(height, width));
  const cols = Math.ceil(Math.sqrt(count));
  const rows = Math.ceil(count / cols);
  const tw = width * scale;
  const th = height * scale;
  const out = blank(cols * (tw + GAP) + GAP, rows * (th + GAP) + GAP);
  const per = height * width;
  for (let c = 0; c < count; c++) {
    const s = stats[c]!;
    const tile = { width, height, data: new Uint8ClampedArray(per * 4) };
    paint(values, shared ?? { lo: s.min, hi: s.max }, 'viridis', tile.data, c * per, per);
    blit(out, tile, GAP + (c % cols) * (tw + GAP), GAP + Math.floor(c / cols) * (th + GAP), scale);
  }
  return out;
}

/** A vector as bars from a zero line, coloured by value. */
export function barChart(values: Float32Array): Raster {
  const height = 120;
  const bar = Math.max(2, Math.min(12, Math.floor(768 / values.length)));
  const out = blank(values.length * bar + 2 * GAP, height + 2 * GAP);
  const range = rangeOf(values);
  const lo = Math.min(0, range.lo);
  const hi = Math.max(0, range.hi);
  const span = hi - lo || 1;
  const zero = GAP + Math.round(((hi - 0) / span) * height);
  const colour = new Uint8ClampedArray(4);
  values.forEach((v, i) => {
    paint([v], range, 'viridis', colour, 0, 1);
    const top = GAP + Math.round(((hi - Math.max(v, 0)) / span) * height);
    const bottom = GAP + Math.round(((hi - Math.min(v, 0)) / span) * height);
    for (let y = top; y < Math.max(bottom, top + 1); y++)
      for (let x = GAP + i * bar; x < GAP + (i + 1) * bar - (bar > 3 ? 1 : 0); x++)
        out.data.set(colour, (y * out.width + x) * 4);
  });
  for (let x = 0; x < out.width; x++) out.data.set([120, 120, 120, 255], (zero * out.width + x) * 4);
  return out;
}

/** Images are enlarged (nearest neighbour) to at least this many pixels a side. */
const MIN_IMAGE = 256;

/** RGBA pixels of an image's size, enlarged. */
function enlarge(image: Grid, rgba: Uint8ClampedArray): Raster {
  const scale = Math.max(1, Math.ceil(MIN_IMAGE / Math.max(image.height, image.width)));
  const out = blank(image.width * scale, image.height * scale);
  blit(out, { width: image.width, height: image.height, data: rgba }, 0, 0, scale);
  return out;
}

/** The image, enlarged. */
export const imageRaster = (image: Grid): Raster => enlarge(image, imageBytes(image));

/**
 * A heatmap laid over the image: upsampled to the image's pixels, coloured from its minimum to its
 * maximum, mixed with the image at `opacity`; then enlarged like the image.
 */
export function heatmapOverlay(image: Grid, map: Grid, opacity = 0.5): Raster {
  const up = upsample(map, image.height, image.width);
  const heat = paint(up, rangeOf(up), 'viridis', new Uint8ClampedArray(up.length * 4));
  const base = imageBytes(image);
  for (let i = 0; i < base.length; i++)
    if (i % 4 !== 3) base[i] = base[i]! * (1 - opacity) + heat[i]! * opacity;
  return enlarge(image, base);
}
