/**
 * The image decoder for the browser, meant to run in the worker: the browser's own decoders
 * (createImageBitmap, which also applies a JPEG's EXIF orientation and takes an animated GIF's first
 * frame), read back through an OffscreenCanvas. The header is checked first, so a file claiming
 * gigapixels is refused before the browser allocates anything.
 */
import type { ImageDecoder } from '../decode';
import { readImageHeader } from '../image-header';
import { problem } from '../problems';

export const browserImageDecoder: ImageDecoder = async (bytes, file) => {
  const header = readImageHeader(bytes, file);
  if (!header.ok) return header;
  const kind = header.value.format.toUpperCase();
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]), {
      premultiplyAlpha: 'none',
      colorSpaceConversion: 'none',
      imageOrientation: 'from-image',
    });
  } catch (e) {
    return problem(file, `the ${kind} data is damaged (${e instanceof Error ? e.message : String(e)})`);
  }
  try {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (context === null) return problem(file, 'this browser gives no 2D canvas to read pixels with');
    context.drawImage(bitmap, 0, 0);
    const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
    return { ok: true, value: { width: bitmap.width, height: bitmap.height, channels: 4, data } };
  } finally {
    bitmap.close();
  }
};
