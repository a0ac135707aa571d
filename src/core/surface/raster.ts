/**
 * Loss surfaces and curves drawn into plain RGBA pixels: a heatmap, log-spaced contour lines and the
 * training path. The page puts these pixels on a canvas (and writes its labels over them); the
 * command line encodes the same pixels as PNG, so both show the same picture.
 */
import { contours } from 'd3-contour';
import type { Rgba } from '../rgba';
import { filled } from './grid';
import type { LogScale } from './scale';
import { logLevels, position, viridis } from './scale';
import type { Surface } from './types';

export type { Rgba };

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export type Colour = readonly [number, number, number];

export function blank(width: number, height: number, colour: Colour = [255, 255, 255]): Rgba {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set([colour[0], colour[1], colour[2], 255], i * 4);
  return { width, height, data };
}

/** Blends `colour` into pixel (x, y) with opacity `alpha`. */
function blend(img: Rgba, x: number, y: number, colour: Colour, alpha: number): void {
  const [px, py] = [Math.round(x), Math.round(y)];
  if (px < 0 || py < 0 || px >= img.width || py >= img.height || alpha <= 0) return;
  const i = (py * img.width + px) * 4;
  for (let c = 0; c < 3; c++) img.data[i + c] = img.data[i + c]! * (1 - alpha) + colour[c]! * alpha;
}

/** An anti-aliased line `width` pixels wide (a capsule, filled by distance). */
export function line(
  img: Rgba,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  colour: Colour,
  width = 1.5,
  alpha = 1,
): void {
  const r = width / 2;
  const [minX, maxX] = [Math.floor(Math.min(x0, x1) - r - 1), Math.ceil(Math.max(x0, x1) + r + 1)];
  const [minY, maxY] = [Math.floor(Math.min(y0, y1) - r - 1), Math.ceil(Math.max(y0, y1) + r + 1)];
  const [dx, dy] = [x1 - x0, y1 - y0];
  const length2 = dx * dx + dy * dy;
  for (let y = minY; y <= maxY; y++)
    for (let x = minX; x <= maxX; x++) {
      const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - x0) * dx + (y - y0) * dy) / length2));
      const d = Math.hypot(x - (x0 + t * dx), y - (y0 + t * dy));
      blend(img, x, y, colour, alpha * Math.max(0, Math.min(1, r + 0.5 - d)));
    }
}

export function disc(img: Rgba, cx: number, cy: number, radius: number, colour: Colour): void {
  for (let y = Math.floor(cy - radius - 1); y <= cy + radius + 1; y++)
    for (let x = Math.floor(cx - radius - 1); x <= cx + radius + 1; x++)
      blend(img, x, y, colour, Math.max(0, Math.min(1, radius + 0.5 - Math.hypot(x - cx, y - cy))));
}

export function fillRect(img: Rgba, box: Box, colour: Colour): void {
  for (let y = Math.round(box.y); y < Math.round(box.y + box.h); y++)
    for (let x = Math.round(box.x); x < Math.round(box.x + box.w); x++) blend(img, x, y, colour, 1);
}

/** Maps a grid position (column i, row j; row 0 at the bottom) to pixels in `box`. */
export function gridToPixel(box: Box, nx: number, ny: number, i: number, j: number): [number, number] {
  return [
    box.x + (nx > 1 ? i / (nx - 1) : 0.5) * box.w,
    box.y + box.h - (ny > 1 ? j / (ny - 1) : 0.5) * box.h,
  ];
}

/** Maps surface coordinates (along d1, d2) to pixels in `box`. */
export function coordToPixel(
  box: Box,
  s: Pick<Surface, 'xs' | 'ys'>,
  x: number,
  y: number,
): [number, number] {
  const [x0, x1] = [s.xs[0]!, s.xs.at(-1)!];
  const [y0, y1] = [s.ys[0]!, s.ys.at(-1)!];
  return [box.x + ((x - x0) / (x1 - x0)) * box.w, box.y + box.h - ((y - y0) / (y1 - y0)) * box.h];
}

const PATH: Colour = [255, 80, 60];
const CONTOUR: Colour = [255, 255, 255];

/** Values on a slice's grid (losses or accuracies), with the path if the slice has one. */
export type GridValues = Pick<Surface, 'xs' | 'ys' | 'path'> & { readonly values: Float32Array };

/**
 * A plane slice in `box`: a heatmap of its values (gaps of a refining grid filled in), contour lines
 * at `levels`, and the training path if there is one.
 */
