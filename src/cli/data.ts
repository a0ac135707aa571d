/**
 * The train command's own data: `--data <folder | files>` (repeatable), `--fit`, `--val-share` and
 * `--augment`. A folder of class subfolders, MNIST-format IDX files or CIFAR batches (or a folder
 * holding either) load through the same library as the app's worker, with the same split rules and
 * the same list of skipped files, fitted to the graph's Input.
 */
import { stat } from 'node:fs/promises';
import type { AugmentConfig } from '../core/training/augment';
import { noAugmentation } from '../core/training/augment';
import { AUGMENT_PRESETS, augmentConfigProblems } from '../core/training/augment-presets';
import type { InputSize, StoredRequest } from '../core/training/data';
import type { StoredDataConfig, StoredDatasetInfo } from '../core/training/stored-data';
import { defaultStoredDataConfig, storedDataFlags, storedDataSettings } from '../core/training/stored-data';
import { nodeImageDecoder } from '../data/node/decode';
import { folderEntries } from '../data/node/files';
import { ARCHIVE_BYTES_LIMIT, formatBytes } from '../data/limits';
import { formatProblem } from '../data/problems';
import type { SourceFile } from '../session/data-library';
import { DataLibrary } from '../session/data-library';
import type { FromWorker } from '../worker/protocol';
import type { Io } from './io';
import { settingValue } from './options';

export const dataOptions = {
  data: { type: 'string', multiple: true },
  fit: { type: 'string' },
  'val-share': { type: 'string' },
  augment: { type: 'string' },
} as const satisfies Record<string, unknown> &
  Record<(typeof storedDataFlags)[keyof typeof storedDataFlags], unknown>;

export const dataUsage = `[--data <folder | files> ...] [--${storedDataFlags.fit} ${storedDataSettings.fit.options.map((o) => o.value).join('|')}] [--${storedDataFlags.validationShare} X] [--augment ${AUGMENT_PRESETS.map((p) => p.id).join('|')}|<json>]`;

type Values = Readonly<Record<string, string | boolean | readonly string[] | undefined>>;

/** `--augment`: a preset's id or a JSON object of AugmentConfig fields (the rest as none); or why not. */
export function augmentFrom(raw: string | undefined): AugmentConfig | undefined | { problem: string } {
  if (raw === undefined) return undefined;
  const preset = AUGMENT_PRESETS.find((p) => p.id === raw);
  if (preset !== undefined) return preset.config;
  if (!raw.trim().startsWith('{'))
    return {
      problem: `--augment must be a preset (${AUGMENT_PRESETS.map((p) => p.id).join(', ')}) or a JSON object, not "${raw}"`,
    };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    return { problem: `--augment is not valid JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return { problem: '--augment must be a JSON object such as {"flipHorizontal": true}' };
  const known = new Set(Object.keys(noAugmentation));
  const unknown = Object.keys(parsed).filter((k) => !known.has(k));
  if (unknown.length > 0)
    return {
      problem: `--augment has no setting ${unknown.map((k) => `"${k}"`).join(', ')} (known: ${[...known].join(', ')})`,
    };
  const config = { ...noAugmentation, ...(parsed as Partial<AugmentConfig>) };
  const problems = augmentConfigProblems(config);
  return problems.length > 0 ? { problem: `--augment: ${problems.join('; ')}` } : config;
}

/** `--fit` and `--val-share`, or why they are wrong. */
export function storedConfigFrom(values: Values): StoredDataConfig | string {
  const config: Record<string, number | string> = { ...defaultStoredDataConfig };
  for (const key of Object.keys(storedDataSettings) as (keyof StoredDataConfig)[]) {
    const flag = storedDataFlags[key];
    const raw = values[flag];
    if (typeof raw !== 'string') continue;
    if (values['data'] === undefined) return `--${flag} is for --data`;
    const value = settingValue(flag, storedDataSettings[key], raw);
    if (typeof value === 'object') return value.problem;
    config[key] = value;
  }
  return config as unknown as StoredDataConfig;
}

/** The paths given as one list of files: a folder's files (paths starting with its name), or the files themselves. */
async function sourceFiles(paths: readonly string[]): Promise<SourceFile[] | string> {
  const files: SourceFile[] = [];
  for (const path of paths) {
    let kind;
    try {
      kind = await stat(path);
    } catch {
      return `--data ${path}: there is no such file or folder`;
    }
    if (kind.isDirectory()) files.push(...(await folderEntries(path)));
    else if (kind.size > ARCHIVE_BYTES_LIMIT)
      return `--data ${path}: ${formatBytes(kind.size)}; files of at most ${formatBytes(ARCHIVE_BYTES_LIMIT)} are read`;
    else {
      const { readFile } = await import('node:fs/promises');
      files.push({ path, size: kind.size, bytes: async () => new Uint8Array(await readFile(path)) });
    }
  }
  return files;
}

export interface LoadedData {
  readonly library: DataLibrary;
  readonly request: StoredRequest;
  readonly info: StoredDatasetInfo;
}

/**
 * Loads `--data` through the app's data library, fitted to `target`; prints the skipped files (to
 * stderr) and progress. A message when nothing could be loaded.
 */
export async function loadCliData(
  paths: readonly string[],
  target: InputSize,
  config: StoredDataConfig,
  seed: number,
  io: Io & { progress?(text: string): void },
): Promise<LoadedData | string> {
  const files = await sourceFiles(paths);
  if (typeof files === 'string') return files;
  let failure: string | undefined;
  const post = (m: FromWorker) => {
    if (m.type === 'data-progress' && m.what === 'decoding')
      io.progress?.(`reading ${m.name}: ${m.done}/${m.total} files`);
    else if (m.type === 'data-failed') failure = m.message;
  };
  const library = new DataLibrary({ post, decode: nodeImageDecoder });
  const info = await library.load(files, { target, config, seed });
  if (info === undefined) return `--data: ${failure ?? 'nothing could be loaded'}`;
  if (info.skippedCount > 0) {
    io.err(`Skipped ${info.skippedCount} file${info.skippedCount === 1 ? '' : 's'}:`);
    for (const s of info.skipped) io.err(`  ${formatProblem(s)}`);
    if (info.skippedCount > info.skipped.length)
      io.err(`  … and ${info.skippedCount - info.skipped.length} more`);
  }
  return { library, info, request: { kind: 'stored', id: info.id, ...config, seed } };
}
