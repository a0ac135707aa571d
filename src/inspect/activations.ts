/**
 * What the page is sent about activations: every node at a glance (statistics and a small picture)
 * and one node's channels a page at a time. The glances read every activation back in a few large
 * pieces and work in plain loops: a few tensor ops per node would cost more in overhead than the
 * arithmetic (ResNet-20 has 73 nodes).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Grid, NodeGlance, ValueStats } from '../core/inspect/types';
import { CHANNEL_PAGE_VALUES, THUMBNAIL_BARS, THUMBNAIL_SIDE } from '../core/inspect/types';

/** [min, max, mean, std] over all of t. */
function statsOf(t: tf.Tensor): tf.Tensor1D {
  const { mean, variance } = tf.moments(t);
  return tf.stack([tf.min(t), tf.max(t), mean, tf.sqrt(variance)]) as tf.Tensor1D;
}

/** Minimum, maximum, mean and (population) standard deviation, two passes in double precision. */
export function valueStats(v: Float32Array): ValueStats {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (x < min) min = x;
    if (x > max) max = x;
    sum += x;
  }
  const mean = sum / v.length;
  let squares = 0;
  for (let i = 0; i < v.length; i++) {
    const d = v[i]! - mean;
    squares += d * d;
  }
  return { min, max, mean, std: Math.sqrt(squares / v.length) };
}

/** The channel of an h×w×c map (channels interleaved) whose values vary most over the map. */
export function mostVariedChannel(v: Float32Array, c: number): number {
  const n = v.length / c;
  const means = new Float64Array(c);
  for (let p = 0; p < v.length; p += c) for (let k = 0; k < c; k++) means[k]! += v[p + k]!;
  for (let k = 0; k < c; k++) means[k]! /= n;
  const squares = new Float64Array(c);
  for (let p = 0; p < v.length; p += c)
    for (let k = 0; k < c; k++) {
      const d = v[p + k]! - means[k]!;
      squares[k]! += d * d;
    }
  let best = 0;
  for (let k = 1; k < c; k++) if (squares[k]! > squares[best]!) best = k;
  return best;
}

/**
 * Channels `from`..`from + count` of an h×w×c map shrunk to at most THUMBNAIL_SIDE a side: the mean of
 * each f×f block (f = ceil(side / THUMBNAIL_SIDE)); a remainder narrower than a block is left out.
 */
export function shrinkMap(v: Float32Array, h: number, w: number, c: number, from = 0, count = c): Grid {
  const f = Math.ceil(Math.max(h, w) / THUMBNAIL_SIDE);
  const height = Math.floor(h / f);
  const width = Math.floor(w / f);
  const values = new Float32Array(height * width * count);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let k = 0; k < count; k++) {
        let sum = 0;
        for (let i = 0; i < f; i++)
          for (let j = 0; j < f; j++) sum += v[((y * f + i) * w + x * f + j) * c + from + k]!;
        values[(y * width + x) * count + k] = sum / (f * f);
      }
  return { height, width, channels: count, values };
}

/** A vector averaged into at most THUMBNAIL_BARS bars (a trailing remainder is left out). */
export function barsOf(v: Float32Array): Float32Array {
  if (v.length <= THUMBNAIL_BARS) return v.slice();
  const per = Math.floor(v.length / THUMBNAIL_BARS);
  return Float32Array.from({ length: THUMBNAIL_BARS }, (_, b) => {
    let sum = 0;
    for (let i = b * per; i < (b + 1) * per; i++) sum += v[i]!;
    return sum / per;
  });
}

/** One node at a glance, from its values (without the batch dimension). */
function glanceOf(nodeId: string, shape: number[], v: Float32Array, image: boolean): NodeGlance {
  const stats = valueStats(v);
  if (shape.length !== 3) return { nodeId, shape, stats, thumbnail: { kind: 'vector', values: barsOf(v) } };
  const [h, w, c] = shape as [number, number, number];
  if (image) return { nodeId, shape, stats, thumbnail: { kind: 'image', image: shrinkMap(v, h, w, c) } };
  const channel = mostVariedChannel(v, c);
  return {
    nodeId,
    shape,
    stats,
    thumbnail: { kind: 'map', channel, map: shrinkMap(v, h, w, c, channel, 1) },
  };
}

/** Values read back at once, at most (a few large reads, not one per node, and not all at once). */
const READ_VALUES = 1 << 23;

/** Every node at a glance; `imageId`'s thumbnail is the image itself. */
export async function glancesOf(
  ids: readonly string[],
  activations: ReadonlyMap<string, tf.Tensor>,
  imageId?: string,
): Promise<NodeGlance[]> {
  const out: NodeGlance[] = [];
  for (let first = 0; first < ids.length;) {
    let last = first;
    let size = 0;
    do size += activations.get(ids[last++]!)!.size;
    while (last < ids.length && size + activations.get(ids[last]!)!.size <= READ_VALUES);
    const group = ids.slice(first, last);
    const packed = tf.tidy(() => tf.concat(group.map((id) => tf.reshape(activations.get(id)!, [-1]))));
    const values = (await packed.data()) as Float32Array;
    packed.dispose();
    let at = 0;
    for (const id of group) {
      const t = activations.get(id)!;
      out.push(glanceOf(id, t.shape.slice(1), values.subarray(at, at + t.size), id === imageId));
      at += t.size;
    }
    first = last;
  }
  return out;
}

/** How many channels of an h×w map fit one page. */
export const pageChannels = (h: number, w: number, asked: number): number =>
  Math.max(1, Math.min(asked, Math.floor(CHANNEL_PAGE_VALUES / (h * w))));

/**
 * Channels start..start+count of a [1, h, w, c] activation (channel after channel), or the whole of a
 * vector, with every channel's statistics.
 */
export async function channelsOf(
  t: tf.Tensor,
  start: number,
  count: number,
): Promise<{ start: number; count: number; values: Float32Array; channelStats: ValueStats[] }> {
  if (t.rank !== 4) {
    const [values, stats] = await Promise.all([t.data(), tf.tidy(() => statsOf(t)).array()]);
    const v = Float32Array.from(values as Float32Array).slice(0, CHANNEL_PAGE_VALUES);
    const [min, max, mean, std] = stats;
    return {
      start: 0,
      count: 1,
      values: v,
      channelStats: [{ min: min!, max: max!, mean: mean!, std: std! }],
    };
  }
  const [, h, w, c] = t.shape as [number, number, number, number];
  const from = Math.max(0, Math.min(start, c - 1));
  const n = Math.min(pageChannels(h, w, count), c - from);
  const [page, stats] = tf.tidy(() => {
    const slice = tf.slice(t, [0, 0, 0, from], [1, h, w, n]);
    const { mean, variance } = tf.moments(t, [0, 1, 2]);
    return [
      tf.transpose(slice, [3, 0, 1, 2]),
      tf.stack([tf.min(t, [0, 1, 2]), tf.max(t, [0, 1, 2]), mean, tf.sqrt(variance)]),
    ];
  });
  const [values, s] = await Promise.all([page.data(), stats.data()]);
  tf.dispose([page, stats]);
  const channelStats = Array.from({ length: c }, (_, k) => ({
    min: s[k]!,
    max: s[c + k]!,
    mean: s[2 * c + k]!,
    std: s[3 * c + k]!,
  }));
  return { start: from, count: n, values: values as Float32Array, channelStats };
}
