/**
 * CIFAR-10 and CIFAR-100 binary batches. A CIFAR-10 record is one label byte and 3,072 pixel bytes
 * (the red, green and blue 32×32 planes, rows top to bottom); a CIFAR-100 record has a coarse and a
 * fine label byte first. Files: data_batch_1…5.bin and test_batch.bin (CIFAR-10), train.bin and
 * test.bin (CIFAR-100); class names from batches.meta.txt, fine_label_names.txt and
 * coarse_label_names.txt when given, else the published ones. Pixels become interleaved (HWC).
 *
 * parseCifar reads one batch; loadCifarDataset reads a set of files into a dataset.
 */
import type { DatasetOptions } from './assemble';
import { CIFAR10_CLASSES, CIFAR100_COARSE_CLASSES, CIFAR100_FINE_CLASSES } from './cifar-names';
import type { ImageDataset, Split } from './dataset';
import { byteDataset } from './dataset';
import type { DataFile } from './files';
import { ARCHIVE_BYTES_LIMIT, datasetSizeProblem, formatBytes } from './limits';
import type { FileProblem, Parsed } from './problems';
import { count, formatProblem, problem } from './problems';
import { fitImageInto } from './resize';
import { splitItems } from './split';

export type CifarVariant = 'cifar-10' | 'cifar-100';

const SIDE = 32;
const PLANE = SIDE * SIDE;
const PIXELS = 3 * PLANE;
const labelBytes = (v: CifarVariant) => (v === 'cifar-10' ? 1 : 2);
const recordBytes = (v: CifarVariant) => labelBytes(v) + PIXELS;

export interface CifarBatch {
  readonly variant: CifarVariant;
  readonly count: number;
  /** count × 32 × 32 × 3 bytes, interleaved. */
  readonly images: Uint8Array;
  /** CIFAR-10's label, or CIFAR-100's fine label. */
  readonly labels: Int32Array;
  /** CIFAR-100's coarse label (superclass). */
  readonly coarse?: Int32Array;
}

/** The variant a file's name (or failing that, its size) says it is. */
export function cifarVariantOf(file: string, size: number): CifarVariant | null {
  const name = file.split('/').pop()!.toLowerCase();
  if (/^(data_batch_\d+|test_batch)(\.bin)?$/.test(name)) return 'cifar-10';
  if (/^(train|test)(\.bin)?$/.test(name)) return 'cifar-100';
  const ten = size % recordBytes('cifar-10') === 0;
  const hundred = size % recordBytes('cifar-100') === 0;
  return ten && !hundred ? 'cifar-10' : hundred && !ten ? 'cifar-100' : null;
}

/** Problems of a batch's size and labels, checked before anything is allocated. */
function check(bytes: Uint8Array, file: string, variant: CifarVariant): FileProblem | number {
  const record = recordBytes(variant);
  const fail = (message: string, at?: string) => problem(file, message, at).problem;
  if (bytes.length === 0) return fail('the file is empty');
  if (bytes[0] === 0x80 && bytes[1] !== undefined && bytes[1] <= 5)
    return fail(
      'this is the Python version of CIFAR (a pickle); use the binary version (the …-binary.tar.gz download)',
      'byte 0',
    );
  if (bytes.length > ARCHIVE_BYTES_LIMIT)
    return fail(
      `the file is ${formatBytes(bytes.length)}; files of at most ${formatBytes(ARCHIVE_BYTES_LIMIT)} are read`,
    );
  const whole = Math.floor(bytes.length / record);
  if (whole * record !== bytes.length)
    return fail(
      `the file is truncated: ${variant.toUpperCase()} records are ${count(record)} bytes, and the last one has only ${count(bytes.length - whole * record)}`,
      `record ${count(whole + 1)}, byte ${count(whole * record)}`,
    );
  const limits = variant === 'cifar-10' ? [10] : [20, 100];
  for (let n = 0; n < whole; n++)
    for (let k = 0; k < limits.length; k++) {
      const label = bytes[n * record + k]!;
      if (label >= limits[k]!) {
        const which = variant === 'cifar-10' ? 'label' : k === 0 ? 'coarse label' : 'fine label';
        const hint = variant === 'cifar-10' ? ' (is this a CIFAR-100 file?)' : '';
        return fail(
          `${which} ${label} is outside ${variant.toUpperCase()}'s 0–${limits[k]! - 1}${hint}`,
          `record ${count(n + 1)}, byte ${count(n * record + k)}`,
        );
      }
    }
  return whole;
}

