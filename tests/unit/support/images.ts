/** Real image files for tests, written by encoder libraries (pngjs, jpeg-js, bmp-ts, omggif, libwebp). */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { encode as encodeBmp } from 'bmp-ts';
import { encode as encodeJpeg } from 'jpeg-js';
import { GifWriter } from 'omggif';
import { PNG } from 'pngjs';

/** width × height RGBA pixels, every one `rgba`. */
export function solid(
  width: number,
  height: number,
  rgba: readonly [number, number, number, number],
): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < data.length; i += 4) data.set(rgba, i);
  return data;
}

export function pngFile(width: number, height: number, rgba: Uint8Array): Uint8Array {
  const png = new PNG({ width, height });
  png.data.set(rgba);
  return new Uint8Array(PNG.sync.write(png));
}

export function jpegFile(width: number, height: number, rgba: Uint8Array, quality = 95): Uint8Array {
  return new Uint8Array(encodeJpeg({ width, height, data: Buffer.from(rgba) }, quality).data);
}

/** bmp-ts writes 24-bit BMPs from pixels stored A, B, G, R. */
export function bmpFile(width: number, height: number, rgba: Uint8Array): Uint8Array {
  const abgr = Buffer.alloc(rgba.length);
  for (let i = 0; i < rgba.length; i += 4) abgr.set([rgba[i + 3]!, rgba[i + 2]!, rgba[i + 1]!, rgba[i]!], i);
  return new Uint8Array(encodeBmp({ width, height, data: abgr }).data);
}

/** A two-frame GIF: the first frame uses palette index `first` everywhere, the second index 1. */
export function gifFile(width: number, height: number, palette: number[], first: number): Uint8Array {
  const buffer = new Uint8Array(4096 + width * height * 4);
  const writer = new GifWriter(buffer, width, height, { palette, loop: 0 });
  writer.addFrame(0, 0, width, height, new Array<number>(width * height).fill(first));
  writer.addFrame(0, 0, width, height, new Array<number>(width * height).fill(1));
  return buffer.slice(0, writer.end());
}

/** A lossless WebP from libwebp's own encoder. */
export async function webpFile(width: number, height: number, rgba: Uint8Array): Promise<Uint8Array> {
  const codec = await import('@jsquash/webp/encode.js');
  const path = createRequire(import.meta.url).resolve('@jsquash/webp/codec/enc/webp_enc.wasm');
  await codec.init(await WebAssembly.compile(await readFile(path)));
  const encoded = await codec.default(
    { data: new Uint8ClampedArray(rgba), width, height, colorSpace: 'srgb' },
    { lossless: 1 },
  );
  return new Uint8Array(encoded);
}
