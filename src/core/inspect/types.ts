/**
 * Looking inside a network, as plain data: what the page asks the model session for (InspectQuery)
 * and what it answers (InspectReply). Maps travel as Float32Arrays (transferable); only what is shown
 * is sent: every node's small thumbnail first, one node's channels on demand.
 */
import type { GraphDocument } from '../document';
import type { DatasetRequest } from '../training/data';
import type { TrainConfig } from '../training/settings';

export type SplitName = 'train' | 'validation';

/** Decoded pixels of a dropped image file, rows top to bottom, channels interleaved. */
export interface RawPixels {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3 | 4;
  readonly data: Uint8ClampedArray;
}

/** Which image to look at: one of the dataset's (the nth of a class in a split), or a dropped file. */
export type SampleChoice =
  | {
      readonly source: 'dataset';
      readonly split: SplitName;
      readonly classIndex: number;
      readonly nth: number;
    }
  | { readonly source: 'file'; readonly name: string; readonly pixels: RawPixels };

/** A sample as the page remembers it (a dropped file's pixels are not sent back). */
export type SampleRef =
  Exclude<SampleChoice, { readonly source: 'file' }> | { readonly source: 'file'; readonly name: string };

/** Values over an image grid, rows top to bottom, channels interleaved (1 for a map). */
export interface Grid {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly values: Float32Array;
}

export interface ValueStats {
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly std: number;
}

/** A node at a glance: its output's shape and statistics for this image, and a small picture of it. */
export interface NodeGlance {
  readonly nodeId: string;
  readonly shape: readonly number[];
  readonly stats: ValueStats;
  readonly thumbnail:
    | {
        readonly kind: 'map';
        /** The channel with the largest spread over the image (the most to see), shrunk to THUMBNAIL_SIDE. */
        readonly channel: number;
        readonly map: Grid;
      }
    /** The Input node: the image itself, shrunk to THUMBNAIL_SIDE. */
    | { readonly kind: 'image'; readonly image: Grid }
    | {
        readonly kind: 'vector';
        /** The values, averaged into at most THUMBNAIL_BARS bars. */
        readonly values: Float32Array;
      };
}

/** Thumbnails are at most this many pixels a side; vectors at most this many bars. */
export const THUMBNAIL_SIDE = 32;
export const THUMBNAIL_BARS = 64;

/** The image looked at, at the Input's size, and what is known about it. */
export interface SampleInfo {
  readonly choice: SampleRef;
  readonly image: Grid;
  /** The data's name and class names (the model's may differ). */
  readonly dataset: string;
  readonly dataClasses: readonly string[];
  /** The true class, for a dataset image. */
  readonly label?: number;
  /** The object's box [x0, y0, x1, y1] in pixels (exclusive ends), when the dataset knows it. */
  readonly box?: readonly [number, number, number, number];
  /** How many images of this class the split has (to step through them). */
  readonly ofClass?: number;
  /** A few neighbouring images of the same class, shrunk, to pick from: their nth and picture. */
  readonly strip: readonly { readonly nth: number; readonly image: Grid }[];
}

/** Every node's output for one image: the answer to 'look', and again during training when live. */
export interface Overview {
  readonly key: string;
  /** Counts changes of the weights, so late answers about older weights can be told apart. */
  readonly version: number;
  /** 'random': the graph's freshly drawn weights (random weights show random features). */
  readonly weights: 'random' | 'trained';
  /** Sent when the sample changed; live refreshes during training leave it out. */
  readonly sample?: SampleInfo;
  readonly classes: readonly string[];
  readonly probabilities: Float32Array;
  readonly predicted: number;
  /** Live nodes, inputs first. */
  readonly nodes: readonly NodeGlance[];
  /** How long computing every node's output took. */
  readonly milliseconds: number;
}

