/**
 * Colour maps for activation maps, heatmaps and kernels, as small tables shared by the page and the
 * command line. Viridis (perceptually uniform, readable in grey and by most colour-blind people) for
 * values; a blue-white-red diverging map for signed values such as kernels, with zero in white.
 */
import type { Grid } from './types';

type Rgb = readonly [number, number, number];

/** Matplotlib's viridis at entries 0, 16, …, 240 and 255 of its 256. */
const VIRIDIS: readonly Rgb[] = [
  [68, 1, 84],
  [72, 24, 106],
  [71, 45, 123],
  [66, 64, 134],
  [59, 82, 139],
  [51, 99, 141],
  [44, 114, 142],
  [38, 130, 142],
  [33, 145, 140],
  [31, 160, 136],
  [40, 174, 128],
  [63, 188, 115],
  [94, 201, 98],
  [132, 212, 75],
  [173, 220, 48],
  [216, 226, 25],
  [253, 231, 37],
];
const VIRIDIS_AT = VIRIDIS.map((_, i) => Math.min(i * 16, 255) / 255);

/** ColorBrewer's RdBu with five classes, blue for negative. */
const DIVERGING: readonly Rgb[] = [
  [5, 113, 176],
  [146, 197, 222],
  [247, 247, 247],
  [244, 165, 130],
  [202, 0, 32],
];
const DIVERGING_AT = [0, 0.25, 0.5, 0.75, 1];

export type ColormapName = 'viridis' | 'diverging';

function table(stops: readonly Rgb[], at: readonly number[]): Uint8ClampedArray {
  const out = new Uint8ClampedArray(256 * 3);
  let k = 0;
  for (let i = 0; i < 256; i++) {
    const t = i / 255;
    while (k < at.length - 2 && t > at[k + 1]!) k++;
    const f = (t - at[k]!) / (at[k + 1]! - at[k]!);
    for (let c = 0; c < 3; c++) out[i * 3 + c] = stops[k]![c]! + (stops[k + 1]![c]! - stops[k]![c]!) * f;
  }
  return out;
}

const tables: Record<ColormapName, Uint8ClampedArray> = {
  viridis: table(VIRIDIS, VIRIDIS_AT),
  diverging: table(DIVERGING, DIVERGING_AT),
};

/** The colour for t in [0, 1] (clamped), as [r, g, b] bytes. */
export function colourAt(map: ColormapName, t: number): [number, number, number] {
  const i = Math.round(Math.min(1, Math.max(0, Number.isNaN(t) ? 0 : t)) * 255) * 3;
  const lut = tables[map];
  return [lut[i]!, lut[i + 1]!, lut[i + 2]!];
}

/** A CSS linear-gradient of the map, left to right, for legends. */
export function cssGradient(map: ColormapName): string {
  const stops = Array.from({ length: 9 }, (_, i) => {
    const [r, g, b] = colourAt(map, i / 8);
    return `rgb(${r} ${g} ${b}) ${(i / 8) * 100}%`;
  });
  return `linear-gradient(to right, ${stops.join(', ')})`;
}

/** The values a colour map spans: lo is drawn as the first colour, hi as the last. */
export interface ValueRange {
  readonly lo: number;
  readonly hi: number;
}

/** The smallest and largest finite values; [0, 0] for none. */
export function rangeOf(values: ArrayLike<number>, from = 0, to = values.length): ValueRange {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = from; i < to; i++) {
    const v = values[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? { lo, hi } : { lo: 0, hi: 0 };
}

/** A range centred on zero (for the diverging map): ±the largest magnitude. */
export function symmetricRange(range: ValueRange): ValueRange {
  const m = Math.max(Math.abs(range.lo), Math.abs(range.hi));
  return { lo: -m, hi: m };
}

/** Where a value falls in a range, 0 to 1 (0.5 for an empty range, so a constant map is mid-coloured). */
export function position(v: number, { lo, hi }: ValueRange): number {
  return hi > lo ? (v - lo) / (hi - lo) : 0.5;
}

/**
 * Paints values[from .. from + count) into RGBA bytes. Each value becomes one pixel; `out` holds at
 * least 4 × count bytes.
 */
export function paint(
  values: ArrayLike<number>,
  range: ValueRange,
  map: ColormapName,
  out: Uint8ClampedArray,
  from = 0,
  count = values.length - from,
): Uint8ClampedArray {
  const lut = tables[map];
  const scale = range.hi > range.lo ? 255 / (range.hi - range.lo) : 0;
  for (let i = 0; i < count; i++) {
    const v = values[from + i]!;
    const t = scale === 0 ? 128 : Math.round((v - range.lo) * scale);
    const j = (t < 0 ? 0 : t > 255 ? 255 : Number.isNaN(t) ? 0 : t) * 3;
    out[i * 4] = lut[j]!;
    out[i * 4 + 1] = lut[j + 1]!;
    out[i * 4 + 2] = lut[j + 2]!;
    out[i * 4 + 3] = 255;
  }
  return out;
}

/** An image grid (1 or 3 channels, values in [0, 1]) as RGBA bytes. */
export function imageBytes(image: Grid, out = new Uint8ClampedArray(image.height * image.width * 4)) {
  const n = image.height * image.width;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++)
      out[i * 4 + c] = image.values[i * image.channels + (image.channels === 3 ? c : 0)]! * 255;
    out[i * 4 + 3] = 255;
  }
  return out;
}
