/**
 * What the page is sent about activations: every node at a glance (statistics and a small picture,
 * all read back in one transfer) and one node's channels a page at a time.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NodeGlance, ValueStats } from '../core/inspect/types';
import { CHANNEL_PAGE_VALUES, THUMBNAIL_BARS, THUMBNAIL_SIDE } from '../core/inspect/types';

const STATS = 4;

/** [min, max, mean, std] over all of t. */
function statsOf(t: tf.Tensor): tf.Tensor1D {
  const { mean, variance } = tf.moments(t);
  return tf.stack([tf.min(t), tf.max(t), mean, tf.sqrt(variance)]) as tf.Tensor1D;
}

const statsAt = (v: Float32Array, at: number): ValueStats => ({
  min: v[at]!,
  max: v[at + 1]!,
  mean: v[at + 2]!,
  std: v[at + 3]!,
});

/** The channel with the largest spread over the image, and that channel shrunk to at most THUMBNAIL_SIDE. */
function mapThumbnail(t: tf.Tensor4D): { channel: tf.Tensor1D; map: tf.Tensor } {
  const spread = tf.moments(t, [0, 1, 2]).variance;
  const channel = tf.argMax(spread);
  // A one-element index list keeps the channel axis: [1, h, w, 1].
  const map = shrunk(tf.gather(t, tf.reshape(channel, [1]), 3) as tf.Tensor4D);
  return { channel: tf.reshape(tf.cast(channel, 'float32'), [1]) as tf.Tensor1D, map };
}

/** A vector averaged into at most THUMBNAIL_BARS bars (a trailing remainder is left out). */
function barsOf(t: tf.Tensor): tf.Tensor {
  const n = t.size;
  if (n <= THUMBNAIL_BARS) return tf.reshape(t, [n]);
  const per = Math.floor(n / THUMBNAIL_BARS);
  return tf.mean(tf.reshape(tf.slice(tf.reshape(t, [n]), 0, per * THUMBNAIL_BARS), [THUMBNAIL_BARS, per]), 1);
}

/** An image shrunk (area means) to at most THUMBNAIL_SIDE, all its channels. */
function shrunk(t: tf.Tensor4D): tf.Tensor4D {
  const factor = Math.ceil(Math.max(t.shape[1], t.shape[2]) / THUMBNAIL_SIDE);
  return factor > 1 ? tf.avgPool(t, factor, factor, 'valid') : t;
}

/** Every node at a glance, read back from the device in one piece; `imageId`'s thumbnail is the image itself. */
export async function glancesOf(
  ids: readonly string[],
  activations: ReadonlyMap<string, tf.Tensor>,
  imageId?: string,
): Promise<NodeGlance[]> {
  const layout: { shape: number[]; kind: 'map' | 'image' | 'vector'; h: number; w: number; size: number }[] =
    [];
  const packed = tf.tidy(() => {
    const parts: tf.Tensor[] = [];
    for (const id of ids) {
      const t = activations.get(id)!;
      const shape = t.shape.slice(1);
      parts.push(statsOf(t));
      if (id === imageId && t.rank === 4) {
        const image = shrunk(t as tf.Tensor4D);
        parts.push(tf.reshape(image, [-1]));
        layout.push({ shape, kind: 'image', h: image.shape[1], w: image.shape[2], size: image.size });
      } else if (t.rank === 4) {
        const { channel, map } = mapThumbnail(t as tf.Tensor4D);
        parts.push(channel, tf.reshape(map, [-1]));
        layout.push({ shape, kind: 'map', h: map.shape[1]!, w: map.shape[2]!, size: 1 + map.size });
      } else {
        const bars = barsOf(t);
        parts.push(bars);
        layout.push({ shape, kind: 'vector', h: 1, w: bars.size, size: bars.size });
      }
    }
    return tf.concat(parts);
  });
  const values = (await packed.data()) as Float32Array;
  packed.dispose();
  let at = 0;
  return ids.map((nodeId, i) => {
    const l = layout[i]!;
    const stats = statsAt(values, at);
    at += STATS;
    const channels = l.kind === 'image' ? l.size / (l.h * l.w) : 1;
    const glance: NodeGlance =
      l.kind === 'image'
        ? {
            nodeId,
            shape: l.shape,
            stats,
            thumbnail: {
              kind: 'image',
              image: { height: l.h, width: l.w, channels, values: values.slice(at, at + l.size) },
            },
          }
        : l.kind === 'map'
          ? {
              nodeId,
              shape: l.shape,
              stats,
              thumbnail: {
                kind: 'map',
                channel: values[at]!,
                map: { height: l.h, width: l.w, channels: 1, values: values.slice(at + 1, at + l.size) },
              },
            }
          : {
              nodeId,
              shape: l.shape,
              stats,
              thumbnail: { kind: 'vector', values: values.slice(at, at + l.size) },
            };
    at += l.size;
    return glance;
  });
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
