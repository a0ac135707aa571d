/** The browser's files as loader input: a File from a folder picker or a drop becomes a FolderEntry or DataFile. */
import type { DataFile, FolderEntry } from '../files';
import { ARCHIVE_BYTES_LIMIT, formatBytes } from '../limits';

/** A File as a FolderEntry; `path` defaults to the folder picker's relative path, else the file's name. */
export function fileEntry(file: File, path = file.webkitRelativePath || file.name): FolderEntry {
  return { path, size: file.size, bytes: async () => new Uint8Array(await file.arrayBuffer()) };
}

/** Reads a whole File (an IDX file, a CIFAR batch), refusing one larger than ARCHIVE_BYTES_LIMIT before reading it. */
export async function readDataFile(
  file: File,
  path = file.webkitRelativePath || file.name,
): Promise<DataFile> {
  if (file.size > ARCHIVE_BYTES_LIMIT)
    throw new RangeError(
      `${path} is ${formatBytes(file.size)}; data files of at most ${formatBytes(ARCHIVE_BYTES_LIMIT)} are read`,
    );
  return { path, bytes: new Uint8Array(await file.arrayBuffer()) };
}
