/**
 * The arithmetic of one output value of a convolution, done by hand in double precision beside the
 * model's own value: each input channel's window times its kernel slice, their sum, the bias, the
 * activation, then a batch norm and an activation when they follow.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { samePadding } from '../../nodes/shape';
import type { CompiledGraph } from '../compile/compile';
import type { ChannelTerm, ConvExplanation, FollowingStep } from '../core/inspect/types';

type Explained = Omit<ConvExplanation, 'key' | 'version'>;

/** erf by Abramowitz & Stegun 7.1.26 (error under 1.5e-7), as TensorFlow.js computes it. */
function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return sign * (1 - poly * Math.exp(-a * a));
}

/** The element-wise activations, by hand; undefined for one that needs the other values (softmax). */
export function activate(fn: string, v: number, alpha = 0.2): number | undefined {
  switch (fn) {
    case 'linear':
      return v;
    case 'relu':
      return Math.max(0, v);
    case 'leaky_relu':
      return v < 0 ? alpha * v : v;
    case 'elu':
      return v > 0 ? v : Math.exp(v) - 1;
    case 'gelu':
      return 0.5 * v * (1 + erf(v / Math.SQRT2));
    case 'sigmoid':
      return 1 / (1 + Math.exp(-v));
    case 'tanh':
      return Math.tanh(v);
    default:
      return undefined;
  }
}

/** The value at [0, y, x, channel] of an activation. */
async function valueAt(t: tf.Tensor, y: number, x: number, channel: number): Promise<number> {
  const one = tf.slice(t, [0, y, x, channel], [1, 1, 1, 1]);
  const [v] = await one.data();
  one.dispose();
  return v!;
}

/** The one node fed by `id`, when there is exactly one and it is live. */
function soleConsumer(compiled: CompiledGraph, id: string): string | undefined {
  const out = compiled.analysis.index.outgoing.get(id) ?? [];
  return out.length === 1 && compiled.nodes.has(out[0]!.target) ? out[0]!.target : undefined;
}

const kindOf = (compiled: CompiledGraph, id: string) => compiled.analysis.index.nodes.get(id)?.kind;

/** The convolution layer of a node, and the padding layer before it (reflect and friends), if any. */
export function convLayersOf(compiled: CompiledGraph, nodeId: string) {
  const layers = compiled.nodes.get(nodeId)?.layers ?? [];
  const conv = layers.find((l) => l.getClassName() === 'Conv2D');
  const pad = layers.find((l) => l.getClassName() !== 'Conv2D');
  return conv === undefined ? undefined : { conv, pad };
}

interface ConvConfig {
  kernelSize: number[];
  strides: number[];
  dilationRate: number[];
  padding: string;
  activation: string;
  useBias: boolean;
}

