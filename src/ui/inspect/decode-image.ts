/**
 * A dropped image file's pixels, decoded by the browser. Big photos are first drawn at most
 * MAX_DECODED pixels a side (the session then crops and averages them down to the Input's size).
 */
import type { RawPixels } from '../../core/inspect/types';

const MAX_FILE_BYTES = 64 * 1024 ** 2;
const MAX_DECODED = 1024;

export async function decodeImageFile(file: File): Promise<RawPixels> {
  if (file.size > MAX_FILE_BYTES)
    throw new Error(`${file.name} is ${(file.size / 1024 ** 2).toFixed(0)} MB; images up to 64 MB are taken`);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new Error(`${file.name} is not an image this browser can read`);
  }
  const scale = Math.min(1, MAX_DECODED / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (context === null) throw new Error('this browser cannot draw images');
  context.imageSmoothingQuality = 'high';
  context.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  return { width, height, channels: 4, data: context.getImageData(0, 0, width, height).data };
}
