/**
 * One way from a graph and its data to a model ready to train or inspect: bind the graph to the data,
 * compile it, and (for training) refuse what TensorFlow.js cannot train. The worker's session, the
 * CLI and the benches all start here.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import type { CompileError, CompiledGraph } from '../compile/compile';
import { compileGraph } from '../compile/compile';
import type { GraphDocument } from '../core/document';
import { modelKey } from '../core/structure';
import { bindDataset } from '../data/bind';
import type { ImageDataset } from '../data/dataset';
import { trainingBlockers } from '../train/trainability';

export interface PreparedModel {
  readonly model: tfl.LayersModel;
  readonly compiled: CompiledGraph;
  /** The graph as compiled (bound to the data). */
  readonly graph: GraphDocument;
  readonly data: ImageDataset;
  /** What the model's weights belong to (see modelKey). */
  readonly key: string;
}

export interface PrepareOptions {
  /** Refuse graphs tfjs cannot train, and draw the initial weights from this seed. */
  readonly training?: { readonly seed: number };
}

export type PrepareResult =
  | { readonly ok: true; readonly prepared: PreparedModel }
  | { readonly ok: false; readonly errors: readonly CompileError[] };

export function prepareModel(
  graph: GraphDocument,
  data: ImageDataset,
  { training }: PrepareOptions = {},
): PrepareResult {
  const bound = bindDataset(graph, data);
  const result = compileGraph(bound, undefined, training ?? {});
  if (!result.ok) return result;
  const blockers = training ? trainingBlockers(result.compiled) : [];
  if (blockers.length > 0) {
    result.compiled.model.dispose();
    return { ok: false, errors: blockers };
  }
  return {
    ok: true,
    prepared: {
      model: result.compiled.model,
      compiled: result.compiled,
      graph: bound,
      data,
      key: modelKey(graph, data.height),
    },
  };
}

/** Located errors in one sentence each, joined (for messages that are not lists). */
export const errorText = (errors: readonly CompileError[]): string => errors.map((e) => e.message).join(' ');
