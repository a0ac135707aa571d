/**
 * The image decoder interface. Two implementations: the browser's (createImageBitmap and an
 * OffscreenCanvas, in the worker) and Node's (pure-JS and wasm decoders from npm, for the command
 * line and tests). Both check the header first (readImageHeader) and return RGBA pixels.
 */
import type { Parsed } from './problems';
import type { RawImage } from './resize';

/** Decodes one file; a problem names the file and says why it cannot be read. Never throws. */
export type ImageDecoder = (bytes: Uint8Array, file: string) => Promise<Parsed<RawImage>>;

/** Rotates or mirrors decoded pixels by an EXIF orientation (2–8) so they stand as the camera meant. */
export function orient(image: RawImage, orientation: number): RawImage {
  if (orientation <= 1 || orientation > 8) return image;
  const { width: W, height: H, channels: C, data } = image;
  const swap = orientation >= 5;
  const w = swap ? H : W;
  const h = swap ? W : H;
  // The stored pixel shown at (x, y) is (ax·x + bx·y + cx, ay·x + by·y + cy), per EXIF 2.3's table.
  const [ax, bx, cx, ay, by, cy] = (
    [
      [1, 0, 0, 0, 1, 0],
      [-1, 0, W - 1, 0, 1, 0],
      [-1, 0, W - 1, 0, -1, H - 1],
      [1, 0, 0, 0, -1, H - 1],
      [0, 1, 0, 1, 0, 0],
      [0, 1, 0, -1, 0, H - 1],
      [0, -1, W - 1, -1, 0, H - 1],
      [0, -1, W - 1, 1, 0, 0],
    ] as const
  )[orientation - 1]!;
  const out = new Uint8Array(w * h * C);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const from = ((ay * x + by * y + cy) * W + ax * x + bx * y + cx) * C;
      for (let c = 0; c < C; c++) out[(y * w + x) * C + c] = data[from + c]!;
    }
  return { width: w, height: h, channels: C, data: out };
}
