/**
 * Looking inside the session's model: one sample image at a time, every node's output computed in one
 * forward pass and kept until the weights or the sample change, answered piece by piece (thumbnails,
 * a node's channels, heatmaps, the arithmetic of one convolution, kernels, a convolution as a matrix).
 * During training the thumbnails refresh when there is time: never more than LIVE_SHARE of it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { massInside, upsample } from '../core/inspect/heatmap-math';
import { shortHash } from '../core/structure';
import type {
  Grid,
  InspectQuery,
  InspectReply,
  Overview,
  SampleChoice,
  SampleInfo,
  SampleRef,
} from '../core/inspect/types';
import type { ImageDataset, Split } from '../data/dataset';
import { channelsOf, glancesOf } from '../inspect/activations';
import { convLayersOf, explainConv } from '../inspect/conv-explain';
import { MATRIX_KERNEL, convMatrixLayout, multiply, referenceConv } from '../inspect/conv-matrix';
import { pixelsProblem, shrink } from '../inspect/fit-sample';
import { fitImage } from '../data/resize';
import { imageFloats } from '../data/dataset';
import { inputSizeOf } from '../core/training/data';
import { activationsOf, liveNodes } from '../inspect/forward';
import { heatmapsOf, lastSpatialNode } from '../inspect/gradcam';
import { kernelImages } from '../inspect/kernels';
import { bordersOf } from '../inspect/borders';
import { KERNEL_PRESETS } from '../../nodes/hand-kernels';
import type { PreparedModel } from './prepare';

/** Live thumbnails take at most this share of training time... */
export const LIVE_SHARE = 0.03;
/** ...and refresh at most this often (milliseconds). */
export const LIVE_INTERVAL = 1000;
/** Images in the strip to pick from, and their largest side. */
const STRIP = 8;
const STRIP_SIDE = 48;

/** The model to look at, and whether its weights are the freshly drawn ones. */
export interface InspectTarget {
  readonly prepared: PreparedModel;
  readonly random: boolean;
}

interface Sample {
  readonly id: string;
  readonly ref: SampleRef;
  readonly image: Grid;
  readonly info: Omit<SampleInfo, 'image' | 'choice' | 'strip' | 'dataset' | 'dataClasses'>;
  readonly strip: SampleInfo['strip'];
}

interface Computed {
  readonly version: number;
  readonly sampleId: string;
  readonly prepared: PreparedModel;
  readonly activations: Map<string, tf.Tensor>;
  readonly overview: Omit<Overview, 'sample'>;
}

const text = (e: unknown) => (e instanceof Error ? e.message : String(e));

const splitOf = (data: ImageDataset, name: 'train' | 'validation'): Split =>
  name === 'train' ? data.train : data.validation;

/** The class names of the model's output: the data's when the counts agree, else numbers. */
function classNames(prepared: PreparedModel): string[] {
  const out = prepared.compiled.analysis.nodes.get(prepared.compiled.analysis.outputId ?? '');
  const count = out?.status === 'ok' ? (out.shape[0] ?? 0) : 0;
  const names = prepared.data?.classes ?? [];
  return names.length === count ? [...names] : Array.from({ length: count }, (_, i) => `class ${i}`);
}

function imageOf(split: Split, data: ImageDataset, index: number): Grid {
  const per = data.height * data.width * data.channels;
  return {
    height: data.height,
    width: data.width,
    channels: data.channels,
    values: imageFloats(split, index, per),
  };
}

/** Replies name the model they are about by a short hash of its key (see inspectKey). */
const keyOf = (prepared: PreparedModel): string => shortHash(prepared.key);

const copyGrid = (g: Grid): Grid => ({ ...g, values: g.values.slice() });

/** A tensor's values, disposing it. */
async function take(t: tf.Tensor): Promise<Float32Array> {
  const values = (await t.data()) as Float32Array;
  t.dispose();
  return values;
}

export class Inspection {
  private version = 0;
  private sample: Sample | undefined;
  /** The sample whose picture the page has (live refreshes leave it out). */
  private sentSample: string | undefined;
  private computed: Computed | undefined;
  private live = false;
  private focus: Extract<InspectQuery, { kind: 'live' }>['focus'];
  private nextLive = 0;
  private readonly byClass = new WeakMap<Split, Map<number, number[]>>();

  constructor(
    private readonly send: (reply: InspectReply) => void,
    private readonly target: () => InspectTarget | undefined,
  ) {}

