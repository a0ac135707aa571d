/** Files as the loaders take them, the same in the browser and in Node. */

/** A whole file in memory (IDX, CIFAR batches), at most ARCHIVE_BYTES_LIMIT bytes. */
export interface DataFile {
  readonly path: string;
  readonly bytes: Uint8Array;
}

/** One file of a chosen folder, read only when needed; the browser's File and Node's fs both fit behind it. */
export interface FolderEntry {
  /** Path with '/' separators, starting at or above the chosen folder: "pets/cat/1.png". */
  readonly path: string;
  /** Size in bytes, known before reading. */
  readonly size: number;
  /** The file's contents; called at most once, and only for files that are decoded. */
  bytes(): Promise<Uint8Array>;
}
