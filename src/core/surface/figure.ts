/**
 * Whole pictures from slices and runs, as RGBA pixels: surfaces side by side on one colour scale
 * (the command line's PNG, the page's export), and training curves overlaid.
 */
import type { Box, Colour, Rgba, Series } from './raster';
import { blank, drawColourBar, drawCurves, drawSurface, fillRect, line } from './raster';
import type { LogScale } from './scale';
import { logScaleOf } from './scale';
import { isPlane } from './types';
import type { Surface } from './types';

/** The two sides of a comparison: the plain network in orange, the residual one in blue. */
export const SIDE_COLOURS: readonly Colour[] = [
  [230, 120, 20],
  [40, 110, 220],
];

const MARGIN = 16;
const BAR = 14;

/** One scale for all the surfaces shown together. */
export const sharedScale = (surfaces: readonly Surface[]): LogScale | undefined =>
  logScaleOf(surfaces.map((s) => s.loss));

/** Plane slices as heatmaps with contours (lines as curves), side by side, with the colour bar. */
export function surfacesImage(surfaces: readonly Surface[], panel = 320): Rgba {
  const width = MARGIN + surfaces.length * (panel + MARGIN) + BAR + MARGIN;
  const img = blank(width, panel + 2 * MARGIN);
  const scale = sharedScale(surfaces) ?? { lo: 1e-3, hi: 1 };
  surfaces.forEach((s, k) => {
    const box: Box = { x: MARGIN + k * (panel + MARGIN), y: MARGIN, w: panel, h: panel };
    if (isPlane(s.kind)) drawSurface(img, box, s, scale);
    else {
      fillRect(img, box, [250, 250, 250]);
      const finite = Array.from(s.loss).filter(Number.isFinite);
      const [lo, hi] = [Math.min(...finite), Math.max(...finite)];
      const pad = Math.max((hi - lo) * 0.08, 1e-6);
      const series = [{ x: s.xs, y: Array.from(s.loss), colour: SIDE_COLOURS[k % 2]! }];
      drawCurves(img, box, series, [s.xs[0]!, s.xs.at(-1)!], [lo - pad, hi + pad]);
    }
  });
  if (surfaces.some((s) => isPlane(s.kind)))
    drawColourBar(img, { x: width - MARGIN - BAR, y: MARGIN, w: BAR, h: panel });
  return img;
}

/** Exponential moving average, as training charts smooth per-batch losses. */
export function smoothed(values: readonly number[], weight = 0.9): number[] {
  let s = values[0] ?? 0;
  return values.map((v) => (s = weight * s + (1 - weight) * v));
}

/** Training-loss curves of several runs overlaid (per batch, smoothed), one colour each. */
export function curvesImage(runs: readonly (readonly number[])[], width = 640, height = 320): Rgba {
  const img = blank(width, height);
  const box: Box = { x: MARGIN, y: MARGIN, w: width - 2 * MARGIN, h: height - 2 * MARGIN };
  const longest = Math.max(1, ...runs.map((r) => r.length));
  const top = Math.max(1e-6, ...runs.flatMap((r) => r.filter(Number.isFinite)));
  const series: Series[] = runs.map((r, k) => ({
    x: r.map((_, i) => i + 1),
    y: smoothed(r),
    colour: SIDE_COLOURS[k % SIDE_COLOURS.length]!,
  }));
  drawCurves(img, box, series, [1, longest], [0, top * 1.05]);
  line(img, box.x, box.y + box.h, box.x + box.w, box.y + box.h, [120, 120, 120], 1);
  return img;
}
