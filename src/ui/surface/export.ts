/** PNG images for slides: slices side by side on one colour scale, and training curves overlaid. */
import { smoothed } from '../../core/surface/figure';
import type { LogScale } from '../../core/surface/scale';
import type { Surface } from '../../core/surface/types';
import type { BatchReport } from '../../core/training/reports';
import type { Metric, PaintStyle } from './paint';
import { MARGIN, paintColourBar, paintSlice } from './paint';

/** Slides are light whatever the theme. */
const SLIDE: PaintStyle = {
  text: '#1d2230',
  muted: '#5a6275',
  line: '#c9cfdb',
  background: [255, 255, 255],
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
};

const SCALE = 2;
const TITLE = 34;

function canvasOf(width: number, height: number) {
  const canvas = document.createElement('canvas');
  canvas.width = width * SCALE;
  canvas.height = height * SCALE;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  return { canvas, ctx };
}

const toPng = (canvas: HTMLCanvasElement) =>
  new Promise<Blob>((resolve, reject) =>
    canvas.toBlob(
      (b) => (b === null ? reject(new Error('the browser made no image')) : resolve(b)),
      'image/png',
    ),
  );

function title(ctx: CanvasRenderingContext2D, text: string, x: number, y: number) {
  ctx.save();
  ctx.scale(SCALE, SCALE);
  ctx.fillStyle = SLIDE.text;
  ctx.font = `600 15px ${SLIDE.font}`;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  ctx.fillText(text, x, y);
  ctx.restore();
}

/** Plane slices side by side, each titled, with one colour bar. */
export function surfacesPng(
  items: readonly { label: string; surface: Surface }[],
  metric: Metric,
  scale: LogScale,
  contours: boolean,
  size = 360,
): Promise<Blob> {
  const panel = MARGIN.left + size + MARGIN.right + 12;
  const width = items.length * panel + 70;
  const height = TITLE + MARGIN.top + size + MARGIN.bottom + 8;
  const { canvas, ctx } = canvasOf(width, height);
  items.forEach(({ label, surface }, k) => {
    title(ctx, label, k * panel + MARGIN.left, 10);
    paintSlice(ctx, { x: k * panel, y: TITLE }, size, surface, metric, scale, contours, SLIDE, SCALE);
  });
  ctx.save();
  ctx.scale(SCALE, SCALE);
  paintColourBar(ctx, { x: items.length * panel + 4, y: TITLE + MARGIN.top }, size, metric, scale, SLIDE);
  ctx.restore();
  return toPng(canvas);
}

export interface CurveSide {
  readonly label: string;
  readonly colour: string;
  readonly batches: readonly BatchReport[];
}

/** Training loss of each side per batch (smoothed), against epochs, with axes and a legend. */
export function curvesPng(
  sides: readonly CurveSide[],
  heading: string,
  width = 760,
  height = 420,
): Promise<Blob> {
  const { canvas, ctx } = canvasOf(width, height);
  title(ctx, heading, 60, 10);
  ctx.save();
  ctx.scale(SCALE, SCALE);
  const box = { x: 60, y: TITLE + 10, w: width - 80, h: height - TITLE - 60 };
  const epochs = Math.max(1, ...sides.flatMap((s) => s.batches.map((b) => b.epoch)));
  const top =
    Math.max(1e-6, ...sides.flatMap((s) => s.batches.map((b) => b.loss)).filter(Number.isFinite)) * 1.05;
  ctx.strokeStyle = SLIDE.line;
  ctx.fillStyle = SLIDE.muted;
  ctx.font = `12px ${SLIDE.font}`;
  ctx.lineWidth = 1;
  for (let k = 0; k <= 4; k++) {
    const y = box.y + box.h - (box.h * k) / 4;
    ctx.beginPath();
    ctx.moveTo(box.x, y);
    ctx.lineTo(box.x + box.w, y);
    ctx.stroke();
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    ctx.fillText(Number(((top * k) / 4).toPrecision(2)).toString(), box.x - 6, y);
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (let e = 0; e <= epochs; e++) ctx.fillText(String(e), box.x + (box.w * e) / epochs, box.y + box.h + 6);
  ctx.fillStyle = SLIDE.text;
  ctx.fillText('epoch', box.x + box.w / 2, box.y + box.h + 24);
  ctx.save();
  ctx.translate(16, box.y + box.h / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText('training loss', 0, 0);
  ctx.restore();
  ctx.lineWidth = 2;
  sides.forEach((s, k) => {
    const ys = smoothed(s.batches.map((b) => b.loss));
    ctx.strokeStyle = s.colour;
    ctx.beginPath();
    s.batches.forEach((b, i) => {
      const x = box.x + ((b.epoch - 1 + b.batch / b.batches) / epochs) * box.w;
      const y = box.y + box.h - (ys[i]! / top) * box.h;
      if (i === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    });
    ctx.stroke();
    const ly = box.y + 8 + k * 18;
    ctx.fillStyle = s.colour;
    ctx.fillRect(box.x + box.w - 200, ly + 4, 18, 3);
    ctx.fillStyle = SLIDE.text;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    ctx.fillText(s.label, box.x + box.w - 176, ly);
  });
  ctx.restore();
  return toPng(canvas);
}

/** Hands a PNG to the browser's downloads. */
export function downloadBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
