import { useEffect, useRef, useState } from 'react';
import type { LogScale } from '../../core/surface/scale';
import { formatLoss } from '../../core/surface/scale';
import type { Surface } from '../../core/surface/types';
import type { Metric } from './paint';
import { MARGIN, paintColourBar, paintSlice, styleOf } from './paint';

export interface SurfacePlotProps {
  readonly surface: Surface;
  readonly metric: Metric;
  readonly scale: LogScale;
  /** Contour lines over the heatmap, or the heatmap alone. */
  readonly contours: boolean;
  /** Side of the square plot, in CSS pixels. */
  readonly size: number;
  readonly label: string;
}

const BAR = 56;

/** A plane slice as a heatmap (with contours) and its colour bar; the value under the pointer below. */
export function SurfacePlot({ surface, metric, scale, contours, size, label }: SurfacePlotProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [hover, setHover] = useState<string | null>(null);
  const width = MARGIN.left + size + MARGIN.right + BAR;
  const height = MARGIN.top + size + MARGIN.bottom;

  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (c === null || ctx === null || ctx === undefined) return;
    const dpr = Math.min(2, window.devicePixelRatio || 1);
    c.width = Math.round(width * dpr);
    c.height = Math.round(height * dpr);
    const style = styleOf(c);
    ctx.clearRect(0, 0, c.width, c.height);
    paintSlice(ctx, { x: 0, y: 0 }, size, surface, metric, scale, contours, style, dpr);
    ctx.save();
    ctx.scale(dpr, dpr);
    paintColourBar(ctx, { x: MARGIN.left + size + 14, y: MARGIN.top }, size, metric, scale, style);
    ctx.restore();
  }, [surface, metric, scale, contours, size, width, height]);

  const onMove = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const u = (e.clientX - r.left - MARGIN.left) / size;
    const v = 1 - (e.clientY - r.top - MARGIN.top) / size;
    if (u < 0 || u > 1 || v < 0 || v > 1) return setHover(null);
    const nx = surface.xs.length;
    const ny = surface.ys.length;
    const i = Math.round(u * (nx - 1));
    const j = Math.round(v * (ny - 1));
    const loss = surface.loss[j * nx + i]!;
    const acc = surface.accuracy[j * nx + i]!;
    setHover(
      Number.isNaN(loss)
        ? 'not computed yet'
        : `(${surface.xs[i]!.toFixed(2)}, ${surface.ys[j]!.toFixed(2)}): loss ${formatLoss(loss)}, accuracy ${(acc * 100).toFixed(0)}%`,
    );
  };

  return (
    <figure className="surface-plot">
      <canvas
        ref={canvas}
        style={{ width, height }}
        role="img"
        aria-label={`${label}: ${metric} ${contours ? 'contours' : 'heatmap'}`}
        onPointerMove={onMove}
        onPointerLeave={() => setHover(null)}
      />
      <figcaption>{hover ?? label}</figcaption>
    </figure>
  );
}
