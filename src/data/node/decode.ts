/**
 * The image decoder for Node (command line, tests, benches): pngjs for PNG, jpeg-js for JPEG, bmp-ts
 * for BMP, omggif for GIF (first frame) and libwebp compiled to wasm (@jsquash/webp) for WebP, all
 * pure JS or wasm so nothing needs a native build. Every file's header is checked first.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { decode as decodeBmp } from 'bmp-ts';
import { decode as decodeJpeg } from 'jpeg-js';
import { GifReader } from 'omggif';
import { PNG } from 'pngjs';
import type { ImageDecoder } from '../decode';
import { orient } from '../decode';
import type { ImageHeader } from '../image-header';
import { readImageHeader } from '../image-header';
import { IMAGE_PIXELS_LIMIT } from '../limits';
import { problem } from '../problems';
import type { RawImage } from '../resize';

const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

let webp:
  | Promise<(data: ArrayBuffer) => Promise<{ width: number; height: number; data: Uint8ClampedArray }>>
  | undefined;

/** libwebp's wasm, compiled once from the file npm installed (its own loader expects a web page). */
function webpDecoder() {
  webp ??= (async () => {
    const codec = await import('@jsquash/webp/decode.js');
    const path = createRequire(import.meta.url).resolve('@jsquash/webp/codec/dec/webp_dec.wasm');
    await codec.init(await WebAssembly.compile(await readFile(path)));
    return codec.default;
  })();
  return webp;
}

function decodeGif(bytes: Uint8Array): RawImage {
  const reader = new GifReader(asBuffer(bytes));
  if (reader.numFrames() === 0) throw new Error('the GIF has no frames');
  const data = new Uint8Array(reader.width * reader.height * 4);
  reader.decodeAndBlitFrameRGBA(0, data);
  return { width: reader.width, height: reader.height, channels: 4, data };
}

function decodeBitmap(bytes: Uint8Array): RawImage {
  // A palette longer than 256 entries is a damaged header (bmp-ts would try to read it all).
  if (
    bytes.length >= 50 &&
    bytes[14]! >= 40 &&
    new DataView(bytes.buffer, bytes.byteOffset).getUint32(46, true) > 256
  )
    throw new Error('the colour table claims more than 256 colours');
  const bmp = decodeBmp(asBuffer(bytes), { toRGBA: true });
  const data = new Uint8Array(bmp.data.buffer, bmp.data.byteOffset, bmp.data.byteLength);
  // bmp-ts leaves alpha 0 for formats without one; BMP alpha is rarely meant, so every pixel is opaque.
  for (let i = 3; i < data.length; i += 4) data[i] = 255;
  return { width: bmp.width, height: bmp.height, channels: 4, data };
}

async function decodeFormat(bytes: Uint8Array, header: ImageHeader): Promise<RawImage> {
  switch (header.format) {
    case 'png': {
      const png = PNG.sync.read(asBuffer(bytes));
      return { width: png.width, height: png.height, channels: 4, data: png.data };
    }
    case 'jpeg': {
      const jpeg = decodeJpeg(bytes, {
        useTArray: true,
        formatAsRGBA: true,
        tolerantDecoding: false,
        maxResolutionInMP: IMAGE_PIXELS_LIMIT / 1e6,
        maxMemoryUsageInMB: 1024,
      });
      return orient(
        { width: jpeg.width, height: jpeg.height, channels: 4, data: jpeg.data },
        header.orientation,
      );
    }
    case 'gif':
      return decodeGif(bytes);
    case 'bmp':
      return decodeBitmap(bytes);
    case 'webp': {
      const decode = await webpDecoder();
      const image = await decode(bytes.slice().buffer);
      return { width: image.width, height: image.height, channels: 4, data: image.data };
    }
  }
}

export const nodeImageDecoder: ImageDecoder = async (bytes, file) => {
  const header = readImageHeader(bytes, file);
  if (!header.ok) return header;
  try {
    const image = await decodeFormat(bytes, header.value);
    if (image.width * image.height * 4 !== image.data.length)
      return problem(
        file,
        `the ${header.value.format.toUpperCase()} decoder returned ${image.data.length} bytes for ${image.width}×${image.height} pixels`,
      );
    return { ok: true, value: image };
  } catch (e) {
    return problem(
      file,
      `the ${header.value.format.toUpperCase()} data is damaged (${e instanceof Error ? e.message : String(e)})`,
    );
  }
};