  /** The weights changed (a batch, a restore, another model): what was computed is out of date. */
  weightsChanged(): void {
    this.version++;
    this.drop();
  }

  private drop(): void {
    if (this.computed !== undefined) tf.dispose([...this.computed.activations.values()]);
    this.computed = undefined;
  }

  private refuse(about: InspectQuery['kind'], message: string): void {
    this.send({ kind: 'refused', about, message });
  }

  /** Answers a query about the held model (after 'look' has chosen a sample). */
  async answer(query: InspectQuery): Promise<void> {
    if (query.kind === 'live') {
      this.live = query.on;
      this.focus = query.focus;
      this.nextLive = 0;
      return;
    }
    const target = this.target();
    if (target === undefined) return this.refuse(query.kind, 'There is no model to look inside yet.');
    try {
      if (query.kind === 'look') {
        const problem = this.choose(query.sample, target.prepared);
        if (problem !== null) return this.refuse('look', problem);
        return await this.postOverview(true);
      }
      if (this.sample === undefined) return this.refuse(query.kind, 'Choose an image to look at first.');
      const computed = await this.compute();
      const stamp = { key: keyOf(computed.prepared), version: computed.version };
      switch (query.kind) {
        case 'channels': {
          const t = computed.activations.get(query.nodeId);
          if (t === undefined) return this.refuse(query.kind, `"${query.nodeId}" is not part of the model.`);
          const page = await channelsOf(t, query.start, query.count);
          return this.send({
            kind: 'channels',
            ...stamp,
            nodeId: query.nodeId,
            shape: t.shape.slice(1),
            ...page,
          });
        }
        case 'heatmaps':
          return await this.heatmaps(computed, query.nodeId, query.classIndex);
        case 'heatmap-check':
          return await this.heatmapCheck(computed.prepared, query.nodeId, query.images);
        case 'explain': {
          const explained = await explainConv(
            computed.prepared.compiled,
            computed.activations,
            query.nodeId,
            query.channel,
            query.y,
            query.x,
          );
          return this.send({ kind: 'explanation', ...stamp, ...explained });
        }
        case 'kernels': {
          const layers = convLayersOf(computed.prepared.compiled, query.nodeId);
          if (layers === undefined) return this.refuse(query.kind, `"${query.nodeId}" is not a convolution.`);
          return this.send({
            kind: 'kernels',
            ...stamp,
            nodeId: query.nodeId,
            ...(await kernelImages(layers.conv)),
          });
        }
        case 'matrix':
          return await this.matrix(computed, query);
        case 'borders': {
          const maps = bordersOf(
            computed.prepared.compiled,
            computed.activations,
            query.nodeId,
            query.channel,
          );
          if (maps === undefined)
            return this.refuse(query.kind, `"${query.nodeId}" is not a convolution with a padded border.`);
          const [h, w] = maps.zero.shape;
          const [zero, reflect] = await Promise.all([take(maps.zero), take(maps.reflect)]);
          const grid = (values: Float32Array) => ({ height: h, width: w, channels: 1, values });
          return this.send({
            kind: 'borders',
            ...stamp,
            nodeId: query.nodeId,
            channel: query.channel,
            own: maps.own,
            zero: grid(zero),
            reflect: grid(reflect),
          });
        }
      }
    } catch (e) {
      this.refuse(query.kind, `It could not be computed: ${text(e)}`);
    }
  }

  /** Between training batches: refreshes the thumbnails when live and there has been enough training since. */
  async afterBatch(): Promise<void> {
    if (!this.live || this.sample === undefined || this.target() === undefined) return;
    const now = performance.now();
    if (now < this.nextLive) return;
    try {
      await this.postOverview(false);
      await this.postFocus();
    } catch {
      this.live = false; // Training matters more: stop refreshing rather than stop it.
    }
    const cost = performance.now() - now;
    this.nextLive = performance.now() + Math.max(LIVE_INTERVAL, cost / LIVE_SHARE);
  }

  /** After a run: the last weights' thumbnails, when live. */
  async afterRun(): Promise<void> {
    if (this.live && this.sample !== undefined && this.target() !== undefined)
      await this.postOverview(false)
        .then(() => this.postFocus())
        .catch(() => undefined);
  }

