/**
 * Runs a compiled graph node by node on real tensors, keeping every node's output: one forward pass
 * gives every activation. The compiler keeps each node's layers, so this calls exactly the model's
 * layers (in inference mode: batch norm uses its moving statistics, dropout passes values through).
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { CompiledGraph } from '../compile/compile';

export interface ForwardOptions {
  /** Outputs already known (or replaced, to follow their effect): used as they are, not computed. */
  readonly given?: ReadonlyMap<string, tf.Tensor>;
  /** The Output node gives its class scores before softmax (what Grad-CAM differentiates). */
  readonly logits?: boolean;
}

/** The live nodes of a compiled graph, inputs first. */
export const liveNodes = (compiled: CompiledGraph): string[] =>
  compiled.analysis.order.filter((id) => compiled.nodes.has(id));

/** The scores before a final softmax dense layer: x · kernel + bias. */
function scoresBeforeSoftmax(layer: tfl.layers.Layer, x: tf.Tensor): tf.Tensor {
  const [kernel, bias] = layer.getWeights();
  const activation = (layer.getConfig() as { activation?: unknown }).activation;
  if (layer.getClassName() !== 'Dense' || activation !== 'softmax' || kernel === undefined)
    throw new Error(`${layer.name} is not a softmax dense layer`);
  const scores = tf.matMul(x as tf.Tensor2D, kernel as tf.Tensor2D);
  return bias === undefined ? scores : tf.add(scores, bias);
}

/**
 * Every live node's output for a batch of images (call inside tf.tidy, or dispose what it made; the
 * map holds the `given` tensors too).
 */
export function forward(
  compiled: CompiledGraph,
  input: tf.Tensor4D,
  options: ForwardOptions = {},
): Map<string, tf.Tensor> {
  const { analysis, nodes } = compiled;
  const values = new Map<string, tf.Tensor>(options.given ?? []);
  for (const id of liveNodes(compiled)) {
    if (values.has(id)) continue;
    const { layers } = nodes.get(id)!;
    if (id === analysis.inputId) {
      values.set(id, input);
      continue;
    }
    const sources = (analysis.index.incoming.get(id) ?? []).map((e) => values.get(e.source)!);
    let current: tf.Tensor | tf.Tensor[] = sources.length === 1 ? sources[0]! : sources;
    layers.forEach((layer, i) => {
      const last = i === layers.length - 1;
      current =
        options.logits && last && id === analysis.outputId
          ? scoresBeforeSoftmax(layer, current as tf.Tensor)
          : (layer.apply(current, { training: false }) as tf.Tensor);
    });
    values.set(id, current as tf.Tensor);
  }
  return values;
}

/** Every live node's output for one image, kept (dispose them when done). */
export function activationsOf(compiled: CompiledGraph, input: tf.Tensor4D): Map<string, tf.Tensor> {
  const ids = liveNodes(compiled);
  const kept = tf.tidy(() => {
    const values = forward(compiled, input);
    // The input itself is returned as a copy, so disposing the activations never frees the caller's input.
    return ids.map((id) => (id === compiled.analysis.inputId ? tf.clone(values.get(id)!) : values.get(id)!));
  });
  return new Map(ids.map((id, i) => [id, kept[i]!]));
}

/** The nodes that depend on `id` (not `id` itself). */
export function downstreamOf(compiled: CompiledGraph, id: string): Set<string> {
  const out = new Set<string>();
  const stack = [id];
  while (stack.length > 0) {
    const at = stack.pop()!;
    for (const e of compiled.analysis.index.outgoing.get(at) ?? [])
      if (!out.has(e.target) && compiled.nodes.has(e.target)) {
        out.add(e.target);
        stack.push(e.target);
      }
  }
  return out;
}
