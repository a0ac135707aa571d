/**
 * Fits a decoded image to the input node's height × width × channels, by the chosen ResizeMode.
 * Shrinking averages areas (each output pixel is the mean of the source area it covers, partial pixels
 * weighted by how much of them it covers, as OpenCV's INTER_AREA); enlarging interpolates bilinearly
 * between pixel centres (half-pixel centres, edges repeated, as PyTorch's align_corners=False). Each
 * axis is resampled on its own. Transparent pixels are laid on black; greyscale is
 * 0.299 R + 0.587 G + 0.114 B; values are rounded to the nearest byte.
 */
import type { ResizeMode } from '../core/training/augment';

/** Decoded pixels, rows top to bottom, channels interleaved: grey, RGB or RGBA. */
export interface RawImage {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3 | 4;
  readonly data: Uint8Array | Uint8ClampedArray;
}

/** What the input node takes. */
export interface ImageShape {
  readonly height: number;
  readonly width: number;
  readonly channels: 1 | 3;
}

/** A rectangle in pixels; x and y may be fractional. */
interface Rect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** Which part of the source goes where in the output. */
export function placement(
  source: { readonly width: number; readonly height: number },
  target: ImageShape,
  mode: ResizeMode,
): { from: Rect; to: Rect } {
  const { width: W, height: H } = source;
  const { width: w, height: h } = target;
  const full = { x: 0, y: 0, w, h };
  if (mode === 'stretch') return { from: { x: 0, y: 0, w: W, h: H }, to: full };
  if (mode === 'centre-crop') {
    // Whole source pixels, like torchvision's CenterCrop, so an unscaled crop is not blurred by half a pixel.
    const scale = Math.max(w / W, h / H);
    const cw = Math.max(1, Math.min(W, Math.round(w / scale)));
    const ch = Math.max(1, Math.min(H, Math.round(h / scale)));
    return { from: { x: Math.floor((W - cw) / 2), y: Math.floor((H - ch) / 2), w: cw, h: ch }, to: full };
  }
  const scale = Math.min(w / W, h / H);
  const cw = Math.max(1, Math.min(w, Math.round(W * scale)));
  const ch = Math.max(1, Math.min(h, Math.round(H * scale)));
  return {
    from: { x: 0, y: 0, w: W, h: H },
    to: { x: Math.floor((w - cw) / 2), y: Math.floor((h - ch) / 2), w: cw, h: ch },
  };
}

/** For each of `out` output pixels: the source pixels it reads and their weights (summing to 1). */
interface Taps {
  /** Taps of output i are start[i] ≤ k < start[i + 1]. */
  readonly start: Int32Array;
  readonly index: Int32Array;
  readonly weight: Float64Array;
}

function axisTaps(size: number, from: number, length: number, out: number): Taps {
  const scale = length / out;
  const start = new Int32Array(out + 1);
  const index: number[] = [];
  const weight: number[] = [];
  const clamp = (j: number) => (j < 0 ? 0 : j >= size ? size - 1 : j);
  for (let i = 0; i < out; i++) {
    start[i] = index.length;
    if (scale >= 1) {
      const lo = from + i * scale;
      const hi = lo + scale;
      for (let j = Math.floor(lo); j < hi; j++) {
        const covered = Math.min(hi, j + 1) - Math.max(lo, j);
        if (covered > 1e-9) {
          index.push(clamp(j));
          weight.push(covered / scale);
        }
      }
    } else {
      const x = from + (i + 0.5) * scale - 0.5;
      const x0 = Math.floor(x);
      const f = x - x0;
      index.push(clamp(x0));
      weight.push(1 - f);
      if (f > 0) {
        index.push(clamp(x0 + 1));
        weight.push(f);
      }
    }
  }
  start[out] = index.length;
  return { start, index: Int32Array.from(index), weight: Float64Array.from(weight) };
}

/** One source row in the output's channels, as floats (0–255), alpha laid on black. */
function rowValues(image: RawImage, y: number, channels: 1 | 3, row: Float64Array): void {
  const { width, channels: sc, data } = image;
  let p = y * width * sc;
  for (let x = 0, o = 0; x < width; x++, p += sc) {
    let r: number;
    let g: number;
    let b: number;
    if (sc === 1) r = g = b = data[p]!;
    else {
      const a = sc === 4 ? data[p + 3]! / 255 : 1;
      r = data[p]! * a;
      g = data[p + 1]! * a;
      b = data[p + 2]! * a;
    }
    if (channels === 1) row[o++] = sc === 1 ? r : 0.299 * r + 0.587 * g + 0.114 * b;
    else {
      row[o++] = r;
      row[o++] = g;
      row[o++] = b;
    }
  }
}

/**
 * Writes `image` fitted to `target` into `out` at `offset` (height × width × channels bytes); the
 * letterbox's bars are black.
 */
export function fitImageInto(
  image: RawImage,
  target: ImageShape,
  mode: ResizeMode,
  out: Uint8Array,
  offset = 0,
): void {
  const C = target.channels;
  const { from, to } = placement(image, target, mode);
  const across = axisTaps(image.width, from.x, from.w, to.w);
  const down = axisTaps(image.height, from.y, from.h, to.h);
  out.fill(0, offset, offset + target.height * target.width * C);
  // Horizontal pass over each source row the vertical taps read, then the vertical pass.
  let first = image.height;
  let last = -1;
  for (const j of down.index) {
    first = Math.min(first, j);
    last = Math.max(last, j);
  }
  const row = new Float64Array(image.width * C);
  const rows = new Float64Array((last - first + 1) * to.w * C);
  for (let y = first; y <= last; y++) {
    rowValues(image, y, C, row);
    const base = (y - first) * to.w * C;
    const { start, index, weight } = across;
    for (let i = 0; i < to.w; i++) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      for (let k = start[i]!, end = start[i + 1]!; k < end; k++) {
        const w = weight[k]!;
        const j = index[k]! * C;
        s0 += w * row[j]!;
        if (C === 3) {
          s1 += w * row[j + 1]!;
          s2 += w * row[j + 2]!;
        }
      }
      rows[base + i * C] = s0;
      if (C === 3) {
        rows[base + i * C + 1] = s1;
        rows[base + i * C + 2] = s2;
      }
    }
  }
  for (let i = 0; i < to.h; i++) {
    const o = offset + ((to.y + i) * target.width + to.x) * C;
    for (let x = 0; x < to.w * C; x++) {
      let sum = 0;
      for (let k = down.start[i]!; k < down.start[i + 1]!; k++)
        sum += down.weight[k]! * rows[(down.index[k]! - first) * to.w * C + x]!;
      out[o + x] = sum <= 0 ? 0 : sum >= 255 ? 255 : Math.round(sum);
    }
  }
}

/** `image` fitted to `target` as a new height × width × channels byte array. */
export function fitImage(image: RawImage, target: ImageShape, mode: ResizeMode): Uint8Array {
  const out = new Uint8Array(target.height * target.width * target.channels);
  fitImageInto(image, target, mode, out);
  return out;
}
