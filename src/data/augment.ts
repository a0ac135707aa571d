/**
 * Data augmentation as pure functions on float images (values in [0, 1], H × W × C interleaved),
 * following src/core/training/augment.ts exactly: flips, one affine warp sampled bilinearly with a
 * zero, reflect or symmetric border, then brightness, contrast and saturation, each clamped to [0, 1].
 *
 * augmentBatch applies a config to a training batch in place with a seeded generator; per image it
 * draws, in this order and only for the steps that are on: the left-right flip, the top-bottom flip,
 * then the warp's angle, zoom, x shift and y shift, then the brightness, contrast and saturation
 * factors (U(a, b) = a + r·(b − a) for a draw r in [0, 1)). rangePreview renders one setting at the
 * low end, the middle and the high end of its range, for the augmentation lab.
 */
import type { AugmentConfig, AugmentFill } from '../core/training/augment';

export interface FloatImage {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  /** height × width × channels values in [0, 1]. */
  readonly data: Float32Array;
}

/** One warp: output p takes the input at c + R(−angle)·(p − c − (dx, dy)) / zoom, c the image centre. */
export interface Warp {
  /** Degrees. */
  readonly angle: number;
  readonly zoom: number;
  /** Pixels. */
  readonly dx: number;
  readonly dy: number;
}

/** What augmentation drew for one image; null factors and warp are steps left out. */
export interface AugmentDraw {
  readonly flipHorizontal: boolean;
  readonly flipVertical: boolean;
  readonly warp: Warp | null;
  readonly brightness: number | null;
  readonly contrast: number | null;
  readonly saturation: number | null;
}

const GREY = [0.299, 0.587, 0.114] as const;
const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);

// ---- The steps, writing into a destination (flips and warps) or in place (colour). ----

function flipInto(
  src: Float32Array,
  dst: Float32Array,
  h: number,
  w: number,
  c: number,
  horizontal: boolean,
): void {
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const from = horizontal ? (y * w + (w - 1 - x)) * c : ((h - 1 - y) * w + x) * c;
      for (let k = 0; k < c; k++) dst[(y * w + x) * c + k] = src[from + k]!;
    }
}

/** The index an out-of-range pixel index reads under a fill rule; -1 for 'zero' (black). */
export function fillIndex(i: number, n: number, fill: AugmentFill): number {
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

function warpInto(
  src: Float32Array,
  dst: Float32Array,
  h: number,
  w: number,
  c: number,
  warp: Warp,
  fill: AugmentFill,
): void {
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  const theta = (warp.angle * Math.PI) / 180;
  const cos = Math.cos(theta) / warp.zoom;
  const sin = Math.sin(theta) / warp.zoom;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const u = x - cx - warp.dx;
      const v = y - cy - warp.dy;
      const sx = cx + cos * u + sin * v;
      const sy = cy - sin * u + cos * v;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      // Each of the four neighbours is read through the fill rule.
      const xa = fillIndex(x0, w, fill);
      const xb = fillIndex(x0 + 1, w, fill);
      const ya = fillIndex(y0, h, fill);
      const yb = fillIndex(y0 + 1, h, fill);
      const w00 = (1 - fx) * (1 - fy);
      const w01 = fx * (1 - fy);
      const w10 = (1 - fx) * fy;
      const w11 = fx * fy;
      const t00 = ya < 0 || xa < 0 ? -1 : (ya * w + xa) * c;
      const t01 = ya < 0 || xb < 0 ? -1 : (ya * w + xb) * c;
      const t10 = yb < 0 || xa < 0 ? -1 : (yb * w + xa) * c;
      const t11 = yb < 0 || xb < 0 ? -1 : (yb * w + xb) * c;
      const out = (y * w + x) * c;
      for (let k = 0; k < c; k++) {
        let sum = 0;
        if (t00 >= 0) sum += w00 * src[t00 + k]!;
        if (t01 >= 0 && w01 !== 0) sum += w01 * src[t01 + k]!;
        if (t10 >= 0 && w10 !== 0) sum += w10 * src[t10 + k]!;
        if (t11 >= 0 && w11 !== 0) sum += w11 * src[t11 + k]!;
        dst[out + k] = clamp01(sum);
      }
    }
}

function brightnessInPlace(data: Float32Array, b: number): void {
  for (let i = 0; i < data.length; i++) data[i] = clamp01(data[i]! * b);
}