/** Channels start..start+count of one node's output (all of it for a vector), with every channel's statistics. */
export interface ChannelPage {
  readonly key: string;
  readonly version: number;
  readonly nodeId: string;
  readonly shape: readonly number[];
  readonly start: number;
  /** count × height × width values, channel after channel; for a vector, the vector. */
  readonly values: Float32Array;
  readonly count: number;
  /** Per channel of the whole output (not only this page). */
  readonly channelStats: readonly ValueStats[];
}

/** The most values one page of channels may hold; pages are cut to fit. */
export const CHANNEL_PAGE_VALUES = 1 << 20;

/** Class heatmaps of one spatial node. */
export interface Heatmaps {
  readonly key: string;
  readonly version: number;
  readonly nodeId: string;
  readonly classIndex: number;
  readonly predicted: number;
  /** The class score before softmax. */
  readonly score: number;
  /** The mean over channels of the activations (class-agnostic). */
  readonly mean: Grid;
  /** Grad-CAM: ReLU of the channels weighted by the mean gradient of the class score. */
  readonly gradCam: Grid;
}

/** How much of each heatmap falls inside the object's box, over validation images. */
export interface HeatmapCheck {
  readonly key: string;
  readonly version: number;
  readonly nodeId: string;
  readonly images: number;
  /** Mean over the images of the heatmap's mass inside the box / its total mass (upsampled to the image). */
  readonly meanInside: number;
  readonly gradCamInside: number;
  /** Mean share of the image the boxes cover: what a heatmap spread evenly would score. */
  readonly boxShare: number;
}

/** One input channel's part of one output value. */
export interface ChannelTerm {
  readonly channel: number;
  /** The k×k window of the (padded) input, rows top to bottom. */
  readonly patch: readonly number[];
  readonly kernel: readonly number[];
  /** Σ patch × kernel. */
  readonly partial: number;
}

/** A following node's step, computed by hand and as the model computed it. */
export interface FollowingStep {
  readonly nodeId: string;
  readonly computed: number;
  readonly actual: number;
}

/** The arithmetic of one output value of a convolution. */
export interface ConvExplanation {
  readonly key: string;
  readonly version: number;
  readonly nodeId: string;
  readonly sourceId: string;
  readonly channel: number;
  readonly y: number;
  readonly x: number;
  readonly kernel: number;
  readonly stride: number;
  readonly dilation: number;
  readonly padding: string;
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  /** Which taps of the window fall on the padded border (not on the image). */
  readonly border: readonly boolean[];
  readonly terms: readonly ChannelTerm[];
  readonly sum: number;
  readonly bias: number;
  readonly activation: string;
  /** activation(sum + bias), by hand. */
  readonly computed: number;
  /** The node's output at that place, from the model. */
  readonly actual: number;
  readonly batchNorm?: FollowingStep & {
    readonly gamma: number;
    readonly beta: number;
    readonly mean: number;
    readonly variance: number;
    readonly epsilon: number;
  };
  readonly after?: FollowingStep & { readonly fn: string };
}

/** One output channel of a convolution computed with zero and with reflection padding: the border lesson. */
export interface BorderComparison {
  readonly key: string;
  readonly version: number;
  readonly nodeId: string;
  readonly channel: number;
  /** The node's own border ('same', 'same-reflect', …). */
  readonly own: string;
  readonly zero: Grid;
  readonly reflect: Grid;
}

export type MatrixPadding = 'valid' | 'zero' | 'reflect' | 'symmetric' | 'circular';

/** A tiny convolution written as a matrix: output = M × flattened input. */
export interface ConvMatrix {
  readonly key: string;
  readonly version: number;
  readonly nodeId: string;
  readonly size: number;
  readonly stride: number;
  readonly padding: MatrixPadding;
  /** 3×3, rows top to bottom, and where it came from. */
  readonly kernel: readonly number[];
  readonly kernelFrom: 'node' | 'example';
  /** size × size, rows top to bottom. */
  readonly input: readonly number[];
  readonly outSize: number;
  /** Nonzero cells of M: row (output pixel), column (input pixel), and the kernel taps summed there. */
  readonly cells: readonly { readonly row: number; readonly col: number; readonly taps: readonly number[] }[];
  /** M × input. */
  readonly product: readonly number[];
  /** tf.conv2d of the padded input, to compare. */
  readonly reference: readonly number[];
}