  /** The focused node's channels, from what postOverview has just computed. */
  private async postFocus(): Promise<void> {
    const focus = this.focus;
    const computed = this.computed;
    const t = focus && computed?.activations.get(focus.nodeId);
    if (focus === undefined || computed === undefined || t === undefined) return;
    const page = await channelsOf(t, focus.start, focus.count);
    this.send({
      kind: 'channels',
      key: keyOf(computed.prepared),
      version: computed.version,
      nodeId: focus.nodeId,
      shape: t.shape.slice(1),
      ...page,
    });
  }

  /** Picks the sample (from the data or a file) at the model's input size; a message when it cannot be. */
  private choose(choice: SampleChoice, prepared: PreparedModel): string | null {
    const { data } = prepared;
    if (choice.source === 'file') {
      const size = inputSizeOf(prepared.graph);
      const problem =
        size === undefined || (size.channels !== 1 && size.channels !== 3)
          ? 'the Input takes neither grey nor colour images'
          : pixelsProblem(choice.pixels);
      if (problem !== null || size === undefined) return `${choice.name} cannot be used: ${problem}.`;
      // Made the Input's size exactly as image files for training are (src/data/resize.ts).
      const shape = { height: size.height, width: size.width, channels: size.channels as 1 | 3 };
      const bytes = fitImage(choice.pixels, shape, 'centre-crop');
      const image: Grid = { ...shape, values: Float32Array.from(bytes, (b) => b / 255) };
      const id = `file:${choice.name}:${this.version}:${performance.now()}`;
      this.sample = { id, ref: { source: 'file', name: choice.name }, image, info: {}, strip: [] };
      this.drop();
      return null;
    }
    if (data === undefined)
      return 'The data does not fit this graph, so there are no images of it to look at: open an image file instead.';
    const split = splitOf(data, choice.split);
    const classes = data.classes.length;
    if (!Number.isInteger(choice.classIndex) || choice.classIndex < 0 || choice.classIndex >= classes)
      return `There is no class ${choice.classIndex} in ${data.name}.`;
    const indices = this.indicesOf(split, choice.classIndex);
    if (indices.length === 0) return `The ${choice.split} images have no ${data.classes[choice.classIndex]}.`;
    const nth = Math.max(0, Math.min(indices.length - 1, Math.floor(choice.nth)));
    const index = indices[nth]!;
    const ref: SampleRef = { ...choice, nth };
    const id = `${data.name}:${choice.split}:${index}:${split.count}`;
    if (this.sample?.id === id) return null;
    const first = Math.floor(nth / STRIP) * STRIP;
    const strip = indices
      .slice(first, first + STRIP)
      .map((at, i) => ({ nth: first + i, image: shrink(imageOf(split, data, at), STRIP_SIDE) }));
    const box = split.boxes?.subarray(index * 4, index * 4 + 4);
    this.sample = {
      id,
      ref,
      image: imageOf(split, data, index),
      info: {
        label: split.labels[index]!,
        ofClass: indices.length,
        ...(box !== undefined && { box: [box[0]!, box[1]!, box[2]!, box[3]!] as const }),
      },
      strip,
    };
    this.drop();
    return null;
  }

  private indicesOf(split: Split, classIndex: number): number[] {
    let classes = this.byClass.get(split);
    if (classes === undefined) {
      classes = new Map();
      for (let i = 0; i < split.count; i++) {
        const label = split.labels[i]!;
        classes.set(label, [...(classes.get(label) ?? []), i]);
      }
      this.byClass.set(split, classes);
    }
    return classes.get(classIndex) ?? [];
  }

  /** Every node's output for the sample with the current weights (computed once, then kept). */
  private async compute(): Promise<Computed> {
    const target = this.target();
    const sample = this.sample;
    if (target === undefined || sample === undefined) throw new Error('nothing to look at');
    const c = this.computed;
    if (
      c !== undefined &&
      c.version === this.version &&
      c.sampleId === sample.id &&
      c.prepared === target.prepared
    )
      return c;
    this.drop();
    const { prepared } = target;
    const { compiled } = prepared;
    const started = performance.now();
    const input = tf.tensor4d(sample.image.values, [
      1,
      sample.image.height,
      sample.image.width,
      sample.image.channels,
    ]);
    const activations = activationsOf(compiled, input);
    input.dispose();
    const ids = liveNodes(compiled);
    const nodes = await glancesOf(ids, activations, compiled.analysis.inputId);
    const milliseconds = performance.now() - started;
    const probabilities = (await activations.get(compiled.analysis.outputId!)!.data()) as Float32Array;
    let predicted = 0;
    probabilities.forEach((p, i) => {
      if (p > probabilities[predicted]!) predicted = i;
    });
    this.computed = {
      version: this.version,
      sampleId: sample.id,
      prepared,
      activations,
      overview: {
        key: keyOf(prepared),
        version: this.version,
        weights: target.random ? 'random' : 'trained',
        classes: classNames(prepared),
        probabilities,
        predicted,
        nodes,
        milliseconds,
      },
    };
    return this.computed;
  }

