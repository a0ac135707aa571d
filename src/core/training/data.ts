/**
 * The data a graph trains on follows the graph, never the reverse: the built-in images are drawn at
 * the Input node's size and channels, and a graph whose Output does not have the dataset's number of
 * classes is refused, with the one-click fix. Everything here is checked before any image is drawn.
 */
import type { GraphDocument } from '../document';
import type { ResizeMode } from './augment';

/** The built-in Shapes, drawn from a seed. */
export interface ShapesRequest {
  readonly kind: 'shapes';
  readonly seed: number;
  readonly trainCount: number;
  readonly validationCount: number;
}

/**
 * A dataset the person loaded (a folder of images, IDX or CIFAR files), kept by the worker under `id`;
 * its images are fitted to the Input node's size by `fit`.
 */
export interface StoredRequest {
  readonly kind: 'stored';
  readonly id: string;
  readonly fit: ResizeMode;
  /** Each class's share kept for validation, when the files bring no split of their own. */
  readonly validationShare: number;
  /** Seeds that split. */
  readonly seed: number;
}

/** Which data to train on; the image size comes from the graph's Input node. */
export type DatasetRequest = ShapesRequest | StoredRequest;

export interface InputSize {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

/** The classes of the built-in Shapes dataset. */
export const SHAPES_CLASSES = 10;

/**
 * The most bytes the training and validation images may take in memory together (float32): beyond
 * this a browser tab risks running out of memory before training even starts.
 */
export const DATASET_BYTES_LIMIT = 1024 ** 3;

/** A reason the data and the graph do not fit, at the node to change, with an edit that fixes it. */
export interface DataProblem {
  readonly nodeId?: string;
  readonly message: string;
  /** Params for `nodeId` that make the problem go away (offered as one undoable click). */
  readonly fix?: { readonly label: string; readonly params: Readonly<Record<string, number>> };
  /** Or settings that make it go away. */
  readonly fewerImages?: { readonly trainCount: number; readonly validationCount: number };
  /** Training can go ahead as it is: the fix is an offer (grey images on a colour Input). */
  readonly advisory?: true;
}

export const nodesOf = (doc: GraphDocument, kind: string) => doc.nodes.filter((n) => n.kind === kind);

/** The single Input node's image size, when the graph has exactly one. */
export function inputSizeOf(doc: GraphDocument): InputSize | undefined {
  const inputs = nodesOf(doc, 'input');
  if (inputs.length !== 1) return undefined;
  const p = inputs[0]!.params;
  const [height, width, channels] = [p['height'], p['width'], p['channels']];
  return typeof height === 'number' && typeof width === 'number' && typeof channels === 'number'
    ? { height, width, channels }
    : undefined;
}

/** "32×32 colour", "28×28 grey". */
export function describeInput(size: InputSize): string {
  const kind = size.channels === 3 ? 'colour' : size.channels === 1 ? 'grey' : `${size.channels}-channel`;
  return `${size.height}×${size.width} ${kind}`;
}

const bytesPerImage = (size: InputSize) => size.height * size.width * size.channels * 4;

/** The problems that stop training (not the advisory ones). */
export const blockingProblems = (problems: readonly DataProblem[]): DataProblem[] =>
  problems.filter((p) => p.advisory !== true);

/** Why the built-in data cannot be drawn for this graph with these settings; empty when it can. */
export function builtInDataProblems(doc: GraphDocument, request: ShapesRequest): DataProblem[] {
  const problems: DataProblem[] = [];
  const input = nodesOf(doc, 'input');
  const size = inputSizeOf(doc);
  if (size !== undefined && size.channels !== 1 && size.channels !== 3)
    problems.push({
      nodeId: input[0]!.id,
      message: `The built-in Shapes images are colour (3 channels) or grey (1), but the Input "${input[0]!.id}" takes ${size.channels} channels.`,
      fix: { label: 'Use 3 channels', params: { channels: 3 } },
    });
  const outputs = nodesOf(doc, 'output');
  const classes = outputs.length === 1 ? outputs[0]!.params['classes'] : undefined;
  if (typeof classes === 'number' && classes !== SHAPES_CLASSES)
    problems.push({
      nodeId: outputs[0]!.id,
      message: `The Output "${outputs[0]!.id}" chooses between ${classes} classes, but Shapes has ${SHAPES_CLASSES}: set the Output to ${SHAPES_CLASSES} classes to train on it.`,
      fix: { label: `Set the Output to ${SHAPES_CLASSES} classes`, params: { classes: SHAPES_CLASSES } },
    });
  if (size !== undefined) {
    const per = bytesPerImage(size);
    const total = per * (request.trainCount + request.validationCount);
    if (total > DATASET_BYTES_LIMIT) {
      const fits = Math.floor(DATASET_BYTES_LIMIT / per);
      const share = request.trainCount / (request.trainCount + request.validationCount);
      const trainCount = Math.max(0, Math.floor(fits * share));
      const validationCount = Math.max(0, fits - trainCount);
      problems.push({
        message: `${(request.trainCount + request.validationCount).toLocaleString('en-US')} images at ${describeInput(size)} take ${(total / 1024 ** 3).toFixed(1)} GB, more than the ${DATASET_BYTES_LIMIT / 1024 ** 3} GB the data may use: at this size at most ${fits.toLocaleString('en-US')} fit (for example ${trainCount.toLocaleString('en-US')} training and ${validationCount.toLocaleString('en-US')} validation images), or make the Input smaller.`,
        ...(trainCount >= 1 && validationCount >= 1 && { fewerImages: { trainCount, validationCount } }),
      });
    }
  }
  return problems;
}
