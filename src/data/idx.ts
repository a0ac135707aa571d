/**
 * MNIST-format IDX files, plain or gzipped (MNIST, Fashion-MNIST, EMNIST, KMNIST): a header of two
 * zero bytes, a type code, the number of dimensions and each dimension as a big-endian uint32, then
 * the values. Only unsigned-byte files (type 0x08) are read. The header's size is checked against the
 * memory limit and against the file before the values are read or inflated.
 *
 * parseIdx reads one file; loadIdxDataset pairs images (3 dimensions) with labels (1 dimension) by
 * name: train-* for training, t10k-* or test-* for validation; without a test pair, a seeded split.
 */
import type { DatasetOptions, LabelledImages } from './assemble';
import { assembleDataset } from './assemble';
import type { ImageDataset } from './dataset';
import type { DataFile } from './files';
import { gunzipHead, gunzipSized, isGzip } from './gunzip';
import { DATASET_BYTES_LIMIT } from '../core/training/data';
import { ARCHIVE_BYTES_LIMIT, datasetSizeProblem, formatBytes } from './limits';
import type { FileProblem, Parsed } from './problems';
import { count, formatProblem, problem } from './problems';

export interface IdxArray {
  readonly dims: readonly number[];
  /** The values, row-major, one byte each. */
  readonly data: Uint8Array;
}

const TYPES: ReadonlyMap<number, string> = new Map([
  [0x08, 'unsigned byte'],
  [0x09, 'signed byte'],
  [0x0b, 'int16'],
  [0x0c, 'int32'],
  [0x0d, 'float32'],
  [0x0e, 'float64'],
]);

const hex = (b: number) => `0x${b.toString(16).padStart(2, '0')}`;

/** The header's dimensions, or 'more' while `head` is too short to hold them. */
function readHeader(
  head: Uint8Array,
  file: string,
): 'more' | Parsed<{ dims: number[]; headerBytes: number }> {
  if (head.length < 4) return 'more';
  if (head[0] !== 0 || head[1] !== 0)
    return problem(
      file,
      `not an IDX file: the magic number starts ${hex(head[0]!)} ${hex(head[1]!)}, IDX files start 0x00 0x00`,
      'byte 0',
    );
  const type = head[2]!;
  if (type !== 0x08) {
    const name = TYPES.get(type);
    return name === undefined
      ? problem(file, `not an IDX file: unknown value type ${hex(type)} in the magic number`, 'byte 2')
      : problem(
          file,
          `holds ${name} values; ConvCanvas reads IDX files of unsigned bytes (type 0x08), as MNIST's are`,
          'byte 2',
        );
  }
  const rank = head[3]!;
  if (rank < 1 || rank > 4)
    return problem(file, `claims ${rank} dimensions; IDX images have 3 and labels 1`, 'byte 3');
  if (head.length < 4 + 4 * rank) return 'more';
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const dims = Array.from({ length: rank }, (_, k) => view.getUint32(4 + 4 * k));
  const zero = dims.indexOf(0);
  if (zero >= 0) return problem(file, `dimension ${zero + 1} is 0`, `byte ${4 + 4 * zero}`);
  return { ok: true, value: { dims, headerBytes: 4 + 4 * rank } };
}

/** Total bytes the header says the file holds, refused when the values alone exceed the dataset limit. */
function claimedSize(head: Uint8Array, file: string): 'more' | Parsed<number> {
  const header = readHeader(head, file);
  if (header === 'more' || !header.ok) return header;
  const values = header.value.dims.reduce((a, b) => a * b, 1);
  if (values > DATASET_BYTES_LIMIT)
    return problem(
      file,
      `the header claims ${header.value.dims.map(count).join(' × ')} = ${count(values)} values, more than the ${formatBytes(DATASET_BYTES_LIMIT)} a dataset may hold`,
      'header',
    );
  return { ok: true, value: header.value.headerBytes + values };
}

export function parseIdx(bytes: Uint8Array, file: string): Parsed<IdxArray> {
  if (bytes.length > ARCHIVE_BYTES_LIMIT)
    return problem(
      file,
      `the file is ${formatBytes(bytes.length)}; files of at most ${formatBytes(ARCHIVE_BYTES_LIMIT)} are read`,
    );
  let raw = bytes;
  if (isGzip(bytes)) {
    const inflated = gunzipSized(bytes, file, (head) => claimedSize(head, file));
    if (!inflated.ok) return inflated;
    raw = inflated.value;
  } else {
    const size = claimedSize(bytes, file);
    if (size === 'more')
      return problem(file, `the file ends inside its header (${bytes.length} bytes)`, 'header');
    if (!size.ok) return size;
    if (bytes.length < size.value)
      return problem(
        file,
        `the file is truncated: its header states ${count(size.value)} bytes, the file has ${count(bytes.length)}`,
        `byte ${count(bytes.length)}`,
      );
    if (bytes.length > size.value)
      return problem(
        file,
        `${count(bytes.length - size.value)} bytes follow the last value the header states`,
        `byte ${count(size.value)}`,
      );
  }
  const header = readHeader(raw, file);
  if (header === 'more' || !header.ok) return problem(file, 'unreadable header'); // checked above
  return { ok: true, value: { dims: header.value.dims, data: raw.subarray(header.value.headerBytes) } };
}