export function drawGrid(
  img: Rgba,
  box: Box,
  grid: GridValues,
  colourOf: (v: number) => Colour,
  levels: readonly number[],
): void {
  const nx = grid.xs.length;
  const ny = grid.ys.length;
  const values = filled(grid.values, nx, ny);
  const at = (i: number, j: number) => values[Math.min(ny - 1, j) * nx + Math.min(nx - 1, i)]!;
  for (let py = 0; py < box.h; py++)
    for (let px = 0; px < box.w; px++) {
      const u = (px / Math.max(1, box.w - 1)) * (nx - 1);
      const v = (1 - py / Math.max(1, box.h - 1)) * (ny - 1);
      const [i, j] = [Math.floor(u), Math.floor(v)];
      const [fu, fv] = [u - i, v - j];
      const value =
        (1 - fv) * ((1 - fu) * at(i, j) + fu * at(i + 1, j)) +
        fv * ((1 - fu) * at(i, j + 1) + fu * at(i + 1, j + 1));
      blend(img, box.x + px, box.y + py, Number.isNaN(value) ? [200, 200, 200] : colourOf(value), 1);
    }
  // Contours need every point: while the coarsest lattice is still coming there are none.
  if (levels.length > 0 && values.every((v) => !Number.isNaN(v))) {
    const border = (a: number, n: number) => a <= 0.5 || a >= n - 0.5;
    const finite = Array.from(values, (v) => (Number.isFinite(v) ? v : Number.MAX_VALUE));
    const rings = contours()
      .size([nx, ny])
      .thresholds([...levels])(finite)
      .flatMap((c) => c.coordinates.flat());
    for (const ring of rings)
      for (let k = 1; k < ring.length; k++) {
        const [a, b] = [ring[k - 1]!, ring[k]!];
        const along = (d: 0 | 1, n: number) => border(a[d]!, n) && border(b[d]!, n) && a[d] === b[d];
        if (along(0, nx) || along(1, ny)) continue;
        const [ax, ay] = gridToPixel(box, nx, ny, a[0]! - 0.5, a[1]! - 0.5);
        const [bx, by] = gridToPixel(box, nx, ny, b[0]! - 0.5, b[1]! - 0.5);
        line(img, ax, ay, bx, by, CONTOUR, 1.2, 0.7);
      }
  }
  if (grid.path !== undefined) drawPath(img, box, grid);
}

/** A slice's losses on a log colour scale with log-spaced contours. */
export function drawSurface(
  img: Rgba,
  box: Box,
  surface: Surface,
  scale: LogScale,
  levels = logLevels(scale),
): void {
  drawGrid(img, box, { ...surface, values: surface.loss }, (v) => viridis(position(scale, v)), levels);
}

/** The training path over a slice: a line through the snapshots, a ring at the start, a dot at the end. */
export function drawPath(img: Rgba, box: Box, surface: Pick<Surface, 'xs' | 'ys' | 'path'>): void {
  const path = surface.path!;
  const points = path.x.map((x, k) => coordToPixel(box, surface, x, path.y[k]!));
  for (let k = 1; k < points.length; k++) {
    const [a, b] = [points[k - 1]!, points[k]!];
    line(img, a[0], a[1], b[0], b[1], [20, 20, 20], 3.5, 0.6);
    line(img, a[0], a[1], b[0], b[1], PATH, 2);
  }
  for (const [x, y] of points.slice(1, -1)) disc(img, x, y, 2.2, PATH);
  const [start, end] = [points[0]!, points.at(-1)!];
  disc(img, start[0], start[1], 5, [255, 255, 255]);
  disc(img, start[0], start[1], 3.5, PATH);
  disc(img, end[0], end[1], 5, [20, 20, 20]);
  disc(img, end[0], end[1], 3.5, [255, 255, 255]);
}

export interface Series {
  readonly x: readonly number[];
  readonly y: readonly number[];
  readonly colour: Colour;
}

/** Curves in `box` over the given ranges, with light horizontal grid lines. */
export function drawCurves(
  img: Rgba,
  box: Box,
  series: readonly Series[],
  xRange: readonly [number, number],
  yRange: readonly [number, number],
): void {
  for (let k = 0; k <= 4; k++) {
    const y = box.y + (box.h * k) / 4;
    line(img, box.x, y, box.x + box.w, y, [225, 225, 225], 1);
  }
  const px = (x: number) => box.x + ((x - xRange[0]) / (xRange[1] - xRange[0] || 1)) * box.w;
  const py = (y: number) => box.y + box.h - ((y - yRange[0]) / (yRange[1] - yRange[0] || 1)) * box.h;
  for (const s of series)
    for (let k = 1; k < s.x.length; k++) {
      const [a, b] = [s.y[k - 1]!, s.y[k]!];
      if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
      line(img, px(s.x[k - 1]!), py(a), px(s.x[k]!), py(b), s.colour, 2);
    }
}

/** The colour bar of a log scale, bottom (low) to top (high). */
export function drawColourBar(img: Rgba, box: Box): void {
  for (let y = 0; y < box.h; y++)
    for (let x = 0; x < box.w; x++)
      blend(img, box.x + x, box.y + y, viridis(1 - y / Math.max(1, box.h - 1)), 1);
}
