/**
 * Where the originals of the person's datasets are kept between page loads: IndexedDB in the browser
 * (the files' bytes as they were dropped, packed into blobs of up to CHUNK_BYTES, with an index of
 * where each file lies), memory in tests. Reading a file back reads just its slice of a blob.
 */
import type { StoredDatasetInfo } from '../core/training/stored-data';
import type { DataShelf, SourceFile } from './data-library';

const DB_NAME = 'convcanvas-data';
const DATASETS = 'datasets';
const CHUNKS = 'chunks';

/** Files are packed into blobs of about this size (one IndexedDB record each). */
const CHUNK_BYTES = 64 * 1024 * 1024;

interface IndexEntry {
  readonly path: string;
  readonly size: number;
  readonly chunk: number;
  readonly offset: number;
}

interface DatasetRecord {
  readonly id: string;
  readonly info: StoredDatasetInfo;
  readonly index: readonly IndexEntry[];
  readonly chunks: number;
}

const request = <T>(r: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });

const finished = (t: IDBTransaction): Promise<void> =>
  new Promise((resolve, reject) => {
    t.oncomplete = () => resolve();
    t.onerror = () => reject(t.error ?? new Error('IndexedDB transaction failed'));
    t.onabort = () => reject(t.error ?? new Error('IndexedDB transaction aborted'));
  });

function openDb(): Promise<IDBDatabase> {
  const r = indexedDB.open(DB_NAME, 1);
  r.onupgradeneeded = () => {
    r.result.createObjectStore(DATASETS, { keyPath: 'id' });
    r.result.createObjectStore(CHUNKS);
  };
  return request(r);
}

const chunkKey = (id: string, n: number) => `${id}/${n}`;

async function asBlob(file: SourceFile): Promise<Blob> {
  return file.blob ?? new Blob([(await file.bytes()) as Uint8Array<ArrayBuffer>]);
}

/** This browser's IndexedDB. */
export function indexedDbShelf(): DataShelf {
  let db: Promise<IDBDatabase> | undefined;
  const database = () => (db ??= openDb());
  return {
    async list() {
      const d = await database();
      const records = await request(
        d.transaction(DATASETS).objectStore(DATASETS).getAll() as IDBRequest<DatasetRecord[]>,
      );
      const out: { info: StoredDatasetInfo; files: SourceFile[] }[] = [];
      for (const record of records) {
        const store = d.transaction(CHUNKS).objectStore(CHUNKS);
        const blobs = await Promise.all(
          Array.from({ length: record.chunks }, (_, n) =>
            request(store.get(chunkKey(record.id, n)) as IDBRequest<Blob | undefined>),
          ),
        );
        // A record whose blobs are gone (storage cleared halfway) is no dataset.
        if (blobs.some((b) => b === undefined)) continue;
        out.push({
          info: { ...record.info, kept: true },
          files: record.index.map((e) => {
            const blob = blobs[e.chunk]!.slice(e.offset, e.offset + e.size);
            return {
              path: e.path,
              size: e.size,
              blob,
              bytes: async () => new Uint8Array(await blob.arrayBuffer()),
            };
          }),
        });
      }
      return out;
    },
    async keep(info, files, onProgress) {
      const d = await database();
      const index: IndexEntry[] = [];
      let chunk = 0;
      let parts: Blob[] = [];
      let offset = 0;
      let done = 0;
      const flush = async () => {
        if (parts.length === 0) return;
        const t = d.transaction(CHUNKS, 'readwrite');
        t.objectStore(CHUNKS).put(new Blob(parts), chunkKey(info.id, chunk));
        await finished(t);
        chunk++;
        parts = [];
        offset = 0;
      };
      try {
        for (const file of files) {
          if (offset > 0 && offset + file.size > CHUNK_BYTES) await flush();
          const blob = await asBlob(file);
          index.push({ path: file.path, size: blob.size, chunk, offset });
          parts.push(blob);
          offset += blob.size;
          onProgress?.(++done, files.length);
        }
        await flush();
        const t = d.transaction(DATASETS, 'readwrite');
        const record: DatasetRecord = { id: info.id, info: { ...info, kept: true }, index, chunks: chunk };
        t.objectStore(DATASETS).put(record);
        await finished(t);
        return true;
      } catch {
        // Full or refused: the chunks written so far go, the dataset stays for this page's life.
        const t = d.transaction(CHUNKS, 'readwrite');
        for (let n = 0; n <= chunk; n++) t.objectStore(CHUNKS).delete(chunkKey(info.id, n));
        await finished(t).catch(() => undefined);
        return false;
      }
    },
    async remove(id) {
      const d = await database();
      const record = await request(
        d.transaction(DATASETS).objectStore(DATASETS).get(id) as IDBRequest<DatasetRecord | undefined>,
      );
      const t = d.transaction([DATASETS, CHUNKS], 'readwrite');
      t.objectStore(DATASETS).delete(id);
      for (let n = 0; n < (record?.chunks ?? 0); n++) t.objectStore(CHUNKS).delete(chunkKey(id, n));
      await finished(t);
    },
  };
}

/** Keeps the files in memory (their bytes read once): for tests. */
export function memoryShelf(): DataShelf {
  const kept = new Map<string, { info: StoredDatasetInfo; files: SourceFile[] }>();
  return {
    list: () => Promise.resolve([...kept.values()]),
    async keep(info, files, onProgress) {
      const copies: SourceFile[] = [];
      for (const f of files) {
        const bytes = await f.bytes();
        copies.push({ path: f.path, size: f.size, bytes: () => Promise.resolve(bytes) });
        onProgress?.(copies.length, files.length);
      }
      kept.set(info.id, { info: { ...info, kept: true }, files: copies });
      return true;
    },
    remove: (id) => Promise.resolve(void kept.delete(id)),
  };
}
