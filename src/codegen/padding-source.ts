/**
 * ConvCanvas' padding layer as TypeScript source for generated modules. It is the same algorithm as
 * src/compile/padding-layer.ts (slice, reverse, concat and tile, whose gradients are right, instead
 * of tf.mirrorPad, whose gradient is not); tests/unit/codegen.test.ts checks both give equal outputs
 * and gradients for every mode.
 */
export const paddingLayerSource = `type PadMode = 'reflect' | 'symmetric' | 'circular' | 'replicate';
/** Rows and columns to add: [[top, bottom], [left, right]]. */
type Pads2D = [[number, number], [number, number]];

/** The \`count\` rows (axis 1) or columns (axis 2) that go before (side 0) or after (side 1) the image. */
function border(x: tf.Tensor4D, axis: 1 | 2, count: number, side: 0 | 1, mode: PadMode): tf.Tensor4D {
  const n = x.shape[axis];
  const slice = (start: number, size: number): tf.Tensor4D => {
    const begin = [0, 0, 0, 0];
    const sizes = [-1, -1, -1, -1];
    begin[axis] = start;
    sizes[axis] = size;
    return tf.slice(x, begin, sizes);
  };
  switch (mode) {
    case 'reflect':
      return tf.reverse(slice(side === 0 ? 1 : n - 1 - count, count), axis);
    case 'symmetric':
      return tf.reverse(slice(side === 0 ? 0 : n - count, count), axis);
    case 'circular':
      return slice(side === 0 ? n - count : 0, count);
    case 'replicate': {
      const reps = [1, 1, 1, 1];
      reps[axis] = count;
      return tf.tile(slice(side === 0 ? 0 : n - 1, 1), reps);
    }
  }
}

function padAxis(x: tf.Tensor4D, axis: 1 | 2, before: number, after: number, mode: PadMode): tf.Tensor4D {
  if (before === 0 && after === 0) return x;
  const parts: tf.Tensor4D[] = [];
  if (before > 0) parts.push(border(x, axis, before, 0, mode));
  parts.push(x);
  if (after > 0) parts.push(border(x, axis, after, 1, mode));
  return tf.concat(parts, axis);
}

/** Pads a batch of NHWC images; each amount must fit the mode (reflect: less than the size). */
export function padImages(x: tf.Tensor4D, pads: Pads2D, mode: PadMode): tf.Tensor4D {
  return tf.tidy(() => {
    const [[top, bottom], [left, right]] = pads;
    return padAxis(padAxis(x, 1, top, bottom, mode), 2, left, right, mode);
  });
}

/**
 * Reflect, symmetric, circular or replicate padding as a layer (tf.layers only pads with zeros).
 * Built from slice, reverse and concat rather than tf.mirrorPad, whose gradient is wrong in tfjs 4.
 * Registered, so models saved with it load again with tf.loadLayersModel.
 */
export class Padding2D extends tf.layers.Layer {
  static readonly className = 'Padding2D';
  readonly padding: Pads2D;
  readonly mode: PadMode;

  constructor(args: { padding: Pads2D; mode: PadMode; name?: string }) {
    super(args.name === undefined ? {} : { name: args.name });
    this.padding = args.padding;
    this.mode = args.mode;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const [[top, bottom], [left, right]] = this.padding;
    const grow = (d: number | null | undefined, by: number) => (typeof d === 'number' ? d + by : null);
    return [s[0] ?? null, grow(s[1], top + bottom), grow(s[2], left + right), s[3] ?? null];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    return padImages(x, this.padding, this.mode);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), padding: this.padding.map((p) => [...p]), mode: this.mode };
  }
}
tf.serialization.registerClass(Padding2D);
`;
