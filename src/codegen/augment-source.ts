/**
 * The augmentation part of a generated module: the settings chosen in the augmentation lab and
 * `augmentImages`, which applies them exactly as src/data/augment.ts does (the same draws in the same
 * order from the generator it is given, the same bilinear warp with the same border rule, the same
 * colour steps, each clamped to [0, 1]); tests run both on the same images and draws.
 */
import type { AugmentConfig } from '../core/training/augment';
import { literal } from './print';

export function augmentSource(config: AugmentConfig): string {
  const values = (Object.keys(config) as (keyof AugmentConfig)[])
    .map((k) => `  ${k}: ${literal(config[k])},`)
    .join('\n');
  return `/** How training images are varied (never validation images): ConvCanvas' augmentation settings. */
export interface AugmentOptions {
  flipHorizontal: boolean;
  flipVertical: boolean;
  /** Largest rotation either way, in degrees. */
  rotation: number;
  /** Zoom factor range (above 1 magnifies). */
  zoom: readonly [number, number];
  /** Largest shift either way, as a fraction of the image size. */
  shift: number;
  /** What fills the border a warp uncovers. */
  fill: 'zero' | 'reflect' | 'symmetric';
  brightness: readonly [number, number];
  contrast: readonly [number, number];
  saturation: readonly [number, number];
}

export const augmentOptions: AugmentOptions = {
${values}
};

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);
const isOn = (range: readonly [number, number]) => range[0] !== 1 || range[1] !== 1;

/** The pixel index an out-of-range index reads under the fill rule; -1 reads black. */
function fillIndex(i: number, n: number, fill: AugmentOptions['fill']): number {
  if (i >= 0 && i < n) return i;
  if (fill === 'zero') return -1;
  if (fill === 'reflect') {
    if (n === 1) return 0;
    const period = 2 * (n - 1);
    const m = ((i % period) + period) % period;
    return m < n ? m : period - m;
  }
  const period = 2 * n;
  const m = ((i % period) + period) % period;
  return m < n ? m : period - 1 - m;
}

/**
 * Augments images [n, h, w, c] (values in [0, 1], channels interleaved) in place. Per image, from
 * \`random\`, in this order: the left-right flip (p = 0.5), the top-bottom flip (p = 0.5); one warp
 * about the centre c = ((w − 1) / 2, (h − 1) / 2) with angle θ ~ U(−rotation, rotation) degrees, zoom
 * z ~ U(zoom), shift (dx, dy) ~ U(−shift, shift) × (w, h): output p reads the input at
 * c + R(−θ)·(p − c − d) / z, bilinearly, each of the four neighbours through the fill; then
 * brightness x·b, contrast (x − m)·k + m with m the image's mean grey, saturation g + (x − g)·s with
 * g = 0.299 R + 0.587 G + 0.114 B (colour images only). Steps that are off draw nothing.
 */
export function augmentImages(
  images: Float32Array,
  height: number,
  width: number,
  channels: number,
  o: AugmentOptions = augmentOptions,
  random: () => number = Math.random,
): void {
  const h = height;
  const w = width;
  const c = channels;
  const per = h * w * c;
  const warpOn = o.rotation !== 0 || isOn(o.zoom) || o.shift !== 0;
  const uniform = (range: readonly [number, number]) => range[0] + random() * (range[1] - range[0]);
  const scratch = new Float32Array(per);
  for (let at = 0; at + per <= images.length; at += per) {
    const x = images.subarray(at, at + per);
    const flipH = o.flipHorizontal && random() < 0.5;
    const flipV = o.flipVertical && random() < 0.5;
    let warp: { angle: number; zoom: number; dx: number; dy: number } | null = null;
    if (warpOn) {
      const angle = o.rotation * (2 * random() - 1);
      const zoom = uniform(o.zoom);
      const dx = o.shift * (2 * random() - 1) * w;
      const dy = o.shift * (2 * random() - 1) * h;
      warp = { angle, zoom, dx, dy };
    }
    const brightness = isOn(o.brightness) ? uniform(o.brightness) : null;
    const contrast = isOn(o.contrast) ? uniform(o.contrast) : null;
    const saturation = isOn(o.saturation) ? uniform(o.saturation) : null;
    for (const [on, horizontal] of [[flipH, true], [flipV, false]] as const) {
      if (!on) continue;
      for (let y = 0; y < h; y++)
        for (let xx = 0; xx < w; xx++) {
          const from = horizontal ? (y * w + (w - 1 - xx)) * c : ((h - 1 - y) * w + xx) * c;
          for (let k = 0; k < c; k++) scratch[(y * w + xx) * c + k] = x[from + k]!;
        }
      x.set(scratch);
    }
    if (warp !== null) {
      const cx = (w - 1) / 2;
      const cy = (h - 1) / 2;
      const theta = (warp.angle * Math.PI) / 180;
      const cos = Math.cos(theta) / warp.zoom;
      const sin = Math.sin(theta) / warp.zoom;
      for (let y = 0; y < h; y++)
        for (let xx = 0; xx < w; xx++) {
          const u = xx - cx - warp.dx;
          const v = y - cy - warp.dy;
          const sx = cx + cos * u + sin * v;
          const sy = cy - sin * u + cos * v;
          const x0 = Math.floor(sx);
          const y0 = Math.floor(sy);
          const fx = sx - x0;
          const fy = sy - y0;
          const xa = fillIndex(x0, w, o.fill);
          const xb = fillIndex(x0 + 1, w, o.fill);
          const ya = fillIndex(y0, h, o.fill);
          const yb = fillIndex(y0 + 1, h, o.fill);
          const w00 = (1 - fx) * (1 - fy);
          const w01 = fx * (1 - fy);
          const w10 = (1 - fx) * fy;
          const w11 = fx * fy;
          const t00 = ya < 0 || xa < 0 ? -1 : (ya * w + xa) * c;
          const t01 = ya < 0 || xb < 0 ? -1 : (ya * w + xb) * c;
          const t10 = yb < 0 || xa < 0 ? -1 : (yb * w + xa) * c;
          const t11 = yb < 0 || xb < 0 ? -1 : (yb * w + xb) * c;
          const out = (y * w + xx) * c;
          for (let k = 0; k < c; k++) {
            let sum = 0;
            if (t00 >= 0) sum += w00 * x[t00 + k]!;
            if (t01 >= 0 && w01 !== 0) sum += w01 * x[t01 + k]!;
            if (t10 >= 0 && w10 !== 0) sum += w10 * x[t10 + k]!;
            if (t11 >= 0 && w11 !== 0) sum += w11 * x[t11 + k]!;
            scratch[out + k] = clamp01(sum);
          }
        }
      x.set(scratch);
    }
    if (brightness !== null) for (let i = 0; i < per; i++) x[i] = clamp01(x[i]! * brightness);
    if (contrast !== null) {
      let sum = 0;
      if (c === 3) for (let i = 0; i < per; i += 3) sum += 0.299 * x[i]! + 0.587 * x[i + 1]! + 0.114 * x[i + 2]!;
      else for (let i = 0; i < per; i++) sum += x[i]!;
      const m = sum / (c === 3 ? per / 3 : per);
      for (let i = 0; i < per; i++) x[i] = clamp01((x[i]! - m) * contrast + m);
    }
    if (saturation !== null && c === 3)
      for (let i = 0; i < per; i += 3) {
        const g = 0.299 * x[i]! + 0.587 * x[i + 1]! + 0.114 * x[i + 2]!;
        for (let k = 0; k < 3; k++) x[i + k] = clamp01(g + (x[i + k]! - g) * saturation);
      }
  }
}
`;
}

/** Whether the settings change any image (the module then carries augmentImages). */
export const augments = (config: AugmentConfig): boolean =>
  config.flipHorizontal ||
  config.flipVertical ||
  config.rotation !== 0 ||
  config.shift !== 0 ||
  (['zoom', 'brightness', 'contrast', 'saturation'] as const).some(
    (k) => config[k][0] !== 1 || config[k][1] !== 1,
  );
