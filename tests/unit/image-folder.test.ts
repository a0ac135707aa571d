import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFolderDataset } from '../../src/data/folder';
import { nodeImageDecoder } from '../../src/data/node/decode';
import { folderEntries } from '../../src/data/node/files';
import { bmpFile, gifFile, jpegFile, pngFile, solid, webpFile } from './support/images';

const RED = [200, 30, 20, 255] as const;
const BLUE = [10, 40, 220, 255] as const;
let root: string;

async function write(files: Record<string, Uint8Array | string>): Promise<string> {
  const dir = await mkdtemp(join(root, 'set-'));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'convcanvas-folder-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const rgb4 = { shape: { height: 4, width: 4, channels: 3 as const }, mode: 'stretch' as const };

describe('image folders', () => {
  it('reads one class per subfolder, skips a corrupt and an unsupported file with the reason, and loads the rest', async () => {
    const png = pngFile(6, 6, solid(6, 6, RED));
    const dir = await write({
      'cat/one.png': png,
      'cat/two.jpg': jpegFile(8, 8, solid(8, 8, RED)),
      'cat/three.png': pngFile(5, 7, solid(5, 7, RED)),
      'dog/one.png': pngFile(6, 6, solid(6, 6, BLUE)),
      'dog/two.jpeg': jpegFile(9, 6, solid(9, 6, BLUE)),
      'dog/three.png': pngFile(4, 4, solid(4, 4, BLUE)),
      'dog/broken.png': png.subarray(0, 60),
      'dog/notes.txt': 'a dog, probably',
      '.DS_Store': 'clutter',
    });
    const progress: number[] = [];
    const r = await loadFolderDataset(await folderEntries(dir), {
      fit: rgb4,
      decode: nodeImageDecoder,
      validationShare: 1 / 3,
      onProgress: (done, total) => progress.push(done / total),
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.dataset.classes).toEqual(['cat', 'dog']);
    expect(r.split).toBe('random');
    expect(r.skipped.map((s) => [s.file.split('/').slice(-2).join('/'), s.message])).toEqual([
      ['dog/broken.png', expect.stringMatching(/^the PNG data is damaged/)],
      ['dog/notes.txt', 'not an image in a format ConvCanvas reads (PNG, JPEG, WebP, BMP and GIF)'],
    ]);
    const { train, validation } = r.dataset;
    expect(train.count + validation.count).toBe(6);
    expect([...train.labels, ...validation.labels].sort()).toEqual([0, 0, 0, 1, 1, 1]);
    expect(progress.at(-1)).toBe(1);
    // Every image is one flat colour, whatever its size: PNGs exactly, JPEGs within a few levels.
    const check = (split: typeof train) => {
      for (let n = 0; n < split.count; n++) {
        const colour = split.labels[n] === 0 ? RED : BLUE;
        for (let p = 0; p < 16; p++)
          for (let c = 0; c < 3; c++)
            expect(Math.abs(split.images[(n * 16 + p) * 3 + c]! - colour[c]!)).toBeLessThanOrEqual(4);
      }
    };
    check(train);
    check(validation);
    expect(train.images.length).toBe(train.count * 48);
  });

  it("uses the folder's own train/ and test/ (or val/) as the split, and makes greyscale when the input node asks", async () => {
    const dir = await write({
      'shapes/train/a/1.png': pngFile(3, 3, solid(3, 3, RED)),
      'shapes/train/a/2.png': pngFile(3, 3, solid(3, 3, RED)),
      'shapes/train/b/1.png': pngFile(3, 3, solid(3, 3, BLUE)),
      'shapes/val/a/1.png': pngFile(3, 3, solid(3, 3, RED)),
      'shapes/val/b/1.png': pngFile(3, 3, solid(3, 3, BLUE)),
      'shapes/val/stray.png': pngFile(3, 3, solid(3, 3, BLUE)),
    });
    const r = await loadFolderDataset(await folderEntries(join(dir, 'shapes')), {
      fit: { shape: { height: 2, width: 2, channels: 1 }, mode: 'centre-crop' },
      decode: nodeImageDecoder,
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.split).toBe('folders');
    expect(r.dataset.name).toBe('shapes');
    expect(r.dataset.classes).toEqual(['a', 'b']);
    expect(Array.from(r.dataset.train.labels)).toEqual([0, 0, 1]);
    expect(Array.from(r.dataset.validation.labels)).toEqual([0, 1]);
    expect(r.skipped).toEqual([
      { file: 'shapes/val/stray.png', message: 'not inside a class folder of train/ or test/' },
    ]);
    // Grey of (200, 30, 20) = 59.8 + 17.61 + 2.28 = 79.69 → 80; of (10, 40, 220) = 2.99 + 23.48 + 25.08 = 51.55 → 52.
    expect(Array.from(r.dataset.validation.images)).toEqual([80, 80, 80, 80, 52, 52, 52, 52]);
  });

  it('decodes BMP, GIF (first frame) and WebP in Node', async () => {
    const rgba = solid(3, 2, [90, 160, 30, 255]);
    const expectColour = async (bytes: Uint8Array, name: string, colour: readonly number[]) => {
      const r = await nodeImageDecoder(bytes, name);
      expect(r.ok, name).toBe(true);
      if (!r.ok) return;
      expect(r.value.channels).toBe(4);
      for (let i = 0; i < r.value.data.length; i += 4)
        expect(Array.from(r.value.data.subarray(i, i + 3)), name).toEqual(colour);
    };
    await expectColour(bmpFile(3, 2, rgba), 'a.bmp', [90, 160, 30]);
    await expectColour(gifFile(3, 2, [0x5aa01e, 0xffffff], 0), 'a.gif', [0x5a, 0xa0, 0x1e]);
    await expectColour(await webpFile(3, 2, rgba), 'a.webp', [90, 160, 30]);
  });

  it('turns a JPEG as its EXIF orientation says, as browsers do', async () => {
    // Stored 16 wide and 8 high, red left and blue right, tagged orientation 6 (turn a quarter clockwise).
    const rgba = new Uint8Array(16 * 8 * 4);
    for (let p = 0; p < 16 * 8; p++) rgba.set(p % 16 < 8 ? [255, 0, 0, 255] : [0, 0, 255, 255], p * 4);
    const tiff = [
      0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0,
    ];
    const exif = [...new TextEncoder().encode('Exif'), 0, 0, ...tiff];
    const jpeg = jpegFile(16, 8, rgba);
    const tagged = Uint8Array.from([
      0xff,
      0xd8,
      0xff,
      0xe1,
      0,
      exif.length + 2,
      ...exif,
      ...jpeg.subarray(2),
    ]);
    const r = await nodeImageDecoder(tagged, 'turned.jpg');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // Shown 8 wide and 16 high: the red left half is now the top.
    expect([r.value.width, r.value.height]).toEqual([8, 16]);
    const at = (x: number, y: number) =>
      Array.from(r.value.data.subarray((y * 8 + x) * 4, (y * 8 + x) * 4 + 3));
    for (const [x, y] of [
      [0, 0],
      [7, 2],
      [3, 6],
    ])
      expect(at(x!, y!)[0]).toBeGreaterThan(240);
    for (const [x, y] of [
      [0, 15],
      [7, 9],
      [3, 12],
    ])
      expect(at(x!, y!)[2]).toBeGreaterThan(240);
  });

  it("skips a JPEG whose data is damaged, with the decoder's reason", async () => {
    const jpeg = jpegFile(16, 16, solid(16, 16, RED));
    const r = await nodeImageDecoder(jpeg.subarray(0, 300), 'cut.jpg');
    expect(r).toMatchObject({
      ok: false,
      problem: { file: 'cut.jpg', message: expect.stringMatching(/^the JPEG data is damaged \(.+\)$/) },
    });
  });

  it('tells files that are not images from damaged images and names other image formats', async () => {
    const text = await nodeImageDecoder(new TextEncoder().encode('hello'), 'hello.txt');
    expect(text).toMatchObject({
      ok: false,
      problem: { message: 'not an image in a format ConvCanvas reads (PNG, JPEG, WebP, BMP and GIF)' },
    });
    // A little-endian TIFF header with a width and height tag.
    const tiff = Uint8Array.from([
      0x49, 0x49, 0x2a, 0, 8, 0, 0, 0, 2, 0, 0, 1, 3, 0, 1, 0, 0, 0, 4, 0, 0, 0, 1, 1, 3, 0, 1, 0, 0, 0, 4, 0,
      0, 0, 0, 0, 0, 0,
    ]);
    expect(await nodeImageDecoder(tiff, 'scan.tif')).toMatchObject({
      ok: false,
      problem: { message: 'a TIFF image; ConvCanvas reads PNG, JPEG, WebP, BMP and GIF' },
    });
    const png = pngFile(2, 2, solid(2, 2, RED));
    expect(await nodeImageDecoder(png.subarray(0, 12), 'stub.png')).toMatchObject({
      ok: false,
      problem: { at: 'header', message: expect.stringMatching(/^the PNG header is damaged/) },
    });
  });

  it('needs two classes', async () => {
    const dir = await write({
      'only/one.png': pngFile(2, 2, solid(2, 2, RED)),
      'only/two.png': pngFile(2, 2, solid(2, 2, RED)),
    });
    const r = await loadFolderDataset(await folderEntries(dir), { fit: rgb4, decode: nodeImageDecoder });
    expect(r).toMatchObject({ ok: false, message: expect.stringMatching(/only one class \(only\)/) });
  });
});
