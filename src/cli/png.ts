/** RGBA pixels as PNG (pngjs), for the pictures the command line writes. */
import { writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import type { Rgba } from '../core/rgba';

export function pngBytes(image: Rgba): Buffer {
  const png = new PNG({ width: image.width, height: image.height });
  png.data = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  return PNG.sync.write(png);
}

export function writePng(path: string, image: Rgba): void {
  writeFileSync(path, pngBytes(image));
}
