/**
 * Draws slices and curves on a 2-D canvas: the pixels come from the same renderer the command line
 * uses (heatmap, contours, path), the labels from the canvas. Used on screen and for PNG export.
 */
import type { Box, Colour, GridValues } from '../../core/surface/raster';
import { blank, drawGrid } from '../../core/surface/raster';
import type { LogScale } from '../../core/surface/scale';
import { logLevels, position, viridis } from '../../core/surface/scale';
import type { Surface } from '../../core/surface/types';

export type Metric = 'loss' | 'accuracy';
export type View = 'contours' | 'heatmap' | '3d';

export interface PaintStyle {
  readonly text: string;
  readonly muted: string;
  readonly line: string;
  readonly background: Colour;
  readonly font: string;
}

export function styleOf(element: Element): PaintStyle {
  const css = getComputedStyle(element);
  const get = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  const bg = get('--panel', '#ffffff');
  const hex = /^#([0-9a-f]{6})$/i.exec(bg)?.[1] ?? 'ffffff';
  return {
    text: get('--text', '#1d2230'),
    muted: get('--muted', '#687086'),
    line: get('--line', '#dfe3ec'),
    background: [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)) as unknown as Colour,
    font: css.fontFamily || 'system-ui, sans-serif',
  };
}

/** The values, colours and contour levels a metric is drawn with. */
export function layerOf(surface: Surface, metric: Metric, scale: LogScale, contours: boolean) {
  const grid: GridValues = { ...surface, values: metric === 'loss' ? surface.loss : surface.accuracy };
  const colourOf =
    metric === 'loss' ? (v: number) => viridis(position(scale, v)) : (v: number) => viridis(1 - v);
  const levels = !contours
    ? []
    : metric === 'loss'
      ? logLevels(scale)
      : [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
  return { grid, colourOf, levels };
}

/** Plot margins in CSS pixels: ticks on the left and below. */
export const MARGIN = { left: 46, right: 10, top: 10, bottom: 40 };

const ticks = (lo: number, hi: number) => [
  lo,
  (lo + hi) / 2,
  hi,
  lo + (hi - lo) / 4,
  lo + (3 * (hi - lo)) / 4,
];
const tickText = (v: number) => (Math.abs(v) < 1e-9 ? '0' : Number(v.toPrecision(2)).toString());

/** One slice with its axes in a `size`×`size` (CSS pixels) plot at (x, y) of `ctx`, at `dpr`. */
export function paintSlice(
  ctx: CanvasRenderingContext2D,
  at: { x: number; y: number },
  size: number,
  surface: Surface,
  metric: Metric,
  scale: LogScale,
  contours: boolean,
  style: PaintStyle,
  dpr: number,
): Box {
  const box: Box = {
    x: Math.round((at.x + MARGIN.left) * dpr),
    y: Math.round((at.y + MARGIN.top) * dpr),
    w: Math.round(size * dpr),
    h: Math.round(size * dpr),
  };
  const img = blank(box.w, box.h, style.background);
  const { grid, colourOf, levels } = layerOf(surface, metric, scale, contours);
  drawGrid(img, { x: 0, y: 0, w: box.w, h: box.h }, grid, colourOf, levels);
  ctx.putImageData(
    new ImageData(img.data as Uint8ClampedArray<ArrayBuffer>, img.width, img.height),
    box.x,
    box.y,
  );
  ctx.save();
  ctx.scale(dpr, dpr);
  const [bx, by, bs] = [at.x + MARGIN.left, at.y + MARGIN.top, size];
  ctx.strokeStyle = style.line;
  ctx.strokeRect(bx - 0.5, by - 0.5, bs + 1, bs + 1);
  ctx.fillStyle = style.muted;
  ctx.font = `11px ${style.font}`;
  const [x0, x1] = [surface.xs[0]!, surface.xs.at(-1)!];
  const [y0, y1] = [surface.ys[0]!, surface.ys.at(-1)!];
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const v of ticks(x0, x1)) ctx.fillText(tickText(v), bx + ((v - x0) / (x1 - x0)) * bs, by + bs + 4);
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const v of ticks(y0, y1)) ctx.fillText(tickText(v), bx - 5, by + bs - ((v - y0) / (y1 - y0)) * bs);
  ctx.fillStyle = style.text;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'alphabetic';
  ctx.fillText(surface.axes[0], bx + bs / 2, by + bs + 34);
  ctx.save();
  ctx.translate(at.x + 11, by + bs / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText(surface.axes[1], 0, 0);
  ctx.restore();
  ctx.restore();
  return box;
}

/** A vertical colour bar with its scale's labels (log for loss, 0–100% for accuracy). */
export function paintColourBar(
  ctx: CanvasRenderingContext2D,
  at: { x: number; y: number },
  height: number,
  metric: Metric,
  scale: LogScale,
  style: PaintStyle,
): void {
  const width = 12;
  // Dark is good for both: low loss, high accuracy.
  for (let y = 0; y < height; y++) {
    const [r, g, b] = viridis(1 - y / (height - 1));
    ctx.fillStyle = `rgb(${r},${g},${b})`;
    ctx.fillRect(at.x, at.y + y, width, 1.5);
  }
  ctx.fillStyle = style.muted;
  ctx.font = `11px ${style.font}`;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  // Enough digits that a narrow scale's labels still differ.
  const digits = Math.max(3, Math.ceil(-Math.log10((scale.hi - scale.lo) / scale.hi)) + 2);
  const labelOf = (v: number) => Number(v.toPrecision(Math.min(digits, 8))).toString();
  /** Labels by their distance from the top, 0 … 1. */
  const labels: (readonly [number, string])[] =
    metric === 'loss'
      ? [0, 0.25, 0.5, 0.75, 1].map((t) => [t, labelOf(scale.hi * (scale.lo / scale.hi) ** t)] as const)
      : [0, 0.5, 1].map((t) => [t, `${Math.round(100 * t)}%`] as const);
  for (const [t, text] of labels) ctx.fillText(text, at.x + width + 4, at.y + t * height);
}
