/**
 * Colour and contour scales for loss surfaces. Losses span orders of magnitude between a minimum and
 * the walls around it, so both the colours and the contour levels are log-spaced (as in Li et al. 2018).
 */
import { colourAt } from '../inspect/colormap';

export interface LogScale {
  readonly lo: number;
  readonly hi: number;
}

/** Floor for the scale's low end, as a fraction of its high end (a loss can reach 0). */
const DYNAMIC_RANGE = 1e-4;

/** The log scale covering every finite value of all the grids (one scale for surfaces side by side). */
export function logScaleOf(grids: readonly ArrayLike<number>[]): LogScale | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const g of grids)
    for (let i = 0; i < g.length; i++) {
      const v = g[i]!;
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  if (!(hi > -Infinity)) return undefined;
  const top = Math.max(hi, 1e-12);
  const bottom = Math.max(lo, top * DYNAMIC_RANGE);
  return bottom === top ? { lo: bottom / 1.01, hi: top * 1.01 } : { lo: bottom, hi: top };
}

/** Where `v` lies on the scale, 0 … 1 (clamped). */
export function position(scale: LogScale, v: number): number {
  const t =
    (Math.log(Math.max(v, scale.lo)) - Math.log(scale.lo)) / (Math.log(scale.hi) - Math.log(scale.lo));
  return Math.min(1, Math.max(0, t));
}

/** `count` contour levels spaced evenly in log between the scale's ends (ends excluded). */
export function logLevels(scale: LogScale, count = 14): number[] {
  const a = Math.log(scale.lo);
  const b = Math.log(scale.hi);
  return Array.from({ length: count }, (_, k) => Math.exp(a + ((b - a) * (k + 1)) / (count + 1)));
}

/** The colour at `t` in 0 … 1: dark purple (low loss) to yellow (high); not a number reads as high. */
export const viridis = (t: number): [number, number, number] =>
  colourAt('viridis', Number.isFinite(t) ? t : 1);

/** "0.0123", "1.24", "12.3": three significant figures for axis and level labels. */
export const formatLoss = (v: number): string =>
  Number.isFinite(v) ? Number(v.toPrecision(3)).toString() : '–';
