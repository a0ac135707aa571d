/**
 * Passes over the drafts once every layer is read: pairs of layers that one ConvCanvas node
 * realises are folded back into that node, so exporting a graph and importing it again gives the
 * same graph.
 */
import { getNodeDef } from '../../nodes';
import { isImage } from '../../nodes/shape';
import { checkParams } from '../core/params';
import type { Draft, DraftGraph, Merge } from './drafts';
import { applyMerges } from './drafts';
import type { SavedModel } from './topology';

/** What the passes need to know of the model besides the drafts. */
export interface ModelFacts {
  /** The layer whose output is the model's output. */
  readonly output: string;
  /** How many layers read each layer's output, by name. */
  readonly consumers: ReadonlyMap<string, number>;
}

export type Pass = (graph: DraftGraph, facts: ModelFacts) => DraftGraph;

export function modelFacts(model: SavedModel): ModelFacts {
  const consumers = new Map<string, number>();
  for (const l of model.layers) for (const i of l.inputs) consumers.set(i, (consumers.get(i) ?? 0) + 1);
  return { output: model.outputs[0] ?? '', consumers };
}

/** The padding a node realises before its convolution, as [[top, bottom], [left, right]]. */
function realisedPads(draft: Draft, params: Readonly<Record<string, unknown>>, x: readonly number[]) {
  const def = getNodeDef(draft.kind)!;
  const check = checkParams(def, params);
  if (!check.ok) return undefined;
  const first = def.layers([x], check.values)[0];
  if (first?.layer !== 'padding2d') return [0, 0, 0, 0];
  return (first.config['padding'] as readonly (readonly number[])[]).flat();
}

/**
 * A mirror padding layer made just for a valid convolution, adding exactly what TensorFlow's same
 * padding would, is that convolution with a same-<mode> border. Which kinds have such a border,
 * and the padding it adds, come from the kinds themselves: the folded node must realise this very
 * padding before its convolution.
 */
export const foldPaddingIntoConv: Pass = (graph, facts) => {
  const merges: Merge[] = [];
  for (const [key, conv] of graph.drafts) {
    const padKey = conv.inputs[0];
    const pad = padKey === undefined ? undefined : graph.drafts.get(padKey);
    if (
      padKey === undefined ||
      pad === undefined ||
      pad.kind !== 'padding' ||
      conv.params['padding'] !== 'valid' ||
      conv.layer.inputs[0] !== pad.layer.name ||
      facts.consumers.get(pad.layer.name) !== 1
    )
      continue;
    const x = pad.inputs[0] === undefined ? undefined : graph.drafts.get(pad.inputs[0])?.shape;
    if (x === undefined || !isImage(x)) continue;
    const params = { ...conv.params, padding: `same-${String(pad.params['mode'])}` };
    const realised = realisedPads(conv, params, x);
    const p = pad.params;
    const wanted = [p['top'], p['bottom'], p['left'], p['right']];
    if (realised === undefined || !realised.every((n, i) => n === wanted[i])) continue;
    merges.push({ gone: padKey, by: key, changes: { params, inputs: pad.inputs } });
  }
  return applyMerges(graph, merges);
};

/**
 * A Dense layer with softmax at the very end of the model, or a linear Dense whose only reader is
 * the model's final Softmax, is what an Output node is. (Reading a Dense with softmax gives a
 * linear Dense node and a softmax Activation node, so both come here as that pair.)
 */
export const foldSoftmaxDenseIntoOutput: Pass = (graph, facts) => {
  const lastKey = graph.outputOf.get(facts.output);
  const last = lastKey === undefined ? undefined : graph.drafts.get(lastKey);
  if (
    lastKey === undefined ||
    last === undefined ||
    last.kind !== 'activation' ||
    last.params['fn'] !== 'softmax' ||
    last.layer.name !== facts.output
  )
    return graph;
  const denseKey = last.inputs[0];
  const dense = denseKey === undefined ? undefined : graph.drafts.get(denseKey);
  if (
    denseKey === undefined ||
    dense === undefined ||
    dense.kind !== 'dense' ||
    dense.params['activation'] !== 'linear' ||
    dense.params['bias'] !== true
  )
    return graph;
  // A separate Dense layer that other layers also read keeps its scores.
  if (dense.layer !== last.layer && facts.consumers.get(dense.layer.name) !== 1) return graph;
  return applyMerges(graph, [
    { gone: lastKey, by: denseKey, changes: { kind: 'output', params: { classes: dense.params['units'] } } },
  ]);
};

/** Run in this order after the layers are read. */
export const passes: readonly Pass[] = [foldPaddingIntoConv, foldSoftmaxDenseIntoOutput];