/** Writes record `n` of a checked batch as interleaved (HWC) pixels into `out` at `offset`. */
function recordPixels(
  bytes: Uint8Array,
  variant: CifarVariant,
  n: number,
  out: Uint8Array,
  offset: number,
): void {
  const planes = n * recordBytes(variant) + labelBytes(variant);
  for (let p = 0; p < PLANE; p++) {
    out[offset + 3 * p] = bytes[planes + p]!;
    out[offset + 3 * p + 1] = bytes[planes + PLANE + p]!;
    out[offset + 3 * p + 2] = bytes[planes + 2 * PLANE + p]!;
  }
}

/** Label byte `which` (0: CIFAR-10's label or CIFAR-100's coarse one; 1: CIFAR-100's fine one) of record `n`. */
const labelAt = (bytes: Uint8Array, variant: CifarVariant, n: number, which: 0 | 1) =>
  bytes[n * recordBytes(variant) + which]!;

/** Reads one binary batch; `variant` defaults to what the name or size says. */
export function parseCifar(bytes: Uint8Array, file: string, variant?: CifarVariant): Parsed<CifarBatch> {
  const v = variant ?? cifarVariantOf(file, bytes.length);
  if (v === null)
    return problem(
      file,
      `not a CIFAR batch: ${count(bytes.length)} bytes is a whole number of neither CIFAR-10's 3,073-byte records nor CIFAR-100's 3,074-byte ones (or the file is truncated)`,
    );
  const whole = check(bytes, file, v);
  if (typeof whole !== 'number') return { ok: false, problem: whole };
  const images = new Uint8Array(whole * PIXELS);
  const fine = v === 'cifar-10' ? 0 : 1;
  const labels = Int32Array.from({ length: whole }, (_, n) => labelAt(bytes, v, n, fine));
  const coarse =
    v === 'cifar-100' ? Int32Array.from({ length: whole }, (_, n) => labelAt(bytes, v, n, 0)) : null;
  for (let n = 0; n < whole; n++) recordPixels(bytes, v, n, images, n * PIXELS);
  return {
    ok: true,
    value: { variant: v, count: whole, images, labels, ...(coarse === null ? {} : { coarse }) },
  };
}

const NAME_FILES: ReadonlyMap<string, { variant: CifarVariant; kind: 'fine' | 'coarse'; expected: number }> =
  new Map([
    ['batches.meta.txt', { variant: 'cifar-10', kind: 'fine', expected: 10 }],
    ['fine_label_names.txt', { variant: 'cifar-100', kind: 'fine', expected: 100 }],
    ['coarse_label_names.txt', { variant: 'cifar-100', kind: 'coarse', expected: 20 }],
  ]);

export interface CifarOptions extends DatasetOptions {
  /** CIFAR-100's 100 fine classes (the default) or its 20 coarse superclasses. */
  readonly labels?: 'fine' | 'coarse';
}

export type LoadedCifar =
  | { readonly ok: true; readonly dataset: ImageDataset<Uint8Array> }
  | { readonly ok: false; readonly message: string };

/**
 * Reads CIFAR batches (and their name lists) into a dataset: files with "test" in their name are the
 * validation part; without one, a seeded split. Sizes and labels of every batch are checked, and the
 * total against the memory limit, before any pixels are copied.
 */
