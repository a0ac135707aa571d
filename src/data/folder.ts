/**
 * Image folders: one subfolder per class, images inside (PNG, JPEG, WebP, BMP, GIF, told apart by
 * their contents, not their names). When the folder's subfolders are train/ and test/ (or val/,
 * valid/, validation/), each holding class folders, those are the split; otherwise each class is
 * split at random by a seeded, stratified validation share. Every image is fitted to the input
 * node's shape as it is decoded, so memory holds only the fitted bytes; the total is checked against
 * the dataset limit before the first file is read. Files that cannot be read are skipped and listed
 * with the reason; the rest loads.
 */
import type { DatasetOptions } from './assemble';
import type { ImageDataset, Split } from './dataset';
import { byteDataset } from './dataset';
import type { ImageDecoder } from './decode';
import type { FolderEntry } from './files';
import { datasetSizeProblem, FILE_BYTES_LIMIT, FILE_COUNT_LIMIT, formatBytes } from './limits';
import type { FileProblem } from './problems';
import { count } from './problems';
import type { ImageShape } from './resize';
import { fitImageInto } from './resize';
import { splitItems } from './split';
import type { ResizeMode } from '../core/training/augment';

export interface FolderOptions extends DatasetOptions {
  readonly fit: { readonly shape: ImageShape; readonly mode: ResizeMode };
  readonly decode: ImageDecoder;
  /** Files decoded at once (the browser decodes on other threads; Node's decoders run one by one). */
  readonly concurrency?: number;
  onProgress?(done: number, total: number): void;
}

export type FolderResult =
  | {
      readonly ok: true;
      readonly dataset: ImageDataset<Uint8Array>;
      /** 'folders' when train/ and test/ (or val/) gave the split, else 'random'. */
      readonly split: 'folders' | 'random';
      readonly skipped: readonly FileProblem[];
    }
  | { readonly ok: false; readonly message: string; readonly skipped: readonly FileProblem[] };

const SPLIT_FOLDERS: ReadonlyMap<string, 'train' | 'validation'> = new Map([
  ['train', 'train'],
  ['training', 'train'],
  ['test', 'validation'],
  ['val', 'validation'],
  ['valid', 'validation'],
  ['validation', 'validation'],
]);

/** Files every file manager leaves behind; passed over without a word. */
const isClutter = (segments: readonly string[]) =>
  segments.some((s) => s.startsWith('.') || s === '__MACOSX') ||
  /^(thumbs\.db|desktop\.ini)$/i.test(segments.at(-1)!);

const byPath = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

interface Candidate {
  readonly entry: FolderEntry;
  readonly label: number;
}

/** Folder paths as class names and parts: the common leading folders go, each file keeps at least one. */
function layout(entries: readonly FolderEntry[]) {
  const skipped: FileProblem[] = [];
  const files = entries
    .map((entry) => ({ entry, segments: entry.path.split(/[/\\]/).filter((s) => s !== '' && s !== '.') }))
    .filter((f) => f.segments.length > 0 && !isClutter(f.segments))
    // The order files are listed in varies by system; the dataset's order (and so its split) must not.
    .sort((a, b) => byPath(a.entry.path, b.entry.path));
  let strip = 0;
  for (;;) {
    const first = files[0]?.segments[strip];
    if (
      first === undefined ||
      !files.every((f) => f.segments.length > strip + 2 && f.segments[strip] === first)
    )
      break;
    strip++;
  }
  const name = strip > 0 ? files[0]!.segments[strip - 1]! : 'Images';
  const tops = new Set(
    files.filter((f) => f.segments.length > strip + 1).map((f) => f.segments[strip]!.toLowerCase()),
  );
  const byFolders =
    [...tops].every((t) => SPLIT_FOLDERS.has(t)) && [...tops].some((t) => SPLIT_FOLDERS.get(t) === 'train');
  const depth = strip + (byFolders ? 1 : 0);
  const placed: { entry: FolderEntry; className: string; part: 'train' | 'validation' }[] = [];
  for (const f of files) {
    if (f.segments.length < depth + 2) {
      skipped.push({
        file: f.entry.path,
        message: byFolders ? 'not inside a class folder of train/ or test/' : 'not inside a class folder',
      });
      continue;
    }
    const part = byFolders ? SPLIT_FOLDERS.get(f.segments[strip]!.toLowerCase())! : 'train';
    placed.push({ entry: f.entry, className: f.segments[depth]!, part });
  }
  return { name, byFolders, placed, skipped };
}

