/**
 * The person's datasets in the worker (or the CLI): loads dropped files, keeps their originals on a
 * shelf (IndexedDB in the browser) so they survive a reload, and fits them to the Input node's size
 * on demand. When the size (or the fit, the split) changes, the originals are decoded again at the new
 * size: only one fitted dataset is held at a time, at most DATASET_BYTES_LIMIT as bytes, and files are
 * read one by one, so memory never holds the originals.
 */
import type { DatasetRequest, InputSize, StoredRequest } from '../core/training/data';
import type { StoredDatasetInfo, StoredFormat } from '../core/training/stored-data';
import { SKIPPED_LISTED } from '../core/training/stored-data';
import { shortHash } from '../core/structure';
import type { ImageDataset } from '../data/dataset';
import type { ImageDecoder } from '../data/decode';
import type { FolderEntry } from '../data/files';
import { FILE_COUNT_LIMIT } from '../data/limits';
import type { FileProblem } from '../data/problems';
import { count } from '../data/problems';
import type { ImageShape } from '../data/resize';
import type { Fitted } from '../data/source';
import { formatOf } from '../data/format';
import { classCounts, fitSource } from '../data/source';
import type { DataLoad, FromWorker } from '../worker/protocol';

/** A dataset's original file: read when it is (re)decoded; `blob` when it is one (kept as it is). */
export interface SourceFile extends FolderEntry {
  readonly blob?: Blob;
}

/** Where originals are kept between page loads. */
export interface DataShelf {
  list(): Promise<{ info: StoredDatasetInfo; files: SourceFile[] }[]>;
  /** Keeps the files; false when the storage refuses (full, private browsing). */
  keep(
    info: StoredDatasetInfo,
    files: readonly SourceFile[],
    onProgress?: (done: number, total: number) => void,
  ): Promise<boolean>;
  remove(id: string): Promise<void>;
}

/** The most bytes of original files kept in the browser; a bigger dataset must be loaded again after a reload. */
export const KEPT_BYTES_LIMIT = 1024 ** 3;

/** The name of a new collection of loose images. */
export const COLLECTION_NAME = 'My images';

export type Found =
  { readonly ok: true; readonly data: ImageDataset } | { readonly ok: false; readonly message: string };

interface Held {
  readonly info: StoredDatasetInfo;
  readonly files: readonly SourceFile[];
}

const baseName = (path: string) => path.split('/').pop()!;

