/**
 * A dataset's original files, whatever their format, turned into training and validation images at
 * a given shape. The originals are kept (not the decoded pixels), so when the Input node's size
 * changes the same files are fitted again at the new size: memory holds the fitted bytes of one size
 * only, and the files are read one at a time (IDX and CIFAR files whole, one set at a time).
 * Which format a set of files is comes from their names (format.ts).
 */
import type { ResizeMode } from '../core/training/augment';
import type { StoredFormat } from '../core/training/stored-data';
import { loadCifarDataset } from './cifar';
import type { ImageDataset } from './dataset';
import type { ImageDecoder } from './decode';
import type { DataFile, FolderEntry } from './files';
import { loadFolderDataset } from './folder';
import { loadIdxDataset } from './idx';
import type { FileProblem } from './problems';
import type { ImageShape } from './resize';

const baseName = (path: string) => path.split('/').pop()!.toLowerCase();

/**
 * Whether the files bring their own validation part, by the rules the loaders use: test/ or val/
 * folders (decided by the folder loader), t10k-… or test-… IDX files, test batches of CIFAR.
 */
function ownTestFiles(format: StoredFormat, paths: readonly string[]): boolean {
  if (format === 'idx') return paths.some((p) => /t10k|test/.test(baseName(p)));
  if (format === 'cifar') return paths.some((p) => /test/.test(baseName(p)) && !baseName(p).endsWith('.txt'));
  return false;
}

export interface FitOptions {
  readonly shape: ImageShape;
  readonly mode: ResizeMode;
  readonly validationShare: number;
  readonly seed: number;
  readonly decode: ImageDecoder;
  /** Files decoded at once (the browser decodes on other threads). */
  readonly concurrency?: number;
  onProgress?(done: number, total: number): void;
}

export type Fitted =
  | {
      readonly ok: true;
      readonly dataset: ImageDataset<Uint8Array>;
      /** The files' own split was used (not the validation share). */
      readonly ownSplit: boolean;
      /** Every decoded image was grey (red = green = blue, or a grey file format). */
      readonly grey: boolean;
      readonly skipped: readonly FileProblem[];
    }
  | { readonly ok: false; readonly message: string; readonly skipped: readonly FileProblem[] };

/** Whether RGBA pixels are all grey (red = green = blue). */
function isGrey(data: ArrayLike<number>, channels: number): boolean {
  if (channels < 3) return true;
  for (let i = 0; i < data.length; i += channels)
    if (data[i] !== data[i + 1] || data[i] !== data[i + 2]) return false;
  return true;
}

/** Reads whole files (IDX, CIFAR) one after the other. */
async function readAll(
  entries: readonly FolderEntry[],
  onProgress?: (done: number, total: number) => void,
): Promise<DataFile[]> {
  const files: DataFile[] = [];
  for (const entry of entries) {
    files.push({ path: entry.path, bytes: await entry.bytes() });
    onProgress?.(files.length, entries.length);
  }
  return files;
}

/** The files fitted to `options.shape`, split, with what was skipped. */
export async function fitSource(
  format: StoredFormat,
  entries: readonly FolderEntry[],
  options: FitOptions,
): Promise<Fitted> {
  const common = {
    fit: { shape: options.shape, mode: options.mode },
    validationShare: options.validationShare,
    seed: options.seed,
  };
  if (format === 'folder') {
    let grey = true;
    const decode: ImageDecoder = async (bytes, file) => {
      const decoded = await options.decode(bytes, file);
      if (decoded.ok && grey) grey = isGrey(decoded.value.data, decoded.value.channels);
      return decoded;
    };
    const loaded = await loadFolderDataset(entries, {
      ...common,
      decode,
      ...(options.concurrency !== undefined && { concurrency: options.concurrency }),
      ...(options.onProgress !== undefined && { onProgress: options.onProgress }),
    });
    if (!loaded.ok) return loaded;
    return {
      ok: true,
      dataset: loaded.dataset,
      ownSplit: loaded.split === 'folders',
      grey,
      skipped: loaded.skipped,
    };
  }
  const files = await readAll(entries, options.onProgress);
  const loaded = format === 'idx' ? loadIdxDataset(files, common) : loadCifarDataset(files, common);
  if (!loaded.ok) return { ok: false, message: loaded.message, skipped: [] };
  const paths = entries.map((e) => e.path);
  return {
    ok: true,
    dataset: loaded.dataset,
    ownSplit: ownTestFiles(format, paths),
    grey: format === 'idx',
    skipped: [],
  };
}

/** Images of each class in a split. */
export function classCounts(labels: Int32Array, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const label of labels) counts[label]!++;
  return counts;
}
