/**
 * Turns parsed images (IDX, CIFAR) into an ImageDataset: fitted to the input node's shape when one is
 * given, and split with a seeded, stratified share when the files bring no validation part. The memory
 * limit is checked before anything is allocated.
 */
import type { ResizeMode } from '../core/training/augment';
import type { ImageDataset, Split } from './dataset';
import { datasetSizeProblem } from './limits';
import type { ImageShape, RawImage } from './resize';
import { fitImageInto } from './resize';
import { DEFAULT_VALIDATION_SHARE, stratifiedSplit } from './split';

/** count images of height × width × channels bytes each, interleaved, with their labels. */
export interface LabelledImages {
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly channels: 1 | 3;
  readonly images: Uint8Array;
  readonly labels: Int32Array;
}

/** How loaded images become a dataset; shared by every loader. */
export interface DatasetOptions {
  /** Fit every image to this shape (the input node's); without it, images keep their own size. */
  readonly fit?: { readonly shape: ImageShape; readonly mode: ResizeMode };
  /** The validation share of each class when the files have no validation part (default 0.2). */
  readonly validationShare?: number;
  /** Seeds the split (default 1). */
  readonly seed?: number;
}

export { DEFAULT_VALIDATION_SHARE };

export type Assembled =
  | { readonly ok: true; readonly dataset: ImageDataset<Uint8Array> }
  | { readonly ok: false; readonly message: string };

function pick(
  source: LabelledImages,
  indices: ArrayLike<number> | null,
  shape: ImageShape,
  fit: DatasetOptions['fit'],
): Split<Uint8Array> {
  const n = indices === null ? source.count : indices.length;
  const per = shape.height * shape.width * shape.channels;
  const sourcePer = source.height * source.width * source.channels;
  if (indices === null && fit === undefined)
    return { count: n, images: source.images, labels: source.labels };
  const images = new Uint8Array(n * per);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = indices === null ? i : indices[i]!;
    labels[i] = source.labels[k]!;
    const data = source.images.subarray(k * sourcePer, (k + 1) * sourcePer);
    if (fit === undefined) images.set(data, i * per);
    else {
      const raw: RawImage = { width: source.width, height: source.height, channels: source.channels, data };
      fitImageInto(raw, fit.shape, fit.mode, images, i * per);
    }
  }
  return { count: n, images, labels };
}

export function assembleDataset(
  name: string,
  classes: readonly string[],
  train: LabelledImages,
  validation: LabelledImages | null,
  options: DatasetOptions = {},
): Assembled {
  const shape: ImageShape = options.fit?.shape ?? {
    height: train.height,
    width: train.width,
    channels: train.channels,
  };
  if (
    validation !== null &&
    (validation.height !== train.height ||
      validation.width !== train.width ||
      validation.channels !== train.channels)
  )
    return {
      ok: false,
      message: `the training images are ${train.height}×${train.width}×${train.channels} but the test images ${validation.height}×${validation.width}×${validation.channels}`,
    };
  const total = train.count + (validation?.count ?? 0);
  const tooBig = datasetSizeProblem(total, shape.height, shape.width, shape.channels);
  if (tooBig !== null) return { ok: false, message: tooBig };
  const common = { name, classes, height: shape.height, width: shape.width, channels: shape.channels };
  if (validation !== null)
    return {
      ok: true,
      dataset: {
        ...common,
        train: pick(train, null, shape, options.fit),
        validation: pick(validation, null, shape, options.fit),
      },
    };
  const split = stratifiedSplit(
    train.labels,
    options.validationShare ?? DEFAULT_VALIDATION_SHARE,
    options.seed ?? 1,
  );
  return {
    ok: true,
    dataset: {
      ...common,
      train: pick(train, split.train, shape, options.fit),
      validation: pick(train, split.validation, shape, options.fit),
    },
  };
}