/** Explains output [y, x, channel] of conv node `nodeId`, given every live node's activations. */
export async function explainConv(
  compiled: CompiledGraph,
  activations: ReadonlyMap<string, tf.Tensor>,
  nodeId: string,
  channel: number,
  y: number,
  x: number,
): Promise<Explained> {
  const layers = convLayersOf(compiled, nodeId);
  const sourceId = compiled.analysis.index.incoming.get(nodeId)?.[0]?.source;
  const input = sourceId === undefined ? undefined : activations.get(sourceId);
  const output = activations.get(nodeId);
  if (layers === undefined || input === undefined || output === undefined || sourceId === undefined)
    throw new Error(`"${nodeId}" is not a convolution of the model`);
  const [, oh, ow, filters] = output.shape as [number, number, number, number];
  if (channel < 0 || channel >= filters || y < 0 || y >= oh || x < 0 || x >= ow)
    throw new Error(`there is no output [${y}, ${x}, ${channel}] in ${oh}×${ow}×${filters}`);
  const { conv, pad } = layers;
  const config = conv.getConfig() as unknown as ConvConfig;
  const k = config.kernelSize[0]!;
  const stride = config.strides[0]!;
  const dilation = config.dilationRate[0]!;
  const [, h, w, cin] = input.shape as [number, number, number, number];

  // Where the window starts in the (padded) input, and the padding before it.
  let top = 0;
  let left = 0;
  if (pad !== undefined) {
    const [[t], [l]] = (pad.getConfig() as { padding: [[number, number], [number, number]] }).padding;
    [top, left] = [t, l];
  } else if (config.padding === 'same') {
    top = samePadding(h, k, stride, dilation)[0];
    left = samePadding(w, k, stride, dilation)[0];
  }
  const span = (k - 1) * dilation + 1;
  const window = tf.tidy(() => {
    const padded =
      pad !== undefined
        ? (pad.apply(input) as tf.Tensor4D)
        : tf.pad(input as tf.Tensor4D, [
            [0, 0],
            [top, Math.max(0, y * stride + span - top - h)],
            [left, Math.max(0, x * stride + span - left - w)],
            [0, 0],
          ]);
    return tf.slice(padded, [0, y * stride, x * stride, 0], [1, span, span, cin]);
  });
  const [kernel, bias] = conv.getWeights() as [tf.Tensor, tf.Tensor | undefined];
  const kernelSlice = tf.tidy(() => tf.slice(kernel, [0, 0, 0, channel], [k, k, cin, 1]));
  const [win, ker, b, actual] = await Promise.all([
    window.data(),
    kernelSlice.data(),
    config.useBias && bias !== undefined
      ? tf.tidy(() => tf.slice(bias, channel, 1)).data()
      : Promise.resolve([0]),
    valueAt(output, y, x, channel),
  ]);
  tf.dispose([window, kernelSlice]);

  const border: boolean[] = [];
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      const py = y * stride + i * dilation - top;
      const px = x * stride + j * dilation - left;
      border.push(py < 0 || py >= h || px < 0 || px >= w);
    }
  const terms: ChannelTerm[] = [];
  let sum = 0;
  for (let c = 0; c < cin; c++) {
    const patch: number[] = [];
    const weights: number[] = [];
    let partial = 0;
    for (let i = 0; i < k; i++)
      for (let j = 0; j < k; j++) {
        const p = win[(i * dilation * span + j * dilation) * cin + c]!;
        const q = ker[(i * k + j) * cin + c]!;
        patch.push(p);
        weights.push(q);
        partial += p * q;
      }
    sum += partial;
    terms.push({ channel: c, patch, kernel: weights, partial });
  }
  const biasValue = b[0]!;
  const computed = activate(config.activation, sum + biasValue) ?? Number.NaN;
  const explained: Explained = {
    nodeId,
    sourceId,
    channel,
    y,
    x,
    kernel: k,
    stride,
    dilation,
    padding: pad === undefined ? config.padding : `${config.padding} after ${padModeOf(pad)} padding`,
    inputShape: input.shape.slice(1),
    outputShape: output.shape.slice(1),
    border,
    terms,
    sum,
    bias: biasValue,
    activation: config.activation,
    computed,
    actual,
  };
  return { ...explained, ...(await following(compiled, activations, nodeId, channel, y, x, actual)) };
}

const padModeOf = (pad: tfl.layers.Layer) => String((pad.getConfig() as { mode?: unknown }).mode ?? '');

/** A batch norm and then an activation right after the convolution, each by hand and from the model. */
async function following(
  compiled: CompiledGraph,
  activations: ReadonlyMap<string, tf.Tensor>,
  nodeId: string,
  channel: number,
  y: number,
  x: number,
  value: number,
): Promise<Pick<ConvExplanation, 'batchNorm' | 'after'>> {
  const out: { batchNorm?: ConvExplanation['batchNorm']; after?: ConvExplanation['after'] } = {};
  let at = nodeId;
  let v = value;
  let next = soleConsumer(compiled, at);
  if (next !== undefined && kindOf(compiled, next) === 'batchnorm') {
    const bn = compiled.nodes.get(next)!.layers[0]!;
    const named = new Map(bn.weights.map((w, i) => [w.originalName.split('/').at(-1), bn.getWeights()[i]!]));
    const read = async (name: string, fallback: number) => {
      const t = named.get(name);
      if (t === undefined) return fallback;
      const one = tf.slice(t, channel, 1);
      const [r] = await one.data();
      one.dispose();
      return r!;
    };
    const [gamma, beta, mean, variance] = await Promise.all([
      read('gamma', 1),
      read('beta', 0),
      read('moving_mean', 0),
      read('moving_variance', 1),
    ]);
    const epsilon = Number((bn.getConfig() as { epsilon?: number }).epsilon ?? 1e-3);
    const computed = (gamma * (v - mean)) / Math.sqrt(variance + epsilon) + beta;
    const actual = await valueAt(activations.get(next)!, y, x, channel);
    out.batchNorm = { nodeId: next, gamma, beta, mean, variance, epsilon, computed, actual };
    [at, v] = [next, actual];
    next = soleConsumer(compiled, at);
  }
  if (next !== undefined && kindOf(compiled, next) === 'activation') {
    const params = compiled.analysis.index.nodes.get(next)!.params;
    const fn = String(params['fn']);
    const computed = activate(fn, v, Number(params['alpha']));
    if (computed !== undefined) {
      const actual = await valueAt(activations.get(next)!, y, x, channel);
      const step: FollowingStep & { fn: string } = { nodeId: next, fn, computed, actual };
      out.after = step;
    }
  }
  return out;
}