/** Mean grey value of an image (its only channel when greyscale; the mean of all values for other channel counts). */
function meanGrey(data: Float32Array, c: number): number {
  let sum = 0;
  if (c === 3)
    for (let i = 0; i < data.length; i += 3)
      sum += GREY[0] * data[i]! + GREY[1] * data[i + 1]! + GREY[2] * data[i + 2]!;
  else for (let i = 0; i < data.length; i++) sum += data[i]!;
  return sum / (c === 3 ? data.length / 3 : data.length);
}

function contrastInPlace(data: Float32Array, c: number, k: number): void {
  const m = meanGrey(data, c);
  for (let i = 0; i < data.length; i++) data[i] = clamp01((data[i]! - m) * k + m);
}

/** Only RGB images have a saturation; others are left as they are. */
function saturationInPlace(data: Float32Array, c: number, s: number): void {
  if (c !== 3) return;
  for (let i = 0; i < data.length; i += 3) {
    const g = GREY[0] * data[i]! + GREY[1] * data[i + 1]! + GREY[2] * data[i + 2]!;
    for (let k = 0; k < 3; k++) data[i + k] = clamp01(g + (data[i + k]! - g) * s);
  }
}

// ---- Pure versions, one step each. ----

const copy = (image: FloatImage, data = new Float32Array(image.data)): FloatImage => ({
  height: image.height,
  width: image.width,
  channels: image.channels,
  data,
});

export function flipHorizontal(image: FloatImage): FloatImage {
  const out = copy(image, new Float32Array(image.data.length));
  flipInto(image.data, out.data, image.height, image.width, image.channels, true);
  return out;
}

export function flipVertical(image: FloatImage): FloatImage {
  const out = copy(image, new Float32Array(image.data.length));
  flipInto(image.data, out.data, image.height, image.width, image.channels, false);
  return out;
}

export function warpImage(image: FloatImage, warp: Warp, fill: AugmentFill): FloatImage {
  const out = copy(image, new Float32Array(image.data.length));
  warpInto(image.data, out.data, image.height, image.width, image.channels, warp, fill);
  return out;
}

export function adjustBrightness(image: FloatImage, factor: number): FloatImage {
  const out = copy(image);
  brightnessInPlace(out.data, factor);
  return out;
}

export function adjustContrast(image: FloatImage, factor: number): FloatImage {
  const out = copy(image);
  contrastInPlace(out.data, image.channels, factor);
  return out;
}

export function adjustSaturation(image: FloatImage, factor: number): FloatImage {
  const out = copy(image);
  saturationInPlace(out.data, image.channels, factor);
  return out;
}

// ---- Drawing and applying a config. ----

const isOn = (range: readonly [number, number]) => range[0] !== 1 || range[1] !== 1;
export const warpIsOn = (config: AugmentConfig): boolean =>
  config.rotation !== 0 || isOn(config.zoom) || config.shift !== 0;

/** Whether a config changes anything at all. */
export const augmentIsOn = (config: AugmentConfig): boolean =>
  config.flipHorizontal ||
  config.flipVertical ||
  warpIsOn(config) ||
  isOn(config.brightness) ||
  isOn(config.contrast) ||
  isOn(config.saturation);

/** Draws one image's augmentation from `random`, in the documented order. */
export function drawAugment(
  config: AugmentConfig,
  height: number,
  width: number,
  random: () => number,
): AugmentDraw {
  const uniform = (range: readonly [number, number]) => range[0] + random() * (range[1] - range[0]);
  const flipH = config.flipHorizontal && random() < 0.5;
  const flipV = config.flipVertical && random() < 0.5;
  let warp: Warp | null = null;
  if (warpIsOn(config)) {
    const angle = config.rotation * (2 * random() - 1);
    const zoom = uniform(config.zoom);
    const dx = config.shift * (2 * random() - 1) * width;
    const dy = config.shift * (2 * random() - 1) * height;
    warp = { angle, zoom, dx, dy };
  }
  const brightness = isOn(config.brightness) ? uniform(config.brightness) : null;
  const contrast = isOn(config.contrast) ? uniform(config.contrast) : null;
  const saturation = isOn(config.saturation) ? uniform(config.saturation) : null;
  return { flipHorizontal: flipH, flipVertical: flipV, warp, brightness, contrast, saturation };
}

