/**
 * Reads an image file's format and claimed size from its first bytes (with image-size), and refuses
 * what ConvCanvas does not read or what would be too big to decode, before any decoder runs.
 */
import { imageSize } from 'image-size';
import { IMAGE_PIXELS_LIMIT } from './limits';
import type { Parsed } from './problems';
import { count, problem } from './problems';

export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'bmp' | 'gif';

export interface ImageHeader {
  readonly format: ImageFormat;
  readonly width: number;
  readonly height: number;
  /** EXIF orientation of a JPEG, 1 (as stored) to 8; 1 for every other format. */
  readonly orientation: number;
}

/** image-size's type names for the formats read; every other type it knows is refused by name. */
const FORMATS: ReadonlyMap<string, ImageFormat> = new Map([
  ['png', 'png'],
  ['jpg', 'jpeg'],
  ['webp', 'webp'],
  ['bmp', 'bmp'],
  ['gif', 'gif'],
]);

export const READABLE = 'PNG, JPEG, WebP, BMP and GIF';

export function readImageHeader(bytes: Uint8Array, file: string): Parsed<ImageHeader> {
  if (bytes.length === 0) return problem(file, 'the file is empty');
  let size: ReturnType<typeof imageSize>;
  try {
    size = imageSize(bytes);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return /unsupported file type: undefined/.test(message)
      ? problem(file, `not an image in a format ConvCanvas reads (${READABLE})`)
      : problem(file, `the image header is damaged (${message})`, 'header');
  }
  const format = size.type === undefined ? undefined : FORMATS.get(size.type);
  if (format === undefined)
    return problem(file, `a ${String(size.type).toUpperCase()} image; ConvCanvas reads ${READABLE}`);
  const { width, height } = size;
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0))
    return problem(file, `the header claims an image of ${width}×${height} pixels`, 'header');
  if (width * height > IMAGE_PIXELS_LIMIT)
    return problem(
      file,
      `the header claims ${width}×${height} pixels (${count(width * height)}); images of at most ${count(IMAGE_PIXELS_LIMIT)} pixels are decoded`,
      'header',
    );
  const orientation = format === 'jpeg' && size.orientation !== undefined ? size.orientation : 1;
  return {
    ok: true,
    value: { format, width, height, orientation: orientation >= 1 && orientation <= 8 ? orientation : 1 },
  };
}
