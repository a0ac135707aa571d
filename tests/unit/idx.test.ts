import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { loadIdxDataset, parseIdx } from '../../src/data/idx';

/** An unsigned-byte IDX file: magic 00 00 08 rank, big-endian dimensions, the values. */
function idx(dims: readonly number[], values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + values.length);
  out.set([0, 0, 0x08, dims.length]);
  const view = new DataView(out.buffer);
  dims.forEach((d, k) => view.setUint32(4 + 4 * k, d));
  out.set(Array.from(values), 4 + 4 * dims.length);
  return out;
}

// Three 2×2 images whose pixels count up, and their labels.
const pixels = Array.from({ length: 12 }, (_, i) => i * 20);
const imagesFile = idx([3, 2, 2], pixels);
const labelsFile = idx([3], [0, 1, 2]);

describe('IDX files', () => {
  it('reads the dimensions and values of a plain file', () => {
    const r = parseIdx(imagesFile, 'train-images-idx3-ubyte');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.dims).toEqual([3, 2, 2]);
    expect(Array.from(r.value.data)).toEqual(pixels);
  });

  it('reads the same from a gzipped file', () => {
    const r = parseIdx(gzipSync(imagesFile), 'train-images-idx3-ubyte.gz');
    expect(r.ok && Array.from(r.value.data)).toEqual(pixels);
    expect(r.ok && r.value.dims).toEqual([3, 2, 2]);
  });

  it('says where a truncated file ends, plain or gzipped', () => {
    const cut = imagesFile.subarray(0, imagesFile.length - 1);
    const plain = parseIdx(cut, 'a');
    expect(plain).toEqual({
      ok: false,
      problem: {
        file: 'a',
        at: 'byte 27',
        message: 'the file is truncated: its header states 28 bytes, the file has 27',
      },
    });
    const gz = parseIdx(gzipSync(cut), 'a.gz');
    expect(gz.ok).toBe(false);
    if (!gz.ok)
      expect(gz.problem.message).toMatch(/truncated: its header states 28 bytes, it inflates to 27/);
    // A gzip stream that is itself cut short.
    const stream = gzipSync(imagesFile);
    const cutStream = parseIdx(stream.subarray(0, stream.length - 12), 'b.gz');
    expect(cutStream.ok).toBe(false);
    if (!cutStream.ok) expect(cutStream.problem.message).toMatch(/gzip data is damaged|truncated/);
    // A file that ends inside its own header.
    expect(parseIdx(imagesFile.subarray(0, 9), 'c')).toMatchObject({ ok: false, problem: { at: 'header' } });
  });

  it('refuses a wrong magic number, naming the byte', () => {
    const wrong = imagesFile.slice();
    wrong[0] = 0x50; // 'P', as in a text or image file
    expect(parseIdx(wrong, 'x')).toMatchObject({
      ok: false,
      problem: { at: 'byte 0', message: expect.stringMatching(/magic number starts 0x50 0x00/) },
    });
    const floats = imagesFile.slice();
    floats[2] = 0x0d;
    expect(parseIdx(floats, 'x')).toMatchObject({
      ok: false,
      problem: { at: 'byte 2', message: expect.stringMatching(/float32 values/) },
    });
    const unknown = imagesFile.slice();
    unknown[2] = 0x42;
    expect(parseIdx(unknown, 'x')).toMatchObject({
      ok: false,
      problem: { at: 'byte 2', message: expect.stringMatching(/unknown value type 0x42/) },
    });
    const rank = imagesFile.slice();
    rank[3] = 9;
    expect(parseIdx(rank, 'x')).toMatchObject({ ok: false, problem: { at: 'byte 3' } });
  });

  it('refuses bytes after the last value', () => {
    const longer = new Uint8Array(imagesFile.length + 5);
    longer.set(imagesFile);
    expect(parseIdx(longer, 'x')).toMatchObject({
      ok: false,
      problem: { at: 'byte 28', message: '5 bytes follow the last value the header states' },
    });
  });
});

