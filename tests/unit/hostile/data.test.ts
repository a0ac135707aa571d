/** Data files built to do harm: each is refused from its header, before the claimed size is allocated. */
import { Gzip, gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { FolderEntry } from '../../../src/data/files';
import { loadFolderDataset } from '../../../src/data/folder';
import { loadIdxDataset, parseIdx } from '../../../src/data/idx';
import { DATASET_BYTES_LIMIT } from '../../../src/core/training/data';
import { FILE_BYTES_LIMIT, FILE_COUNT_LIMIT } from '../../../src/data/limits';
import { nodeImageDecoder } from '../../../src/data/node/decode';
import { pngFile, solid } from '../support/images';

const idxHeader = (dims: readonly number[]) => {
  const out = new Uint8Array(4 + 4 * dims.length);
  out.set([0, 0, 0x08, dims.length]);
  dims.forEach((d, k) => new DataView(out.buffer).setUint32(4 + 4 * k, d));
  return out;
};

/** Compressed `zeros` zero bytes after `head`, streamed so the test itself never holds them. */
function gzipWithZeros(head: Uint8Array, zeros: number): Uint8Array {
  const parts: Uint8Array[] = [];
  const gz = new Gzip({ level: 9 }, (chunk) => parts.push(chunk));
  gz.push(head);
  const block = new Uint8Array(1 << 20);
  for (let left = zeros; left > 0; left -= block.length)
    gz.push(block.subarray(0, Math.min(block.length, left)), left <= block.length);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A folder entry whose bytes must never be read. */
const unread = (path: string, size = 100): FolderEntry => ({
  path,
  size,
  bytes: () => {
    throw new Error(`${path} was read`);
  },
});

describe('hostile data files', () => {
  it('an IDX header claiming 10¹² items is refused from the header, plain or gzipped', () => {
    const claim = [1_000_000, 1000, 1000];
    const expected = {
      at: 'header',
      message: expect.stringMatching(
        /claims 1,000,000 × 1,000 × 1,000 = 1,000,000,000,000 values, more than the 1 GB/,
      ),
    };
    expect(parseIdx(idxHeader(claim), 'plain')).toMatchObject({ ok: false, problem: expected });
    expect(parseIdx(gzipSync(idxHeader(claim)), 'zipped.gz')).toMatchObject({ ok: false, problem: expected });
    // Through the dataset loader too, before any file's values are read.
    const r = loadIdxDataset([
      { path: 'train-images-idx3-ubyte.gz', bytes: gzipWithZeros(idxHeader(claim), 1 << 20) },
      { path: 'train-labels-idx1-ubyte', bytes: idxHeader([1_000_000]) },
    ]);
    expect(r).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^1,000,000 images of 1000×1000×1 need 931 GB, more than the 1 GB/),
    });
  });

  it('a gzip bomb stops inflating as soon as it passes the size its header states', () => {
    // The header says ten 28×28 images (7,856 bytes in all); 64 MB of zeros follow, in about 64 KB.
    const bomb = gzipWithZeros(idxHeader([10, 28, 28]), 64 << 20);
    expect(bomb.length).toBeLessThan(1 << 20);
    const r = parseIdx(bomb, 'train-images-idx3-ubyte.gz');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const stopped = Number(/stopped after ([\d,]+)/.exec(r.problem.message)![1]!.replace(/,/g, ''));
    expect(r.problem.message).toMatch(/inflates to more than the 7,856 bytes its header states .*gzip bomb/);
    // One piece of 4 KB compressed input inflates to at most ~4 MB: far from the 64 MB inside.
    expect(stopped).toBeLessThan(8 << 20);
  });

  it('a PNG header claiming 100,000 × 100,000 pixels is refused before decoding', async () => {
    const png = pngFile(2, 2, solid(2, 2, [1, 2, 3, 255]));
    const view = new DataView(png.buffer, png.byteOffset);
    view.setUint32(16, 100_000);
    view.setUint32(20, 100_000);
    expect(await nodeImageDecoder(png, 'huge.png')).toEqual({
      ok: false,
      problem: {
        file: 'huge.png',
        at: 'header',
        message:
          'the header claims 100000×100000 pixels (10,000,000,000); images of at most 50,000,000 pixels are decoded',
      },
    });
  });

  it('JPEG, GIF and BMP headers claiming gigapixels are refused the same way', async () => {
    // A JPEG start, a JFIF segment, then a baseline frame header (SOF0) for 65,535 × 65,535.
    const jfif = [0xff, 0xe0, 0x00, 0x10, ...new TextEncoder().encode('JFIF'), 0, 1, 1, 0, 0, 1, 0, 1, 0, 0];
    const jpeg = Uint8Array.from([
      0xff,
      0xd8,
      ...jfif,
      0xff,
      0xc0,
      0x00,
      0x11,
      0x08,
      0xff,
      0xff,
      0xff,
      0xff,
      0x03,
      ...new Array<number>(15).fill(0),
    ]);
    const gif = Uint8Array.from([
      ...new TextEncoder().encode('GIF89a'),
      0xff,
      0xff,
      0xff,
      0xff,
      0,
      0,
      0,
      0x3b,
    ]);
    const bmp = new Uint8Array(64);
    bmp.set([0x42, 0x4d]);
    new DataView(bmp.buffer).setUint32(14, 40, true);
    new DataView(bmp.buffer).setUint32(18, 0x7fffffff, true);
    new DataView(bmp.buffer).setInt32(22, 2, true);
    for (const [bytes, name] of [
      [jpeg, 'huge.jpg'],
      [gif, 'huge.gif'],
      [bmp, 'huge.bmp'],
    ] as const)
      expect(await nodeImageDecoder(bytes, name), name).toMatchObject({
        ok: false,
        problem: { at: 'header', message: expect.stringMatching(/^the header claims/) },
      });
  });

  it('a folder of too many files, or of more images than memory allows, is refused before any file is read', async () => {
    const options = {
      fit: { shape: { height: 32, width: 32, channels: 3 as const }, mode: 'stretch' as const },
      decode: nodeImageDecoder,
    };
    const many = Array.from({ length: FILE_COUNT_LIMIT + 1 }, (_, i) => unread(`d/c${i % 2}/${i}.png`));
    expect(await loadFolderDataset(many, options)).toMatchObject({
      ok: false,
      message: /the folder has 200,001 files; at most 200,000 are read/,
    });
    // 1024×1024×3 bytes each: 342 of them pass the 1 GiB limit.
    const big = {
      ...options,
      fit: { ...options.fit, shape: { height: 1024, width: 1024, channels: 3 as const } },
    };
    const files = Array.from({ length: 342 }, (_, i) => unread(`d/c${i % 2}/${i}.png`));
    expect(342 * 1024 * 1024 * 3).toBeGreaterThan(DATASET_BYTES_LIMIT);
    expect(await loadFolderDataset(files, big)).toMatchObject({
      ok: false,
      message: /^342 images of 1024×1024×3 need 1.002 GB, more than the 1 GB .*341 images fit/,
    });
  });

  it('a file larger than the per-file limit is skipped without being read', async () => {
    const small = pngFile(2, 2, solid(2, 2, [9, 9, 9, 255]));
    const file = (path: string): FolderEntry => ({ path, size: small.length, bytes: async () => small });
    const r = await loadFolderDataset(
      [file('d/a/1.png'), file('d/b/1.png'), unread('d/b/huge.png', FILE_BYTES_LIMIT + 10 * 1024 * 1024)],
      {
        fit: { shape: { height: 2, width: 2, channels: 1 }, mode: 'stretch' },
        decode: nodeImageDecoder,
        validationShare: 0,
      },
    );
    expect(r.ok).toBe(true);
    expect(r.skipped).toEqual([
      { file: 'd/b/huge.png', message: '74 MB; image files of at most 64 MB are read' },
    ]);
  });
});
