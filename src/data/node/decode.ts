/**
 * The image decoder for Node (command line, tests, benches): pngjs for PNG, bmp-ts for BMP, omggif
 * for GIF (first frame), and mozjpeg and libwebp compiled to wasm (@jsquash/jpeg, @jsquash/webp) for
 * JPEG and WebP, so nothing needs a native build. mozjpeg is libjpeg's code, as browsers use: about
 * 3× faster than pure-JS JPEG decoding and, like a browser, it shows a truncated JPEG's missing part
 * grey. Every file's header is checked first; a JPEG's EXIF orientation is applied as browsers do.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { decode as decodeBmp } from 'bmp-ts';
import { GifReader } from 'omggif';
import { PNG } from 'pngjs';
import type { ImageDecoder } from '../decode';
import { orient } from '../decode';
import type { ImageHeader } from '../image-header';
import { readImageHeader } from '../image-header';
import { problem } from '../problems';
import type { RawImage } from '../resize';

const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

type WasmDecode = (data: ArrayBuffer) => Promise<{ width: number; height: number; data: Uint8ClampedArray }>;
interface WasmCodec {
  init(module: WebAssembly.Module, options: object): Promise<void>;
  default: WasmDecode;
}

/** The last line a wasm codec printed: its reason when it gives up. */
let codecMessage = '';

/** Compiles a Squoosh codec's wasm from the file npm installed (its own loader expects a web page), once. */
function wasmCodec(load: () => Promise<WasmCodec>, wasm: string): () => Promise<WasmDecode> {
  let ready: Promise<WasmDecode> | undefined;
  return () =>
    (ready ??= (async () => {
      const codec = await load();
      const bytes = await readFile(createRequire(import.meta.url).resolve(wasm));
      const quiet = { print: () => {}, printErr: (line: string) => void (codecMessage = line) };
      await codec.init(await WebAssembly.compile(bytes), quiet);
      return codec.default;
    })());
}

const webpDecoder = wasmCodec(
  () => import('@jsquash/webp/decode.js'),
  '@jsquash/webp/codec/dec/webp_dec.wasm',
);
// Orientation is applied by orient(), one tested rule for every JPEG.
const jpegDecoder = wasmCodec(async () => {
  const codec = await import('@jsquash/jpeg/decode.js');
  return { init: codec.init, default: (data) => codec.default(data, { preserveOrientation: false }) };
}, '@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm');

async function decodeWasm(decoder: () => Promise<WasmDecode>, bytes: Uint8Array): Promise<RawImage> {
  const decode = await decoder();
  codecMessage = '';
  try {
    const image = await decode(bytes.slice().buffer);
    return { width: image.width, height: image.height, channels: 4, data: image.data };
  } catch (e) {
    throw new Error(codecMessage || (e instanceof Error ? e.message : String(e)));
  }
}

function decodeGif(bytes: Uint8Array): RawImage {
  const reader = new GifReader(asBuffer(bytes));
  if (reader.numFrames() === 0) throw new Error('the GIF has no frames');
  const data = new Uint8Array(reader.width * reader.height * 4);
  reader.decodeAndBlitFrameRGBA(0, data);
  return { width: reader.width, height: reader.height, channels: 4, data };
}

function decodeBitmap(bytes: Uint8Array): RawImage {
  // A colour table longer than 256 entries is a damaged header (bmp-ts would try to read it all).
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
    case 'jpeg':
      return orient(await decodeWasm(jpegDecoder, bytes), header.orientation);
    case 'webp':
      return decodeWasm(webpDecoder, bytes);
    case 'gif':
      return decodeGif(bytes);
    case 'bmp':
      return decodeBitmap(bytes);
  }
}

export const nodeImageDecoder: ImageDecoder = async (bytes, file) => {
  const header = readImageHeader(bytes, file);
  if (!header.ok) return header;
  const kind = header.value.format.toUpperCase();
  try {
    const image = await decodeFormat(bytes, header.value);
    if (image.width * image.height * 4 !== image.data.length)
      return problem(
        file,
        `the ${kind} decoder returned ${image.data.length} bytes for ${image.width}×${image.height} pixels`,
      );
    return { ok: true, value: image };
  } catch (e) {
    return problem(file, `the ${kind} data is damaged (${e instanceof Error ? e.message : String(e)})`);
  }
};