/** Moves the images that decoded to the front, in order, and trims the rest. */
function compact(
  images: Uint8Array,
  labels: Int32Array,
  kept: readonly boolean[],
  per: number,
): Split<Uint8Array> {
  let n = 0;
  kept.forEach((ok, i) => {
    if (!ok) return;
    if (i !== n) {
      images.copyWithin(n * per, i * per, (i + 1) * per);
      labels[n] = labels[i]!;
    }
    n++;
  });
  return { count: n, images: images.subarray(0, n * per), labels: labels.subarray(0, n) };
}

export async function loadFolderDataset(
  entries: readonly FolderEntry[],
  options: FolderOptions,
): Promise<FolderResult> {
  if (entries.length > FILE_COUNT_LIMIT)
    return {
      ok: false,
      skipped: [],
      message: `the folder has ${count(entries.length)} files; at most ${count(FILE_COUNT_LIMIT)} are read`,
    };
  const { name, byFolders, placed, skipped } = layout(entries);
  const classes = [...new Set(placed.map((p) => p.className))].sort((a, b) =>
    a.localeCompare(b, 'en', { numeric: true }),
  );
  if (classes.length < 2)
    return {
      ok: false,
      skipped,
      message:
        classes.length === 0
          ? 'no images in class folders: put each class in a subfolder of its own (cat/…, dog/…)'
          : `only one class (${classes[0]}): a dataset needs at least two class folders side by side`,
    };
  const labelOf = new Map(classes.map((c, i) => [c, i]));
  const candidates: (Candidate & { part: 'train' | 'validation' })[] = [];
  for (const p of placed) {
    if (p.entry.size > FILE_BYTES_LIMIT)
      skipped.push({
        file: p.entry.path,
        message: `${formatBytes(p.entry.size)}; image files of at most ${formatBytes(FILE_BYTES_LIMIT)} are read`,
      });
    else if (p.entry.size === 0) skipped.push({ file: p.entry.path, message: 'the file is empty' });
    else candidates.push({ entry: p.entry, label: labelOf.get(p.className)!, part: p.part });
  }
  const { shape } = options.fit;
  const tooBig = datasetSizeProblem(candidates.length, shape.height, shape.width, shape.channels);
  if (tooBig !== null) return { ok: false, skipped, message: tooBig };

  let parts: { train: Candidate[]; validation: Candidate[] };
  if (byFolders)
    parts = {
      train: candidates.filter((c) => c.part === 'train'),
      validation: candidates.filter((c) => c.part === 'validation'),
    };
  else parts = splitItems(candidates, (c) => c.label, options);
  const per = shape.height * shape.width * shape.channels;
  const total = candidates.length;
  let done = 0;
  const read = async (part: Candidate[]): Promise<Split<Uint8Array>> => {
    const images = new Uint8Array(part.length * per);
    const labels = Int32Array.from(part, (c) => c.label);
    const kept = part.map(() => false);
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < part.length; i = next++) {
        const { entry } = part[i]!;
        const failed = await decodeInto(entry, options, images, i * per);
        if (failed === null) kept[i] = true;
        else skipped.push(failed);
        options.onProgress?.(++done, total);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 1) }, worker));
    return compact(images, labels, kept, per);
  };
  const train = await read(parts.train);
  const validation = await read(parts.validation);
  skipped.sort((a, b) => byPath(a.file, b.file));
  if (train.count === 0) return { ok: false, skipped, message: 'no training image could be read' };
  return {
    ok: true,
    split: byFolders ? 'folders' : 'random',
    skipped,
    dataset: byteDataset(name, classes, shape, train, validation),
  };
}

async function decodeInto(
  entry: FolderEntry,
  options: FolderOptions,
  out: Uint8Array,
  offset: number,
): Promise<FileProblem | null> {
  let bytes: Uint8Array;
  try {
    bytes = await entry.bytes();
  } catch (e) {
    return { file: entry.path, message: `could not be read (${e instanceof Error ? e.message : String(e)})` };
  }
  if (bytes.length > FILE_BYTES_LIMIT)
    return {
      file: entry.path,
      message: `${formatBytes(bytes.length)}; image files of at most ${formatBytes(FILE_BYTES_LIMIT)} are read`,
    };
  const decoded = await options.decode(bytes, entry.path);
  if (!decoded.ok) return decoded.problem;
  fitImageInto(decoded.value, options.fit.shape, options.fit.mode, out, offset);
  return null;
}
