/**
 * The person's own datasets as the page sees them: what the worker found in the files (classes, how
 * many images of each, whether they are all grey, what was skipped), the settings that turn them into
 * training and validation images, and whether they fit the graph as it is. The data follows the graph:
 * every image is fitted to the Input node's size and channels; what cannot follow (the number of
 * classes, memory) is said before training, with a one-click fix where there is one.
 */
import type { ParamValues } from '../../../nodes/params';
import { choice, defaultParams, float } from '../../../nodes/params';
import type { GraphDocument } from '../document';
import type { ResizeMode } from './augment';
import type { DataProblem, DatasetRequest, StoredRequest } from './data';
import { DATASET_BYTES_LIMIT, builtInDataProblems, describeInput, inputSizeOf, nodesOf } from './data';

export type StoredFormat = 'folder' | 'idx' | 'cifar';

/** A file that was not loaded, and why (the same shape as the loaders' FileProblem). */
export interface SkippedFile {
  readonly file: string;
  readonly at?: string;
  readonly message: string;
}

/** The most skipped files listed with a dataset (the count says how many there were in all). */
export const SKIPPED_LISTED = 500;

export interface StoredDatasetInfo {
  /** Stable for the same files: derived from their paths and sizes. */
  readonly id: string;
  readonly name: string;
  readonly format: StoredFormat;
  readonly classes: readonly string[];
  /** Readable images of each class, training and validation together. */
  readonly counts: readonly number[];
  /** When the files bring their own split (train/ and test/ folders, test files): validation images per class. */
  readonly ownValidation?: readonly number[];
  /** Every image is grey (red = green = blue). */
  readonly grey: boolean;
  /** Files and bytes as loaded. */
  readonly files: number;
  readonly bytes: number;
  /** Files that were not loaded, with the reason (at most SKIPPED_LISTED of them). */
  readonly skipped: readonly SkippedFile[];
  readonly skippedCount: number;
  /** Kept in this browser (IndexedDB), so it survives a reload; otherwise it must be loaded again. */
  readonly kept: boolean;
  /** Why it cannot be trained on yet (a collection of loose images with one class so far). */
  readonly unusable?: string;
  /** Built from loose images, class by class: more can be added to it. */
  readonly collection?: true;
}

/** How a stored dataset becomes training and validation images; declared like the training settings. */
export const storedDataSettings = {
  fit: choice<ResizeMode>(
    [
      { value: 'centre-crop', label: 'Centre crop' },
      { value: 'letterbox', label: 'Letterbox' },
      { value: 'stretch', label: 'Stretch' },
    ],
    'centre-crop',
    'How an image of another shape becomes the Input’s: crop the middle (nothing squashed), fit it whole with black bars, or stretch it.',
    'fit',
  ),
  validationShare: float(
    0.2,
    0.05,
    0.5,
    0.05,
    'Each class’s share of images kept aside for validation, chosen by the seed; a folder with train/ and test/ (or val/) subfolders keeps its own split.',
    'validation share',
  ),
};
export type StoredDataConfig = ParamValues<typeof storedDataSettings>;
export const defaultStoredDataConfig: StoredDataConfig = defaultParams(storedDataSettings);

/** The command-line flag of each stored-data setting. */
export const storedDataFlags: Readonly<Record<keyof StoredDataConfig, string>> = {
  fit: 'fit',
  validationShare: 'val-share',
};

/** Training and validation images of each class, as the split will make them. */
export function splitCounts(
  info: Pick<StoredDatasetInfo, 'counts' | 'ownValidation'>,
  validationShare: number,
): { readonly train: number[]; readonly validation: number[] } {
  // The same rounding as src/data/split.ts's stratified split.
  const validation = info.ownValidation
    ? [...info.ownValidation]
    : info.counts.map((n) => Math.round(validationShare * n));
  return { train: info.counts.map((n, c) => n - validation[c]!), validation };
}

