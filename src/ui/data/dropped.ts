/**
 * Files the person drops or picks, with their paths, as the worker takes them. Only the listing
 * happens here, on the page (the bytes are read and decoded in the worker). A drop is one of three
 * kinds: a folder with a subfolder per class, loose images (all of one class, asked for), or data
 * files (MNIST-format IDX, CIFAR batches).
 */
import { formatOf } from '../../data/format';
import { FILE_COUNT_LIMIT } from '../../data/limits';
import type { DroppedFile } from '../../worker/protocol';

/** Files from an `<input type=file>` (a folder picker gives each file's path inside the folder). */
export const filesFromInput = (list: FileList | readonly File[]): DroppedFile[] =>
  [...list].map((file) => ({ path: file.webkitRelativePath || file.name, file }));

const readEntries = (reader: FileSystemDirectoryReader) =>
  new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
const fileOf = (entry: FileSystemFileEntry) =>
  new Promise<File>((resolve, reject) => entry.file(resolve, reject));

/**
 * Files of a drop, folders walked (paths start with the dropped folder's name). Stops listing past
 * FILE_COUNT_LIMIT, so the loader refuses with the count rather than the page listing forever.
 */
export async function filesFromDrop(transfer: DataTransfer): Promise<DroppedFile[]> {
  const entries = [...transfer.items]
    .filter((item) => item.kind === 'file')
    .map((item) => item.webkitGetAsEntry())
    .filter((e): e is FileSystemEntry => e !== null);
  // Without entries (an older browser), the plain file list still carries loose files.
  if (entries.length === 0) return filesFromInput(transfer.files);
  const out: DroppedFile[] = [];
  const walk = async (entry: FileSystemEntry, path: string): Promise<void> => {
    if (out.length > FILE_COUNT_LIMIT) return;
    if (entry.isFile) out.push({ path, file: await fileOf(entry as FileSystemFileEntry) });
    else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      // A directory reader answers in pieces (100 entries in Chromium) until it answers none.
      for (let batch = await readEntries(reader); batch.length > 0; batch = await readEntries(reader))
        for (const child of batch) await walk(child, `${path}/${child.name}`);
    }
  };
  for (const entry of entries) await walk(entry, entry.name);
  return out;
}

export type DropKind =
  | { readonly kind: 'dataset' }
  /** Images not in class folders: they need a class; `suggested` is the folder they came in, if any. */
  | { readonly kind: 'loose'; readonly suggested: string }
  | { readonly kind: 'not-data'; readonly message: string };

const IMAGE = /\.(png|jpe?g|webp|bmp|gif)$/i;

/** What a drop is: a dataset as it stands, loose images of one class, or something else. */
export function dropKind(files: readonly DroppedFile[]): DropKind {
  const paths = files.map((f) => f.path);
  const format = formatOf(paths);
  if (
    format === 'folder' &&
    paths.some((p) => /\.json$/i.test(p)) &&
    paths.every((p) => /\.(json|bin)$/i.test(p))
  )
    return {
      kind: 'not-data',
      message: 'These look like a graph or a saved model: open them with Import in the top bar.',
    };
  if (format !== 'folder') return { kind: 'dataset' };
  const nested = paths.some((p) => p.split('/').length >= 3);
  if (nested) return { kind: 'dataset' };
  const images = paths.filter((p) => IMAGE.test(p));
  if (images.length === 0)
    return { kind: 'not-data', message: 'No images among the dropped files (PNG, JPEG, WebP, BMP or GIF).' };
  const folders = new Set(paths.map((p) => (p.includes('/') ? p.split('/')[0]! : '')));
  return { kind: 'loose', suggested: folders.size === 1 ? [...folders][0]! : '' };
}
