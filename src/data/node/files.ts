/** Node's side of loading: a folder's files as FolderEntry values, and whole data files, each size-checked before reading. */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import type { DataFile, FolderEntry } from '../files';
import { ARCHIVE_BYTES_LIMIT, FILE_COUNT_LIMIT, formatBytes } from '../limits';
import { count } from '../problems';

/**
 * Every regular file under `dir` (symbolic links are not followed), with paths that start with the
 * folder's own name, as a browser's folder picker gives them. Refuses more than FILE_COUNT_LIMIT.
 */
export async function folderEntries(dir: string): Promise<FolderEntry[]> {
  const found = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = found.filter((d) => d.isFile());
  if (files.length > FILE_COUNT_LIMIT)
    throw new RangeError(
      `${dir} holds ${count(files.length)} files; at most ${count(FILE_COUNT_LIMIT)} are read`,
    );
  return Promise.all(
    files.map(async (d) => {
      const full = join(d.parentPath, d.name);
      const { size } = await stat(full);
      return {
        path: [basename(dir), ...relative(dir, full).split(sep)].join('/'),
        size,
        bytes: async () => new Uint8Array(await readFile(full)),
      };
    }),
  );
}

/** Reads whole files (IDX, CIFAR batches), refusing any larger than ARCHIVE_BYTES_LIMIT before reading it. */
export async function readDataFiles(paths: readonly string[]): Promise<DataFile[]> {
  return Promise.all(
    paths.map(async (path) => {
      const { size } = await stat(path);
      if (size > ARCHIVE_BYTES_LIMIT)
        throw new RangeError(
          `${path} is ${formatBytes(size)}; data files of at most ${formatBytes(ARCHIVE_BYTES_LIMIT)} are read`,
        );
      return { path, bytes: new Uint8Array(await readFile(path)) };
    }),
  );
}
