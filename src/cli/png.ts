/** Writes RGBA pixels as a PNG file (pngjs). */
import { writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import type { Rgba } from '../core/surface/raster';

export function writePng(path: string, image: Rgba): void {
  const png = new PNG({ width: image.width, height: image.height });
  png.data = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  writeFileSync(path, PNG.sync.write(png));
}
