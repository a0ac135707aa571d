/**
 * Reflect, symmetric, circular and replicate padding as a serializable tfjs layer.
 *
 * Built from slice, reverse, concat and tile, whose gradients are right; tf.mirrorPad's gradient
 * treats the border as zeros and would silently corrupt training.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { CustomPadMode, Pads2D } from '../../nodes/padding-modes';

type Axis = 1 | 2;

function sliceAxis(x: tfc.Tensor4D, axis: Axis, start: number, size: number): tfc.Tensor4D {
  const begin = [0, 0, 0, 0];
  const sizes = [-1, -1, -1, -1];
  begin[axis] = start;
  sizes[axis] = size;
  return tfc.slice(x, begin, sizes);
}

function repeatAxis(x: tfc.Tensor4D, axis: Axis, times: number): tfc.Tensor4D {
  const reps = [1, 1, 1, 1];
  reps[axis] = times;
  return tfc.tile(x, reps);
}

/** The `count` rows (or columns) that go before (`side` = 0) or after (`side` = 1) the image. */
function border(x: tfc.Tensor4D, axis: Axis, count: number, side: 0 | 1, mode: CustomPadMode): tfc.Tensor4D {
  const n = x.shape[axis];
  switch (mode) {
    case 'reflect':
      return tfc.reverse(sliceAxis(x, axis, side === 0 ? 1 : n - 1 - count, count), axis);
    case 'symmetric':
      return tfc.reverse(sliceAxis(x, axis, side === 0 ? 0 : n - count, count), axis);
    case 'circular':
      return sliceAxis(x, axis, side === 0 ? n - count : 0, count);
    case 'replicate':
      return repeatAxis(sliceAxis(x, axis, side === 0 ? 0 : n - 1, 1), axis, count);
  }
}

function padAxis(
  x: tfc.Tensor4D,
  axis: Axis,
  before: number,
  after: number,
  mode: CustomPadMode,
): tfc.Tensor4D {
  if (before === 0 && after === 0) return x;
  const parts: tfc.Tensor4D[] = [];
  if (before > 0) parts.push(border(x, axis, before, 0, mode));
  parts.push(x);
  if (after > 0) parts.push(border(x, axis, after, 1, mode));
  return tfc.concat4d(parts, axis);
}

/** Pads a batch of NHWC images; callers check the amounts fit (see nodes/padding-modes). */
export function padImages(x: tfc.Tensor4D, pads: Pads2D, mode: CustomPadMode): tfc.Tensor4D {
  return tfc.tidy(() => {
    const [[top, bottom], [left, right]] = pads;
    return padAxis(padAxis(x, 1, top, bottom, mode), 2, left, right, mode);
  });
}

export interface Padding2DArgs {
  padding: Pads2D;
  mode: CustomPadMode;
  name?: string;
}

export class Padding2D extends tfl.layers.Layer {
  static readonly className = 'Padding2D';
  readonly padding: Pads2D;
  readonly mode: CustomPadMode;

  constructor(args: Padding2DArgs) {
    super(args.name === undefined ? {} : { name: args.name });
    this.padding = args.padding;
    this.mode = args.mode;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const [[top, bottom], [left, right]] = this.padding;
    const grow = (d: number | null, by: number): number | null => (d === null ? null : d + by);
    return [s[0] ?? null, grow(s[1] ?? null, top + bottom), grow(s[2] ?? null, left + right), s[3] ?? null];
  }

  override call(inputs: tfc.Tensor | tfc.Tensor[]): tfc.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    return padImages(x as tfc.Tensor4D, this.padding, this.mode);
  }

  override getConfig(): tfc.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      padding: this.padding.map((p) => [...p]),
      mode: this.mode,
    };
  }
}
tfc.serialization.registerClass(Padding2D);