describe('IDX datasets', () => {
  it('pairs training and test files by name, gzipped or not, with classes 0 … max', () => {
    const r = loadIdxDataset([
      { path: 'mnist/t10k-labels-idx1-ubyte.gz', bytes: gzipSync(idx([2], [1, 0])) },
      { path: 'mnist/train-images-idx3-ubyte.gz', bytes: gzipSync(imagesFile) },
      { path: 'mnist/train-labels-idx1-ubyte', bytes: labelsFile },
      { path: 'mnist/t10k-images-idx3-ubyte', bytes: idx([2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]) },
    ]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const d = r.dataset;
    expect([d.height, d.width, d.channels]).toEqual([2, 2, 1]);
    expect(d.classes).toEqual(['0', '1', '2']);
    expect(d.train.count).toBe(3);
    expect(Array.from(d.train.images)).toEqual(pixels);
    expect(Array.from(d.train.labels)).toEqual([0, 1, 2]);
    expect(Array.from(d.validation.images)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(Array.from(d.validation.labels)).toEqual([1, 0]);
  });

  it('splits a training pair alone by a seeded, stratified share', () => {
    // 10 images of each of two classes; 20% of each goes to validation.
    const n = 20;
    const images = idx(
      [n, 1, 1],
      Array.from({ length: n }, (_, i) => i),
    );
    const labels = idx(
      [n],
      Array.from({ length: n }, (_, i) => i % 2),
    );
    const load = (seed: number) =>
      loadIdxDataset(
        [
          { path: 'train-images', bytes: images },
          { path: 'train-labels', bytes: labels },
        ],
        { seed },
      );
    const r = load(3);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.dataset.validation.count).toBe(4);
    expect(Array.from(r.dataset.validation.labels).sort()).toEqual([0, 0, 1, 1]);
    // Every image lands in exactly one part, keeping its own label (here the pixel value is the index).
    const seen = [...r.dataset.train.images, ...r.dataset.validation.images].sort((a, b) => a - b);
    expect(seen).toEqual(Array.from({ length: n }, (_, i) => i));
    const all = [...r.dataset.train.images.keys()].map((k) => [
      r.dataset.train.images[k]!,
      r.dataset.train.labels[k]!,
    ]);
    for (const [value, label] of all) expect(label).toBe(value! % 2);
    // The same seed splits the same way; another seed differently.
    const again = load(3);
    expect(again.ok && Array.from(again.dataset.validation.images)).toEqual(
      Array.from(r.dataset.validation.images),
    );
    const other = load(4);
    expect(other.ok && Array.from(other.dataset.validation.images)).not.toEqual(
      Array.from(r.dataset.validation.images),
    );
  });

  it('says what is missing or mismatched', () => {
    const only = loadIdxDataset([{ path: 'train-images-idx3-ubyte', bytes: imagesFile }]);
    expect(only).toEqual({
      ok: false,
      message: 'training labels are missing (found train-images-idx3-ubyte)',
    });
    const mismatch = loadIdxDataset([
      { path: 'train-images-idx3-ubyte', bytes: imagesFile },
      { path: 'train-labels-idx1-ubyte', bytes: idx([2], [0, 1]) },
    ]);
    expect(mismatch).toEqual({
      ok: false,
      message: 'train-images-idx3-ubyte has 3 images but train-labels-idx1-ubyte has 2 labels',
    });
    const broken = loadIdxDataset([
      { path: 'train-images-idx3-ubyte', bytes: imagesFile.subarray(0, 20) },
      { path: 'train-labels-idx1-ubyte', bytes: labelsFile },
    ]);
    expect(broken).toEqual({
      ok: false,
      message:
        'train-images-idx3-ubyte, byte 20: the file is truncated: its header states 28 bytes, the file has 20',
    });
  });

  it('fits the images to the input node when asked', () => {
    const r = loadIdxDataset(
      [
        { path: 'train-images', bytes: imagesFile },
        { path: 'train-labels', bytes: labelsFile },
      ],
      {
        fit: { shape: { height: 1, width: 1, channels: 3 }, mode: 'stretch' },
        validationShare: 0,
      },
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // Each 2×2 image averages to one pixel, repeated on three channels: (0+20+40+60)/4 = 30, …
    expect(Array.from(r.dataset.train.images)).toEqual([30, 30, 30, 110, 110, 110, 190, 190, 190]);
  });
});
