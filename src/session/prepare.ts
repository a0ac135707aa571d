/**
 * One way from a graph and its data to a model ready to train or inspect: check that the data fits
 * the graph as it is (the graph is never adjusted to the data), compile it, and (for training) refuse
 * what TensorFlow.js cannot train. The worker's session, the CLI and the benches all start here.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import type { CompileError, CompiledGraph } from '../compile/compile';
import { compileGraph } from '../compile/compile';
import type { GraphDocument } from '../core/document';
import { modelKey } from '../core/structure';
import { describeInput, inputSizeOf } from '../core/training/data';
import type { ImageDataset } from '../data/dataset';
import { trainingBlockers } from '../train/trainability';

export interface PreparedModel {
  readonly model: tfl.LayersModel;
  readonly compiled: CompiledGraph;
  /** The graph, exactly as on the canvas. */
  readonly graph: GraphDocument;
  /**
   * The data it trains and validates on; absent when the data does not fit the graph (weights can be
   * loaded and looked at, but training waits until it fits).
   */
  readonly data: ImageDataset | undefined;
  /** What the model's weights belong to (see modelKey). */
  readonly key: string;
}

export interface PrepareOptions {
  /** Draw the initial weights from this seed (otherwise they are random each time). */
  readonly seed?: number;
  /** Refuse graphs tfjs cannot train. */
  readonly forTraining?: boolean;
}

export type PrepareResult =
  | { readonly ok: true; readonly prepared: PreparedModel }
  | { readonly ok: false; readonly errors: readonly CompileError[] };

/** Where the data and the graph disagree: image size, channels, number of classes. */
export function dataMismatches(graph: GraphDocument, data: ImageDataset): CompileError[] {
  const errors: CompileError[] = [];
  const size = inputSizeOf(graph);
  const input = graph.nodes.find((n) => n.kind === 'input');
  const dataSize = { height: data.height, width: data.width, channels: data.channels };
  if (size !== undefined && input !== undefined && describeInput(size) !== describeInput(dataSize))
    errors.push({
      nodeId: input.id,
      message: `The Input takes ${describeInput(size)} images, but ${data.name} has ${describeInput(dataSize)} ones.`,
    });
  const output = graph.nodes.find((n) => n.kind === 'output');
  const classes = output?.params['classes'];
  if (output !== undefined && classes !== data.classes.length)
    errors.push({
      nodeId: output.id,
      message: `The Output chooses between ${String(classes)} classes, but ${data.name} has ${data.classes.length}: set the Output to ${data.classes.length} classes.`,
    });
  return errors;
}

export function prepareModel(
  graph: GraphDocument,
  data: ImageDataset | undefined,
  { seed, forTraining = false }: PrepareOptions = {},
): PrepareResult {
  const result = compileGraph(graph, undefined, seed === undefined ? {} : { seed });
  if (!result.ok) return result;
  const refusals = [
    ...(data === undefined ? [] : dataMismatches(graph, data)),
    ...(forTraining ? trainingBlockers(result.compiled) : []),
  ];
  if (refusals.length > 0) {
    result.compiled.model.dispose();
    return { ok: false, errors: refusals };
  }
  return {
    ok: true,
    prepared: { model: result.compiled.model, compiled: result.compiled, graph, data, key: modelKey(graph) },
  };
}

/** Located errors in one sentence each, joined (for messages that are not lists). */
export const errorText = (errors: readonly CompileError[]): string => errors.map((e) => e.message).join(' ');