  private async postOverview(withSample: boolean): Promise<void> {
    const computed = await this.compute();
    const { overview } = computed;
    const sample = this.sample!;
    const include = withSample || this.sentSample !== sample.id;
    this.sentSample = sample.id;
    // Copies: the arrays are transferred to the page, and the kept ones must stay usable.
    this.send({
      kind: 'overview',
      ...overview,
      probabilities: overview.probabilities.slice(),
      nodes: overview.nodes.map((n) => ({
        ...n,
        thumbnail:
          n.thumbnail.kind === 'map'
            ? { ...n.thumbnail, map: copyGrid(n.thumbnail.map) }
            : n.thumbnail.kind === 'image'
              ? { ...n.thumbnail, image: copyGrid(n.thumbnail.image) }
              : { ...n.thumbnail, values: n.thumbnail.values.slice() },
      })),
      ...(include && {
        sample: {
          choice: sample.ref,
          image: copyGrid(sample.image),
          dataset: computed.prepared.data?.name ?? '',
          dataClasses: computed.prepared.data?.classes ?? [],
          ...sample.info,
          strip: sample.strip.map((s) => ({ nth: s.nth, image: copyGrid(s.image) })),
        },
      }),
    });
  }

  private spatialNode(prepared: PreparedModel, asked: string | undefined): string | undefined {
    const { compiled } = prepared;
    if (asked === undefined) return lastSpatialNode(compiled);
    const r = compiled.analysis.nodes.get(asked);
    return compiled.nodes.has(asked) && r?.status === 'ok' && r.shape.length === 3 ? asked : undefined;
  }

  private async heatmaps(computed: Computed, asked?: string, classIndex?: number): Promise<void> {
    const nodeId = this.spatialNode(computed.prepared, asked);
    if (nodeId === undefined)
      return this.refuse('heatmaps', 'Heatmaps need a node whose output is an H×W×C map.');
    const { predicted, classes } = computed.overview;
    const cls =
      classIndex !== undefined && classIndex >= 0 && classIndex < classes.length ? classIndex : predicted;
    const maps = heatmapsOf(computed.prepared.compiled, computed.activations, nodeId, cls);
    const [mean, gradCam, score] = await Promise.all([
      maps.mean.data(),
      maps.gradCam.data(),
      maps.score.data(),
    ]);
    const [h, w] = maps.mean.shape;
    tf.dispose([maps.mean, maps.gradCam, maps.score]);
    this.send({
      kind: 'heatmaps',
      key: keyOf(computed.prepared),
      version: computed.version,
      nodeId,
      classIndex: cls,
      predicted,
      score: score[0]!,
      mean: { height: h, width: w, channels: 1, values: mean as Float32Array },
      gradCam: { height: h, width: w, channels: 1, values: gradCam as Float32Array },
    });
  }

