/**
 * An image classification dataset held in memory, NHWC. Images loaded from files are stored as bytes
 * (value / 255) and become float32 in [0, 1] one batch at a time, so a dataset costs a quarter of what
 * float storage would; generated data (the built-in Shapes) keeps its exact float32 values.
 */

/** Pixel storage: bytes read as value / 255, or float32 values in [0, 1] used as they are. */
export type Pixels = Uint8Array | Float32Array;

export interface Split<P extends Pixels = Pixels> {
  readonly count: number;
  /** count × height × width × channels values. */
  readonly images: P;
  readonly labels: Int32Array;
  /** Per image [x0, y0, x1, y1] in pixels (exclusive ends) of the object, when known. */
  readonly boxes?: Float32Array;
}

export interface ImageDataset<P extends Pixels = Pixels> {
  readonly name: string;
  readonly classes: readonly string[];
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly train: Split<P>;
  readonly validation: Split<P>;
}

/** A dataset of byte images of one `shape` (height, width, channels), from its two parts. */
export function byteDataset(
  name: string,
  classes: readonly string[],
  shape: { readonly height: number; readonly width: number; readonly channels: number },
  train: Split<Uint8Array>,
  validation: Split<Uint8Array>,
): ImageDataset<Uint8Array> {
  return {
    name,
    classes,
    height: shape.height,
    width: shape.width,
    channels: shape.channels,
    train,
    validation,
  };
}

/** k / 255 for every byte k, so a byte becomes the same float everywhere. */
const BYTE_VALUES = Float32Array.from({ length: 256 }, (_, k) => k / 255);

/**
 * Copies the images at `indices` of a split into one float32 batch ([n, h, w, c] values in [0, 1]),
 * `per` values each.
 */
export function batchPixels(split: Split, indices: ArrayLike<number>, per: number): Float32Array {
  const out = new Float32Array(indices.length * per);
  const source = split.images;
  for (let i = 0; i < indices.length; i++) {
    const from = indices[i]! * per;
    if (source instanceof Float32Array) out.set(source.subarray(from, from + per), i * per);
    else for (let k = 0, o = i * per; k < per; k++) out[o + k] = BYTE_VALUES[source[from + k]!]!;
  }
  return out;
}

/** One image of a split as float32 values in [0, 1]. */
export const imageFloats = (split: Split, index: number, per: number): Float32Array =>
  batchPixels(split, [index], per);
