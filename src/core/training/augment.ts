/**
 * Data augmentation settings and their exact meaning. The training pipeline (in the worker, on
 * training images only, never validation ones), the augmentation lab's previews and the exported
 * PyTorch training script all follow these definitions, so one setting means one thing everywhere.
 *
 * Per training image, in this order (colours are RGB in [0, 1]; greyscale images skip saturation):
 * 1. Flips: left-right with probability 0.5 when `flipHorizontal`, top-bottom with probability 0.5 when
 *    `flipVertical`.
 * 2. One affine warp about the image centre, sampled bilinearly: a rotation by θ ~ U(−rotation, rotation)
 *    degrees, a zoom by z ~ U(zoom[0], zoom[1]) (z > 1 magnifies), and a shift of (dx, dy) with each
 *    ~ U(−shift, shift) × the image's width / height. Output pixel p takes the input at
 *    c + R(−θ)·(p − c − d) / z, where c is the centre ((W − 1) / 2, (H − 1) / 2). Samples outside the
 *    image are filled by `fill`: 'zero' (black), 'reflect' (mirrored about the edge pixel, which is not
 *    repeated: …2 1 | 0 1 2…) or 'symmetric' (mirrored with the edge repeated: …1 0 | 0 1 2…);
 *    each of the four pixels a bilinear sample reads goes through the fill on its own, so with 'zero'
 *    a sample half a pixel outside the image is half black (as PyTorch's grid_sample with zeros).
 *    Skipped when rotation = 0, zoom = [1, 1] and shift = 0.
 * 3. Brightness: x · b with b ~ U(brightness[0], brightness[1]).
 * 4. Contrast: (x − m) · k + m with k ~ U(contrast[0], contrast[1]), m the mean over the image of its
 *    grey value.
 * 5. Saturation: g + (x − g) · s per pixel with s ~ U(saturation[0], saturation[1]).
 * Grey value g = 0.299 R + 0.587 G + 0.114 B. Each step clamps to [0, 1]. (Steps 3–5 are torchvision's
 * ColorJitter adjust_brightness / adjust_contrast / adjust_saturation, applied in a fixed order.)
 */

export type AugmentFill = 'zero' | 'reflect' | 'symmetric';

export interface AugmentConfig {
  readonly flipHorizontal: boolean;
  readonly flipVertical: boolean;
  /** Largest rotation either way, in degrees (0 to 180). */
  readonly rotation: number;
  /** Zoom factor range, low ≤ high, within [0.5, 2]. */
  readonly zoom: readonly [number, number];
  /** Largest shift either way as a fraction of the image size (0 to 0.5). */
  readonly shift: number;
  readonly fill: AugmentFill;
  /** Factor ranges, low ≤ high, within [0, 3]; [1, 1] leaves the image as it is. */
  readonly brightness: readonly [number, number];
  readonly contrast: readonly [number, number];
  readonly saturation: readonly [number, number];
}

/** No augmentation: every image is used as it is. */
export const noAugmentation: AugmentConfig = {
  flipHorizontal: false,
  flipVertical: false,
  rotation: 0,
  zoom: [1, 1],
  shift: 0,
  fill: 'reflect',
  brightness: [1, 1],
  contrast: [1, 1],
  saturation: [1, 1],
};

/** How an image of another size becomes the input node's size. */
export type ResizeMode =
  /** Scale so the shorter side fits, then cut the middle out of the longer side. */
  | 'centre-crop'
  /** Scale so the longer side fits, then pad the shorter side equally on both sides with black. */
  | 'letterbox'
  /** Scale each side to fit, changing the aspect ratio. */
  | 'stretch';