const sum = (list: readonly number[]) => list.reduce((a, b) => a + b, 0);
const plural = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** Why a stored dataset cannot be trained on by this graph as it is; advisory ones do not stop training. */
export function storedDataProblems(
  doc: GraphDocument,
  request: StoredRequest,
  info: StoredDatasetInfo | undefined,
): DataProblem[] {
  if (info === undefined)
    return [
      {
        message:
          'The chosen dataset is not in this browser any more (it was not kept, or was removed): load its files again, or choose another dataset.',
      },
    ];
  if (info.unusable !== undefined) return [{ message: `${info.name}: ${info.unusable}` }];
  const problems: DataProblem[] = [];
  const input = nodesOf(doc, 'input');
  const size = inputSizeOf(doc);
  if (size !== undefined && size.channels !== 1 && size.channels !== 3) {
    const channels = info.grey ? 1 : 3;
    problems.push({
      nodeId: input[0]!.id,
      message: `The images of ${info.name} become grey (1 channel) or colour (3), but the Input "${input[0]!.id}" takes ${size.channels} channels.`,
      fix: { label: `Use ${channels} channel${channels === 1 ? '' : 's'}`, params: { channels } },
    });
  }
  const outputs = nodesOf(doc, 'output');
  const classes = outputs.length === 1 ? outputs[0]!.params['classes'] : undefined;
  const wanted = info.classes.length;
  if (typeof classes === 'number' && classes !== wanted)
    problems.push({
      nodeId: outputs[0]!.id,
      message: `The Output "${outputs[0]!.id}" chooses between ${classes} classes, but ${info.name} has ${wanted} (${info.classes.slice(0, 6).join(', ')}${wanted > 6 ? ', …' : ''}): set the Output to ${wanted} classes to train on it.`,
      fix: { label: `Set the Output to ${wanted} classes`, params: { classes: wanted } },
    });
  if (size !== undefined && size.channels === 3 && info.grey)
    problems.push({
      nodeId: input[0]!.id,
      advisory: true,
      message: `Every image of ${info.name} is grey, and the Input takes colour: each grey value is used three times. An Input of 1 channel learns the same with fewer weights in the first layer.`,
      fix: { label: 'Use 1 channel', params: { channels: 1 } },
    });
  if (size !== undefined && size.channels === 1 && !info.grey)
    problems.push({
      nodeId: input[0]!.id,
      advisory: true,
      message: `${info.name} is in colour, but the Input takes grey (1 channel): the colours are turned grey. Use 3 channels if colour tells the classes apart.`,
      fix: { label: 'Use 3 channels', params: { channels: 3 } },
    });
  const total = sum(info.counts);
  if (size !== undefined) {
    const per = size.height * size.width * Math.max(1, size.channels);
    if (total * per > DATASET_BYTES_LIMIT)
      problems.push({
        message: `${plural(total, 'image')} of ${info.name} at ${describeInput(size)} take ${((total * per) / 1024 ** 3).toFixed(2)} GB as bytes, more than the ${DATASET_BYTES_LIMIT / 1024 ** 3} GB a dataset may use: at this size ${Math.floor(DATASET_BYTES_LIMIT / per).toLocaleString('en-US')} fit. Make the Input smaller, or load fewer images.`,
      });
  }
  const split = splitCounts(info, request.validationShare);
  if (sum(split.train) === 0)
    problems.push({ message: `${info.name} leaves no image for training: lower the validation share.` });
  else if (sum(split.validation) === 0)
    problems.push({
      message: `${info.name} keeps no image aside for validation at a share of ${request.validationShare}: raise the share, or add images.`,
    });
  return problems;
}

/**
 * Why the requested data cannot be trained on by this graph as it is, each with its fix; empty when
 * it can. `stored` describes a stored dataset (undefined: it is not here).
 */
export function dataProblems(
  doc: GraphDocument,
  request: DatasetRequest,
  stored?: StoredDatasetInfo,
): DataProblem[] {
  return request.kind === 'shapes'
    ? builtInDataProblems(doc, request)
    : storedDataProblems(doc, request, stored);
}

/** What a run's data was, in words: "Shapes", "pets (folder, centre-crop, 20% validation)". */
export function describeRequest(request: DatasetRequest, info?: StoredDatasetInfo): string {
  if (request.kind === 'shapes') return 'Shapes';
  const name = info?.name ?? `dataset ${request.id}`;
  const share = info?.ownValidation
    ? 'its own split'
    : `${Math.round(request.validationShare * 100)}% validation`;
  return `${name} (${request.fit}, ${share})`;
}

/** Which data weights were trained on, as far as keeping them goes: Shapes (any seed or count) or one stored dataset. */
export const dataIdentity = (request: DatasetRequest | undefined): string =>
  request === undefined || request.kind === 'shapes' ? 'shapes' : `stored ${request.id}`;