/** A convolution's kernels, for drawing. */
export interface KernelImages {
  readonly key: string;
  readonly version: number;
  readonly nodeId: string;
  readonly side: number;
  readonly inputs: number;
  readonly filters: number;
  /** filters × side × side: each kernel summed over its input channels (what it does to their sum). */
  readonly summed: Float32Array;
  /** filters × side × side × 3 when the input has 3 channels (colour kernels of a first layer). */
  readonly rgb?: Float32Array;
}

export type InspectQuery =
  /** Hold the graph (untrained when no weights are held for it) and look at one image. */
  | {
      readonly kind: 'look';
      readonly graph: GraphDocument;
      readonly dataset: DatasetRequest;
      readonly config: TrainConfig;
      readonly sample: SampleChoice;
    }
  /**
   * Refresh the thumbnails during training (throttled to a small share of its time), and with them
   * one node's channels (`focus`), as 'channels' would send them.
   */
  | {
      readonly kind: 'live';
      readonly on: boolean;
      readonly focus?: { readonly nodeId: string; readonly start: number; readonly count: number };
    }
  | { readonly kind: 'channels'; readonly nodeId: string; readonly start: number; readonly count: number }
  /** Without a node: the last spatial one before global pooling; without a class: the predicted one. */
  | { readonly kind: 'heatmaps'; readonly nodeId?: string; readonly classIndex?: number }
  | { readonly kind: 'heatmap-check'; readonly nodeId?: string; readonly images: number }
  | {
      readonly kind: 'explain';
      readonly nodeId: string;
      readonly channel: number;
      readonly y: number;
      readonly x: number;
    }
  | {
      readonly kind: 'matrix';
      readonly nodeId: string;
      readonly size: number;
      readonly stride: number;
      readonly padding: MatrixPadding;
    }
  | { readonly kind: 'kernels'; readonly nodeId: string }
  | { readonly kind: 'borders'; readonly nodeId: string; readonly channel: number };

export type InspectReply =
  | ({ readonly kind: 'overview' } & Overview)
  | ({ readonly kind: 'channels' } & ChannelPage)
  | ({ readonly kind: 'heatmaps' } & Heatmaps)
  | ({ readonly kind: 'heatmap-check' } & HeatmapCheck)
  | ({ readonly kind: 'explanation' } & ConvExplanation)
  | ({ readonly kind: 'matrix' } & ConvMatrix)
  | ({ readonly kind: 'kernels' } & KernelImages)
  | ({ readonly kind: 'borders' } & BorderComparison)
  /** A question that cannot be answered now, and why. */
  | { readonly kind: 'refused'; readonly about: InspectQuery['kind']; readonly message: string };

/** The buffers of a reply that can be transferred rather than copied. */
export function transferablesOf(reply: InspectReply): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  const add = (a: Float32Array | undefined) => {
    if (a !== undefined) out.push(a.buffer as ArrayBuffer);
  };
  switch (reply.kind) {
    case 'overview':
      add(reply.probabilities);
      for (const { thumbnail: t } of reply.nodes)
        add(t.kind === 'map' ? t.map.values : t.kind === 'image' ? t.image.values : t.values);
      if (reply.sample !== undefined) {
        add(reply.sample.image.values);
        for (const s of reply.sample.strip) add(s.image.values);
      }
      break;
    case 'channels':
      add(reply.values);
      break;
    case 'heatmaps':
      add(reply.mean.values);
      add(reply.gradCam.values);
      break;
    case 'kernels':
      add(reply.summed);
      add(reply.rgb);
      break;
    case 'borders':
      add(reply.zero.values);
      add(reply.reflect.values);
      break;
    default:
      break;
  }
  return [...new Set(out)];
}