/** Applies a draw to `data` (one image) in place; `scratch` holds one image's values. */
function applyInPlace(
  data: Float32Array,
  scratch: Float32Array,
  h: number,
  w: number,
  c: number,
  draw: AugmentDraw,
  fill: AugmentFill,
): void {
  if (draw.flipHorizontal) {
    flipInto(data, scratch, h, w, c, true);
    data.set(scratch);
  }
  if (draw.flipVertical) {
    flipInto(data, scratch, h, w, c, false);
    data.set(scratch);
  }
  if (draw.warp !== null) {
    warpInto(data, scratch, h, w, c, draw.warp, fill);
    data.set(scratch);
  }
  if (draw.brightness !== null) brightnessInPlace(data, draw.brightness);
  if (draw.contrast !== null) contrastInPlace(data, c, draw.contrast);
  if (draw.saturation !== null) saturationInPlace(data, c, draw.saturation);
}

/** One image augmented as `draw` says. */
export function applyAugment(image: FloatImage, draw: AugmentDraw, fill: AugmentFill): FloatImage {
  const out = copy(image);
  applyInPlace(
    out.data,
    new Float32Array(image.data.length),
    image.height,
    image.width,
    image.channels,
    draw,
    fill,
  );
  return out;
}

/** One image augmented with numbers drawn from `random`. */
export function augmentImage(image: FloatImage, config: AugmentConfig, random: () => number): FloatImage {
  return applyAugment(image, drawAugment(config, image.height, image.width, random), config.fill);
}

/**
 * Augments a training batch in place: `images` holds `images.length / (h·w·c)` images, each drawn
 * for in turn from `random`. Never call it on validation images.
 */
export function augmentBatch(
  images: Float32Array,
  shape: { readonly height: number; readonly width: number; readonly channels: number },
  config: AugmentConfig,
  random: () => number,
): void {
  if (!augmentIsOn(config)) return;
  const { height: h, width: w, channels: c } = shape;
  const per = h * w * c;
  const scratch = new Float32Array(per);
  for (let at = 0; at + per <= images.length; at += per)
    applyInPlace(
      images.subarray(at, at + per),
      scratch,
      h,
      w,
      c,
      drawAugment(config, h, w, random),
      config.fill,
    );
}

export type PreviewSetting = 'brightness' | 'contrast' | 'saturation' | 'rotation' | 'zoom' | 'shift';

/**
 * `image` with one setting at the low end, the middle and the high end of its range (rotation and
 * shift: −max, 0, +max; a shift moves right and down), nothing else applied; warps use the config's fill.
 */
export function rangePreview(
  image: FloatImage,
  config: AugmentConfig,
  setting: PreviewSetting,
): [FloatImage, FloatImage, FloatImage] {
  const three = <T>(low: T, high: T, mid: (a: T, b: T) => T) => [low, mid(low, high), high] as const;
  const halfway = (a: number, b: number) => (a + b) / 2;
  const warped = (warps: readonly Warp[]) =>
    warps.map((w) => warpImage(image, w, config.fill)) as [FloatImage, FloatImage, FloatImage];
  const still = { angle: 0, zoom: 1, dx: 0, dy: 0 };
  switch (setting) {
    case 'brightness':
      return three(config.brightness[0], config.brightness[1], halfway).map((b) =>
        adjustBrightness(image, b),
      ) as [FloatImage, FloatImage, FloatImage];
    case 'contrast':
      return three(config.contrast[0], config.contrast[1], halfway).map((k) => adjustContrast(image, k)) as [
        FloatImage,
        FloatImage,
        FloatImage,
      ];
    case 'saturation':
      return three(config.saturation[0], config.saturation[1], halfway).map((s) =>
        adjustSaturation(image, s),
      ) as [FloatImage, FloatImage, FloatImage];
    case 'rotation':
      return warped([-config.rotation, 0, config.rotation].map((angle) => ({ ...still, angle })));
    case 'zoom':
      return warped(three(config.zoom[0], config.zoom[1], halfway).map((zoom) => ({ ...still, zoom })));
    case 'shift':
      return warped(
        [-config.shift, 0, config.shift].map((s) => ({
          ...still,
          dx: s * image.width,
          dy: s * image.height,
        })),
      );
  }
}

/** A dataset image (bytes or floats) as a FloatImage, for previews. */
export function toFloatImage(
  pixels: Uint8Array | Float32Array,
  height: number,
  width: number,
  channels: number,
): FloatImage {
  const data =
    pixels instanceof Float32Array ? new Float32Array(pixels) : Float32Array.from(pixels, (v) => v / 255);
  return { height, width, channels, data };
}