  /**
   * Over the first `images` validation images that have a box: the share of each heatmap (for the
   * predicted class) inside the object's box, upsampled to the image, against the box's share.
   */
  private async heatmapCheck(
    prepared: PreparedModel,
    asked: string | undefined,
    images: number,
  ): Promise<void> {
    const nodeId = this.spatialNode(prepared, asked);
    const { compiled, data } = prepared;
    const validation = data?.validation;
    if (nodeId === undefined || data === undefined || validation?.boxes === undefined)
      return this.refuse(
        'heatmap-check',
        'This needs a spatial node and images whose object boxes are known.',
      );
    const count = Math.max(1, Math.min(images, validation.count, 200));
    let meanInside = 0;
    let camInside = 0;
    let share = 0;
    for (let i = 0; i < count; i++) {
      const image = imageOf(validation, data, i);
      const input = tf.tensor4d(image.values, [1, data.height, data.width, data.channels]);
      const acts = activationsOf(compiled, input);
      input.dispose();
      try {
        const p = (await acts.get(compiled.analysis.outputId!)!.data()) as Float32Array;
        const predicted = p.indexOf(Math.max(...p));
        const maps = heatmapsOf(compiled, acts, nodeId, predicted);
        const [mean, cam] = await Promise.all([maps.mean.data(), maps.gradCam.data()]);
        const [h, w] = maps.mean.shape;
        tf.dispose([maps.mean, maps.gradCam, maps.score]);
        const b = validation.boxes.subarray(i * 4, i * 4 + 4);
        const box = [b[0]!, b[1]!, b[2]!, b[3]!] as const;
        const up = (values: ArrayLike<number>) =>
          upsample(
            { height: h, width: w, channels: 1, values: Float32Array.from(values) },
            data.height,
            data.width,
          );
        meanInside += massInside(up(mean), data.width, box);
        camInside += massInside(up(cam), data.width, box);
        share += ((box[2] - box[0]) * (box[3] - box[1])) / (data.height * data.width);
      } finally {
        tf.dispose([...acts.values()]);
      }
    }
    this.send({
      kind: 'heatmap-check',
      key: keyOf(prepared),
      version: this.version,
      nodeId,
      images: count,
      meanInside: meanInside / count,
      gradCamInside: camInside / count,
      boxShare: share / count,
    });
  }

  private async matrix(computed: Computed, query: Extract<InspectQuery, { kind: 'matrix' }>): Promise<void> {
    const { compiled } = computed.prepared;
    const layers = convLayersOf(compiled, query.nodeId);
    if (layers === undefined) return this.refuse('matrix', `"${query.nodeId}" is not a convolution.`);
    const size = Math.max(MATRIX_KERNEL, Math.min(8, Math.floor(query.size)));
    const stride = Math.max(1, Math.min(3, Math.floor(query.stride)));
    const [kernelTensor] = layers.conv.getWeights();
    const k = kernelTensor!.shape[0]!;
    // The node's own first kernel (summed over its input channels) when it is 3×3, else an example.
    const kernel =
      k === MATRIX_KERNEL
        ? Array.from(
            await take(tf.tidy(() => tf.sum(tf.slice(kernelTensor!, [0, 0, 0, 0], [3, 3, -1, 1]), [2, 3]))),
          )
        : [...KERNEL_PRESETS[0]!.grid];
    // Its input: the middle size×size of the node's input, the channel that varies most there (or of
    // the image, when the node's input is smaller or flat there).
    const sourceId = compiled.analysis.index.incoming.get(query.nodeId)?.[0]?.source;
    const inputId = compiled.analysis.inputId!;
    const middle = (t: tf.Tensor | undefined) =>
      t === undefined || t.rank !== 4 || t.shape[1]! < size || t.shape[2]! < size
        ? undefined
        : tf.tidy(() => {
            const [, h, w] = t.shape as number[];
            const crop = tf.slice(
              t,
              [0, Math.floor((h! - size) / 2), Math.floor((w! - size) / 2), 0],
              [1, size, size, -1],
            );
            const spread = tf.moments(crop, [0, 1, 2]).variance;
            return tf.concat([
              tf.stack([tf.max(spread), tf.cast(tf.argMax(spread), 'float32')]),
              tf.reshape(crop, [-1]),
            ]);
          });
    let input: number[] | undefined;
    for (const id of [sourceId, inputId]) {
      const packed = middle(id === undefined ? undefined : computed.activations.get(id));
      if (packed === undefined) continue;
      const values = await take(packed);
      const channels = (values.length - 2) / (size * size);
      if (values[0]! > 0 || id === inputId)
        input = Array.from({ length: size * size }, (_, i) => values[2 + i * channels + values[1]!]!);
      if (input !== undefined) break;
    }
    input ??= Array.from({ length: size * size }, (_, i) => (i % (size + 1)) / size);
    const layout = convMatrixLayout(size, stride, query.padding);
    this.send({
      kind: 'matrix',
      key: keyOf(computed.prepared),
      version: computed.version,
      nodeId: query.nodeId,
      size,
      stride,
      padding: query.padding,
      kernel,
      kernelFrom: k === MATRIX_KERNEL ? 'node' : 'example',
      input,
      outSize: layout.outSize,
      cells: layout.cells,
      product: multiply(layout, kernel, input),
      reference: referenceConv(size, stride, query.padding, kernel, input),
    });
  }

  dispose(): void {
    this.drop();
  }
}
