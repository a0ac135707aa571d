import { describe, expect, it } from 'vitest';
import { loadCifarDataset, parseCifar } from '../../src/data/cifar';
import { CIFAR10_CLASSES, CIFAR100_FINE_CLASSES } from '../../src/data/cifar-names';

const PLANE = 1024;

/** One record: label byte(s), then the red, green and blue planes; pixel p of channel c is (p + 7c + seed) mod 256. */
function record(labels: readonly number[], seed: number): Uint8Array {
  const out = new Uint8Array(labels.length + 3 * PLANE);
  out.set(labels);
  for (let c = 0; c < 3; c++)
    for (let p = 0; p < PLANE; p++) out[labels.length + c * PLANE + p] = (p + 7 * c + seed) % 256;
  return out;
}
const batch = (records: Uint8Array[]) => {
  const out = new Uint8Array(records.reduce((n, r) => n + r.length, 0));
  let at = 0;
  for (const r of records) {
    out.set(r, at);
    at += r.length;
  }
  return out;
};

const ten = batch([record([3], 0), record([9], 1), record([0], 2)]);
const hundred = batch([record([4, 55], 0), record([19, 99], 5)]);

describe('CIFAR binary batches', () => {
  it('reads CIFAR-10 labels and turns the colour planes into interleaved pixels', () => {
    const r = parseCifar(ten, 'cifar-10-batches-bin/data_batch_1.bin');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.variant).toBe('cifar-10');
    expect(r.value.count).toBe(3);
    expect(Array.from(r.value.labels)).toEqual([3, 9, 0]);
    // Image 1 starts at byte 3,072; its pixel at row 2, column 5 has channel c at 3,072 + (2·32 + 5)·3 + c.
    const p = 2 * 32 + 5;
    for (let c = 0; c < 3; c++) expect(r.value.images[3072 + p * 3 + c]).toBe((p + 7 * c + 1) % 256);
    expect(r.value.coarse).toBeUndefined();
  });

  it('reads CIFAR-100 coarse and fine labels', () => {
    const r = parseCifar(hundred, 'cifar-100-binary/train.bin');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.variant).toBe('cifar-100');
    expect(Array.from(r.value.labels)).toEqual([55, 99]);
    expect(Array.from(r.value.coarse!)).toEqual([4, 19]);
    expect(r.value.images[3072 + 3 * 10 + 2]).toBe((10 + 14 + 5) % 256);
  });

  it('says which record a truncated file breaks off in', () => {
    const r = parseCifar(ten.subarray(0, ten.length - 10), 'data_batch_1.bin');
    expect(r).toEqual({
      ok: false,
      problem: {
        file: 'data_batch_1.bin',
        at: 'record 3, byte 6,146',
        message: 'the file is truncated: CIFAR-10 records are 3,073 bytes, and the last one has only 3,063',
      },
    });
  });

  it('refuses a label outside the classes, naming the record (a CIFAR-100 file read as CIFAR-10)', () => {
    const wrong = ten.slice();
    wrong[3073] = 12;
    expect(parseCifar(wrong, 'data_batch_2.bin')).toEqual({
      ok: false,
      problem: {
        file: 'data_batch_2.bin',
        at: 'record 2, byte 3,073',
        message: "label 12 is outside CIFAR-10's 0–9 (is this a CIFAR-100 file?)",
      },
    });
    const fine = hundred.slice();
    fine[1] = 100;
    expect(parseCifar(fine, 'test.bin')).toMatchObject({
      ok: false,
      problem: { at: 'record 1, byte 1', message: expect.stringMatching(/^fine label 100/) },
    });
  });

  it("recognises the Python version's pickles and files of neither size", () => {
    const pickle = new Uint8Array([0x80, 0x02, 0x7d, 0x71]);
    expect(parseCifar(pickle, 'data_batch_1')).toMatchObject({
      ok: false,
      problem: { at: 'byte 0', message: expect.stringMatching(/Python version of CIFAR/) },
    });
    expect(parseCifar(new Uint8Array(5000), 'mystery.bin')).toMatchObject({
      ok: false,
      problem: { message: expect.stringMatching(/not a CIFAR batch/) },
    });
  });
});