export function loadCifarDataset(files: readonly DataFile[], options: CifarOptions = {}): LoadedCifar {
  const fail = (message: string): LoadedCifar => ({ ok: false, message });
  const names = new Map<string, string[]>();
  const batches: { file: DataFile; variant: CifarVariant; count: number; test: boolean }[] = [];
  for (const file of files) {
    const base = file.path.split('/').pop()!.toLowerCase();
    const list = NAME_FILES.get(base);
    if (list !== undefined) {
      const lines = new TextDecoder()
        .decode(file.bytes.subarray(0, 64 * 1024))
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l !== '');
      if (lines.length !== list.expected)
        return fail(
          `${file.path}: lists ${lines.length} class names; ${list.variant.toUpperCase()} has ${list.expected} ${list.kind === 'coarse' ? 'superclasses' : 'classes'}`,
        );
      names.set(`${list.variant} ${list.kind}`, lines);
      continue;
    }
    if (base.endsWith('.html') || base === 'readme.html') continue;
    const variant = cifarVariantOf(file.path, file.bytes.length);
    if (variant === null) {
      const parsed = parseCifar(file.bytes, file.path);
      return fail(parsed.ok ? `${file.path}: not a CIFAR batch` : formatProblem(parsed.problem));
    }
    const checked = check(file.bytes, file.path, variant);
    if (typeof checked !== 'number') return fail(formatProblem(checked));
    batches.push({ file, variant, count: checked, test: /test/.test(base) });
  }
  if (batches.length === 0)
    return fail(
      'no CIFAR batches among the files (data_batch_1.bin … test_batch.bin, or train.bin and test.bin)',
    );
  const variant = batches[0]!.variant;
  const other = batches.find((b) => b.variant !== variant);
  if (other !== undefined)
    return fail(
      `${batches[0]!.file.path} is ${variant.toUpperCase()} but ${other.file.path} is ${other.variant.toUpperCase()}`,
    );
  const train = batches.filter((b) => !b.test);
  const test = batches.filter((b) => b.test);
  if (train.length === 0)
    return fail('only test batches: give the training batches too (data_batch_1.bin … or train.bin)');
  const shape = options.fit?.shape ?? { height: SIDE, width: SIDE, channels: 3 };
  const total = batches.reduce((n, b) => n + b.count, 0);
  const tooBig = datasetSizeProblem(total, shape.height, shape.width, shape.channels);
  if (tooBig !== null) return fail(tooBig);

  const coarse = variant === 'cifar-100' && options.labels === 'coarse';
  const which = variant === 'cifar-10' || coarse ? 0 : 1;
  const inOrder = (part: typeof batches) =>
    [...part].sort((x, y) => x.file.path.localeCompare(y.file.path, 'en', { numeric: true }));
  const records = (part: typeof batches) =>
    inOrder(part).flatMap((b) => Array.from({ length: b.count }, (_, n) => ({ bytes: b.file.bytes, n })));
  const trainRecords = records(train);
  const labelsOf = (list: typeof trainRecords) =>
    Int32Array.from(list, (r) => labelAt(r.bytes, variant, r.n, which));
  // Decide each record's place before copying pixels, so memory holds the files and the dataset only.
  let parts: { train: typeof trainRecords; validation: typeof trainRecords };
  if (test.length > 0) parts = { train: trainRecords, validation: records(test) };
  else parts = splitItems(trainRecords, (r) => labelAt(r.bytes, variant, r.n, which), options);
  const per = shape.height * shape.width * shape.channels;
  const scratch = new Uint8Array(PIXELS);
  const fill = (list: typeof trainRecords): Split<Uint8Array> => {
    const images = new Uint8Array(list.length * per);
    list.forEach((r, i) => {
      if (options.fit === undefined) recordPixels(r.bytes, variant, r.n, images, i * per);
      else {
        recordPixels(r.bytes, variant, r.n, scratch, 0);
        fitImageInto(
          { width: SIDE, height: SIDE, channels: 3, data: scratch },
          options.fit.shape,
          options.fit.mode,
          images,
          i * per,
        );
      }
    });
    return { count: list.length, images, labels: labelsOf(list) };
  };
  const classes =
    variant === 'cifar-10'
      ? (names.get('cifar-10 fine') ?? CIFAR10_CLASSES)
      : coarse
        ? (names.get('cifar-100 coarse') ?? CIFAR100_COARSE_CLASSES)
        : (names.get('cifar-100 fine') ?? CIFAR100_FINE_CLASSES);
  const name = variant === 'cifar-10' ? 'CIFAR-10' : coarse ? 'CIFAR-100 (20 superclasses)' : 'CIFAR-100';
  return { ok: true, dataset: byteDataset(name, classes, shape, fill(parts.train), fill(parts.validation)) };
}
