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

/** Image formats image-size recognises reliably, named when a file is one of them (HEIC from phones, TIFF from scanners). */
const OTHER_IMAGES: ReadonlyMap<string, string> = new Map([
  ['tiff', 'TIFF'],
  ['heif', 'HEIC/HEIF'],
  ['svg', 'SVG'],
  ['ico', 'ICO'],
  ['psd', 'Photoshop'],
  ['jxl', 'JPEG XL'],
  ['jp2', 'JPEG 2000'],
  ['icns', 'ICNS'],
]);

/** The format a file's first bytes announce, among those read; null for anything else. */
export function sniffFormat(b: Uint8Array): ImageFormat | null {
  const ascii = (at: number, text: string) => [...text].every((ch, k) => b[at + k] === ch.charCodeAt(0));
  if (b[0] === 0x89 && ascii(1, 'PNG')) return 'png';
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (ascii(0, 'GIF8')) return 'gif';
  if (ascii(0, 'BM')) return 'bmp';
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return 'webp';
  return null;
}

export function readImageHeader(bytes: Uint8Array, file: string): Parsed<ImageHeader> {
  if (bytes.length === 0) return problem(file, 'the file is empty');
  const sniffed = sniffFormat(bytes);
  let size: ReturnType<typeof imageSize>;
  try {
    size = imageSize(bytes);
  } catch (e) {
    return sniffed === null
      ? problem(file, `not an image in a format ConvCanvas reads (${READABLE})`)
      : problem(
          file,
          `the ${sniffed.toUpperCase()} header is damaged (${e instanceof Error ? e.message : String(e)})`,
          'header',
        );
  }
  const format = size.type === undefined ? undefined : FORMATS.get(size.type);
  if (format === undefined || format !== sniffed)
    return sniffed === null
      ? problem(
          file,
          OTHER_IMAGES.has(size.type ?? '')
            ? `a ${OTHER_IMAGES.get(size.type!)} image; ConvCanvas reads ${READABLE}`
            : `not an image in a format ConvCanvas reads (${READABLE})`,
        )
      : problem(file, `the ${sniffed.toUpperCase()} header is damaged`, 'header');
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