/** Stable for the same files: their format, paths and sizes. */
export function datasetId(format: string, files: readonly FolderEntry[]): string {
  const listed = files.map((f) => [f.path, f.size] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return shortHash(JSON.stringify([format, listed]));
}

const shapeOf = (input: InputSize): ImageShape | null =>
  input.channels === 1 || input.channels === 3
    ? { height: input.height, width: input.width, channels: input.channels }
    : null;

const fitKey = (request: StoredRequest, shape: ImageShape) =>
  JSON.stringify([request.id, request.fit, request.validationShare, request.seed, shape]);

const listed = (skipped: readonly FileProblem[]) => skipped.slice(0, SKIPPED_LISTED);

export interface LibraryOptions {
  readonly post: (message: FromWorker) => void;
  readonly decode: ImageDecoder;
  readonly shelf?: DataShelf;
  /** Files decoded at once. */
  readonly concurrency?: number;
}

export class DataLibrary {
  private readonly held = new Map<string, Held>();
  private fitted: { readonly id: string; readonly key: string; readonly data: ImageDataset } | undefined;
  private fitting: { readonly key: string; readonly done: Promise<void> } | undefined;
  private opened: Promise<void> | undefined;

  constructor(private readonly options: LibraryOptions) {}

  /** Reads what the shelf keeps (once) and tells the page. */
  open(): Promise<void> {
    this.opened ??= (async () => {
      try {
        for (const kept of (await this.options.shelf?.list()) ?? []) this.held.set(kept.info.id, kept);
      } catch (e) {
        this.options.post({
          type: 'notice',
          level: 'error',
          message: `The datasets kept in this browser could not be read (${e instanceof Error ? e.message : String(e)}).`,
        });
      }
      this.announce();
    })();
    return this.opened;
  }

  /** Every dataset held now. */
  list(): StoredDatasetInfo[] {
    return [...this.held.values()].map((h) => h.info);
  }

  info(id: string): StoredDatasetInfo | undefined {
    return this.held.get(id)?.info;
  }

  private announce(): void {
    this.options.post({ type: 'datasets', datasets: this.list() });
  }

  private progress(what: 'decoding' | 'keeping', name: string) {
    let last = -1;
    return (done: number, total: number) => {
      // About a hundred messages however many files.
      const step = Math.floor((100 * done) / Math.max(1, total));
      if (step === last && done !== total) return;
      last = step;
      this.options.post({ type: 'data-progress', what, name, done, total });
    };
  }

  private fit(
    what: { readonly format: StoredFormat; readonly name: string },
    files: readonly SourceFile[],
    shape: ImageShape,
    request: Pick<StoredRequest, 'fit' | 'validationShare' | 'seed'>,
  ): Promise<Fitted> {
    return fitSource(what.format, files, {
      shape,
      mode: request.fit,
      validationShare: request.validationShare,
      seed: request.seed,
      decode: this.options.decode,
      ...(this.options.concurrency !== undefined && { concurrency: this.options.concurrency }),
      onProgress: this.progress('decoding', what.name),
    });
  }

  /** Loads dropped files as a new dataset (or adds loose images to a collection), fitted at `load.target`. */
  async load(
    files: readonly SourceFile[],
    load: Omit<DataLoad, 'files'>,
  ): Promise<StoredDatasetInfo | undefined> {
    await this.open();
    const failed = (message: string, skipped: readonly FileProblem[] = []) => {
      this.options.post({ type: 'data-failed', message, skipped: listed(skipped) });
      return undefined;
    };
    if (files.length === 0) return failed('No files were given.');
    if (files.length > FILE_COUNT_LIMIT)
      return failed(`${count(files.length)} files were given; at most ${count(FILE_COUNT_LIMIT)} are read.`);
    let entries = files;
    let name: string | undefined;
    const replaced = load.loose?.into === undefined ? undefined : this.held.get(load.loose.into);
    if (load.loose !== undefined) {
      const className = load.loose.className.trim().replace(/[/\\]/g, '-');
      if (className === '' || className.startsWith('.')) return failed('Name the class of the images first.');
      name = replaced?.info.name ?? COLLECTION_NAME;
      const taken = new Set(replaced?.files.map((f) => f.path));
      const renamed = files.map((f) => {
        let path = `${name}/${className}/${baseName(f.path)}`;
        for (let n = 2; taken.has(path); n++) path = `${name}/${className}/${n} ${baseName(f.path)}`;
        taken.add(path);
        return { ...f, path, bytes: () => f.bytes() };
      });
      entries = [...(replaced?.files ?? []), ...renamed];
    }
    const format = load.loose ? 'folder' : formatOf(entries.map((f) => f.path));
    const id = datasetId(format, entries);
    const bytes = entries.reduce((n, f) => n + f.size, 0);
    const shape: ImageShape = shapeOf(load.target) ?? { height: 32, width: 32, channels: 3 };
    const request = { kind: 'stored', id, ...load.config, seed: load.seed } as const;

    let info: StoredDatasetInfo;
    const classes = load.loose ? [...new Set(entries.map((f) => f.path.split('/')[1]!))].sort() : [];
    if (load.loose && classes.length < 2) {
      // A collection under way: nothing to split yet, so nothing is decoded yet.
      info = {
        id,
        name: name!,
        format,
        classes,
        counts: [entries.length],
        grey: false,
        files: entries.length,
        bytes,
        skipped: [],
        skippedCount: 0,
        kept: false,
        collection: true,
        unusable: `only one class so far (${classes[0]}): drop images of another class, and name it.`,
      };
    } else {
      const folder = entries[0]!.path.split('/')[0];
      const fitted = await this.fit(
        { format, name: name ?? (folder || 'the files') },
        entries,
        shape,
        request,
      );
      if (!fitted.ok) return failed(fitted.message, fitted.skipped);
      const { dataset } = fitted;
      const train = classCounts(dataset.train.labels, dataset.classes.length);
      const validation = classCounts(dataset.validation.labels, dataset.classes.length);
      info = {
        id,
        name: name ?? dataset.name,
        format,
        classes: dataset.classes,
        counts: train.map((n, c) => n + validation[c]!),
        ...(fitted.ownSplit && { ownValidation: validation }),
        grey: fitted.grey,
        files: entries.length,
        bytes,
        skipped: listed(fitted.skipped),
        skippedCount: fitted.skipped.length,
        kept: false,
        ...(load.loose !== undefined && { collection: true as const }),
      };
      this.fitted = { id, key: fitKey(request, shape), data: { ...dataset, name: info.name } };
    }
    if (replaced !== undefined && replaced.info.id !== id) await this.remove(replaced.info.id, false);
    this.held.set(id, { info, files: entries });
    const shelf = this.options.shelf;
    if (shelf !== undefined && bytes <= KEPT_BYTES_LIMIT) {
      let kept = false;
      try {
        kept = await shelf.keep(info, entries, this.progress('keeping', info.name));
      } catch {
        kept = false;
      }
      info = { ...info, kept };
      this.held.set(id, { info, files: entries });
    }
    this.options.post({ type: 'data-loaded', info });
    this.announce();
    return info;
  }

  /** Forgets a dataset here and on the shelf. */
  async remove(id: string, announce = true): Promise<void> {
    this.held.delete(id);
    if (this.fitted?.id === id) this.fitted = undefined;
    try {
      await this.options.shelf?.remove(id);
    } catch {
      // Nothing kept, or storage gone: nothing to remove.
    }
    if (announce) this.announce();
  }

  /**
   * Fits the requested dataset at this input size unless it already is, decoding the originals again
   * (with progress). Afterwards `get` answers for it.
   */
  async ensure(request: DatasetRequest, input: InputSize): Promise<void> {
    if (request.kind !== 'stored') return;
    await this.open();
    const held = this.held.get(request.id);
    const shape = shapeOf(input);
    if (held === undefined || held.info.unusable !== undefined || shape === null) return;
    const key = fitKey(request, shape);
    if (this.fitted?.key === key) return;
    if (this.fitting?.key === key) return this.fitting.done;
    const done = (async () => {
      // The old fit goes first, so memory never holds two.
      this.fitted = undefined;
      const fitted = await this.fit(held.info, held.files, shape, request);
      if (fitted.ok) this.fitted = { id: request.id, key, data: { ...fitted.dataset, name: held.info.name } };
      else
        this.options.post({
          type: 'notice',
          level: 'error',
          message: `${held.info.name} could not be read again: ${fitted.message}`,
        });
    })();
    this.fitting = { key, done };
    try {
      await done;
    } finally {
      if (this.fitting?.key === key) this.fitting = undefined;
    }
  }

  /** The requested dataset at this size, once `ensure` has fitted it. */
  get(request: StoredRequest, input: InputSize): Found {
    const held = this.held.get(request.id);
    if (held === undefined)
      return { ok: false, message: 'The chosen dataset is not here any more: load its files again.' };
    const shape = shapeOf(input);
    if (shape !== null && this.fitted?.key === fitKey(request, shape))
      return { ok: true, data: this.fitted.data };
    return { ok: false, message: `${held.info.name} is not ready at this size yet.` };
  }
}