describe('CIFAR datasets', () => {
  it('joins training batches, uses test_batch for validation and batches.meta.txt for names', () => {
    const names = 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n\n';
    const r = loadCifarDataset([
      { path: 'cifar-10-batches-bin/test_batch.bin', bytes: batch([record([1], 3)]) },
      { path: 'cifar-10-batches-bin/data_batch_2.bin', bytes: batch([record([7], 9)]) },
      { path: 'cifar-10-batches-bin/data_batch_1.bin', bytes: ten },
      { path: 'cifar-10-batches-bin/batches.meta.txt', bytes: new TextEncoder().encode(names) },
    ]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.dataset.name).toBe('CIFAR-10');
    expect(r.dataset.classes).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']);
    expect([r.dataset.height, r.dataset.width, r.dataset.channels]).toEqual([32, 32, 3]);
    // Batches in numeric order: data_batch_1's three records, then data_batch_2's.
    expect(Array.from(r.dataset.train.labels)).toEqual([3, 9, 0, 7]);
    expect(r.dataset.train.images[3 * 3072]).toBe(9);
    expect(Array.from(r.dataset.validation.labels)).toEqual([1]);
  });

  it('falls back to the published names, and reads CIFAR-100 by fine or coarse labels', () => {
    const plain = loadCifarDataset([{ path: 'data_batch_1.bin', bytes: ten }], { validationShare: 0 });
    expect(plain.ok && plain.dataset.classes).toEqual(CIFAR10_CLASSES);
    const fine = loadCifarDataset([{ path: 'train.bin', bytes: hundred }], { validationShare: 0 });
    expect(fine.ok && fine.dataset.classes).toEqual(CIFAR100_FINE_CLASSES);
    expect(fine.ok && Array.from(fine.dataset.train.labels)).toEqual([55, 99]);
    const coarse = loadCifarDataset([{ path: 'train.bin', bytes: hundred }], {
      labels: 'coarse',
      validationShare: 0,
    });
    expect(coarse.ok && coarse.dataset.classes.length).toBe(20);
    expect(coarse.ok && Array.from(coarse.dataset.train.labels)).toEqual([4, 19]);
  });

  it('without a test batch, splits by a seeded stratified share, each image keeping its label; fits when asked', () => {
    // Record k has label k mod 2 and first pixel value k.
    const six = batch(Array.from({ length: 6 }, (_, k) => record([k % 2], k)));
    const r = loadCifarDataset([{ path: 'data_batch_1.bin', bytes: six }], {
      validationShare: 1 / 3,
      seed: 2,
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.dataset.train.count).toBe(4);
    expect(Array.from(r.dataset.validation.labels).sort()).toEqual([0, 1]);
    for (const split of [r.dataset.train, r.dataset.validation])
      for (let i = 0; i < split.count; i++) expect(split.images[i * 3072]! % 2).toBe(split.labels[i]);
    const grey = loadCifarDataset([{ path: 'data_batch_1.bin', bytes: six }], {
      validationShare: 0,
      fit: { shape: { height: 1, width: 1, channels: 1 }, mode: 'stretch' },
    });
    expect(grey.ok).toBe(true);
    if (!grey.ok) return;
    // One pixel averaging all 1,024 (resize.test.ts checks the arithmetic exactly): every channel's values
    // run through 0–255 four times, so each mean is 127.5 and so is the grey, give or take rounding.
    for (const v of grey.dataset.train.images) expect(Math.abs(v - 127.5)).toBe(0.5);
  });

  it('refuses a name list of the wrong length and a mix of CIFAR-10 and CIFAR-100', () => {
    expect(
      loadCifarDataset([
        { path: 'data_batch_1.bin', bytes: ten },
        { path: 'batches.meta.txt', bytes: new TextEncoder().encode('cat\ndog\n') },
      ]),
    ).toEqual({ ok: false, message: 'batches.meta.txt: lists 2 class names; CIFAR-10 has 10 classes' });
    expect(
      loadCifarDataset([
        { path: 'data_batch_1.bin', bytes: ten },
        { path: 'test.bin', bytes: hundred },
      ]),
    ).toEqual({
      ok: false,
      message: 'data_batch_1.bin is CIFAR-10 but test.bin is CIFAR-100',
    });
  });
});