/** The dimensions an IDX file's header states, inflating only the header of a gzipped one. */
export function readIdxDims(bytes: Uint8Array, file: string): Parsed<readonly number[]> {
  const head = isGzip(bytes) ? gunzipHead(bytes, file, 4 + 4 * 4) : { ok: true as const, value: bytes };
  if (!head.ok) return head;
  const header = readHeader(head.value, file);
  if (header === 'more')
    return problem(file, `the file ends inside its header (${head.value.length} bytes)`, 'header');
  return header.ok ? { ok: true, value: header.value.dims } : header;
}

/** Which part a file belongs to, by its name. */
const partOf = (path: string): 'train' | 'test' | null => {
  const name = path.split('/').pop()!.toLowerCase();
  return /t10k|test/.test(name) ? 'test' : /train/.test(name) ? 'train' : null;
};

const FASHION = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];

export type LoadedIdx =
  | { readonly ok: true; readonly dataset: ImageDataset<Uint8Array> }
  | { readonly ok: false; readonly message: string };

type Role = 'images' | 'labels';
type Part = 'train' | 'test';

/**
 * Reads IDX image and label files (any order, any of them gzipped) into a dataset. Every header is
 * read and the total checked against the memory limit before any file's values are. Classes are the
 * label values 0 … max, named by their numbers (Fashion-MNIST's by their names when a path says
 * "fashion").
 */
export function loadIdxDataset(files: readonly DataFile[], options: DatasetOptions = {}): LoadedIdx {
  const fail = (message: string): LoadedIdx => ({ ok: false, message });
  const located = (p: FileProblem) => fail(formatProblem(p));
  const slots = new Map<string, { file: DataFile; dims: readonly number[] }>();
  for (const file of files) {
    if (file.bytes.length > ARCHIVE_BYTES_LIMIT)
      return fail(
        `${file.path}: the file is ${formatBytes(file.bytes.length)}; files of at most ${formatBytes(ARCHIVE_BYTES_LIMIT)} are read`,
      );
    const dims = readIdxDims(file.bytes, file.path);
    if (!dims.ok) return located(dims.problem);
    const rank = dims.value.length;
    if (rank !== 1 && rank !== 3)
      return fail(
        `${file.path}: has ${rank} dimensions; IDX image files have 3 (count, rows, columns) and label files 1`,
      );
    const part = partOf(file.path) ?? (files.length <= 2 ? 'train' : null);
    if (part === null)
      return fail(
        `${file.path}: its name does not say whether it is training or test data (name it train-… or t10k-…)`,
      );
    const key = `${part} ${rank === 3 ? 'images' : 'labels'}`;
    const taken = slots.get(key);
    if (taken !== undefined) return fail(`two ${key} files: ${taken.file.path} and ${file.path}`);
    slots.set(key, { file, dims: dims.value });
  }
  const slot = (part: Part, role: Role) => slots.get(`${part} ${role}`);
  const parts: Part[] = [];
  for (const part of ['train', 'test'] as const) {
    const images = slot(part, 'images');
    const labels = slot(part, 'labels');
    if (images === undefined && labels === undefined) continue;
    const what = part === 'train' ? 'training' : 'test';
    if (images === undefined || labels === undefined)
      return fail(
        `${what} ${images === undefined ? 'images are' : 'labels are'} missing (found ${(images ?? labels)!.file.path})`,
      );
    if (labels.dims[0] !== images.dims[0])
      return fail(
        `${images.file.path} has ${count(images.dims[0]!)} images but ${labels.file.path} has ${count(labels.dims[0]!)} labels`,
      );
    parts.push(part);
  }
  if (!parts.includes('train'))
    return fail('no training images: give a train-images and a train-labels file');
  const [, rows, cols] = slot('train', 'images')!.dims as [number, number, number];
  const test = slot('test', 'images');
  if (test !== undefined && (test.dims[1] !== rows || test.dims[2] !== cols))
    return fail(
      `the training images are ${rows}×${cols} but ${test.file.path} holds ${test.dims[1]}×${test.dims[2]}`,
    );
  const shape = options.fit?.shape ?? { height: rows, width: cols, channels: 1 };
  const total = parts.reduce((n, part) => n + slot(part, 'images')!.dims[0]!, 0);
  const tooBig = datasetSizeProblem(total, shape.height, shape.width, shape.channels);
  if (tooBig !== null) return fail(tooBig);

  const read = (part: Part): LabelledImages | FileProblem => {
    const images = parseIdx(slot(part, 'images')!.file.bytes, slot(part, 'images')!.file.path);
    if (!images.ok) return images.problem;
    const labels = parseIdx(slot(part, 'labels')!.file.bytes, slot(part, 'labels')!.file.path);
    if (!labels.ok) return labels.problem;
    return {
      count: images.value.dims[0]!,
      height: rows,
      width: cols,
      channels: 1,
      images: images.value.data,
      labels: Int32Array.from(labels.value.data),
    };
  };
  const train = read('train');
  if ('file' in train) return located(train);
  const validation = parts.includes('test') ? read('test') : null;
  if (validation !== null && 'file' in validation) return located(validation);
  let classes = 0;
  for (const l of train.labels) classes = Math.max(classes, l + 1);
  for (const l of validation?.labels ?? []) classes = Math.max(classes, l + 1);
  if (classes < 2) return fail('every label is 0: a dataset needs at least two classes');
  const fashion = classes === 10 && files.some((f) => /fashion/i.test(f.path));
  const names = fashion ? FASHION : Array.from({ length: classes }, (_, k) => String(k));
  return assembleDataset(fashion ? 'Fashion-MNIST' : 'IDX images', names, train, validation, options);
}
