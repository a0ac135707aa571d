/**
 * Class heatmaps of a spatial node ("which part of the image made it say square"): the mean over the
 * channels of its activations (class-agnostic), and Grad-CAM (Selvaraju et al. 2017) for one class:
 * ReLU(Σ_k α_k A_k) with α_k the mean over the map of ∂(class score before softmax)/∂A_k.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { CompiledGraph } from '../compile/compile';
import { downstreamOf, forward, liveNodes } from './forward';

/**
 * The node heatmaps default to: the last live node with a spatial (H×W×C) output, which in a
 * classifier is the one right before global pooling or flattening.
 */
export function lastSpatialNode(compiled: CompiledGraph): string | undefined {
  const { analysis } = compiled;
  return liveNodes(compiled)
    .filter((id) => {
      const r = analysis.nodes.get(id);
      return r?.status === 'ok' && r.shape.length === 3 && id !== analysis.inputId;
    })
    .at(-1);
}

export interface HeatmapTensors {
  /** [h, w]: the mean over channels. */
  readonly mean: tf.Tensor2D;
  /** [h, w]: Grad-CAM. */
  readonly gradCam: tf.Tensor2D;
  /** The class score before softmax. */
  readonly score: tf.Scalar;
}

/**
 * Both heatmaps of `nodeId` for class `classIndex`, from the image's activations (every live node's
 * output, as activationsOf gives them). Only the nodes after `nodeId` are run again, with its output
 * as the variable; whatever does not depend on it (a skip link from before it) stays as computed.
 */
export function heatmapsOf(
  compiled: CompiledGraph,
  activations: ReadonlyMap<string, tf.Tensor>,
  nodeId: string,
  classIndex: number,
): HeatmapTensors {
  const a = activations.get(nodeId);
  const outputId = compiled.analysis.outputId;
  const inputId = compiled.analysis.inputId;
  if (a === undefined || a.rank !== 4 || outputId === undefined || inputId === undefined)
    throw new Error(`"${nodeId}" has no spatial output to make a heatmap of`);
  const after = downstreamOf(compiled, nodeId);
  return tf.tidy(() => {
    const given = new Map([...activations].filter(([id]) => !after.has(id)));
    const input = activations.get(inputId) as tf.Tensor4D;
    const scoreOf = (value: tf.Tensor) => {
      given.set(nodeId, value);
      const scores = forward(compiled, input, { given, logits: true }).get(outputId)!;
      return tf.reshape(tf.slice(scores, [0, classIndex], [1, 1]), []) as tf.Scalar;
    };
    const { value: score, grad } = tf.valueAndGrad(scoreOf)(a);
    const weights = tf.mean(grad, [0, 1, 2]);
    const gradCam = tf.relu(tf.sum(tf.mul(a, weights), 3));
    const mean = tf.mean(a, 3);
    const [, h, w] = a.shape as [number, number, number, number];
    return {
      mean: tf.reshape(mean, [h, w]) as tf.Tensor2D,
      gradCam: tf.reshape(gradCam, [h, w]) as tf.Tensor2D,
      score,
    };
  });
}
