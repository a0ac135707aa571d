import { err, ok } from './define';
import type { InferResult, LayerSpec, NodeStats } from './define';
import type { FusedActivation } from './activations';
import type { KerasConfig } from './keras';
import { channelsLast, shown, square, unsupported } from './keras';
import type { CustomPadMode, Pads2D } from './padding-modes';
import { padsProblem } from './padding-modes';
import { bool, choice } from './params';
import { activationParam } from './activations';
import type { Shape } from './shape';
import { convOutputLength, effectiveKernel, elementCount, formatShape, isImage, samePadding } from './shape';

/** Border handling of a convolution: TensorFlow's same/valid, or same with a non-zero fill. */
export type ConvBorder = 'same' | 'valid' | 'same-reflect' | 'same-symmetric' | 'same-circular';

export const convBorderParam = choice<ConvBorder>(
  [
    { value: 'same', label: 'same (zeros)' },
    { value: 'valid', label: 'valid (no padding)' },
    { value: 'same-reflect', label: 'same (reflect)' },
    { value: 'same-symmetric', label: 'same (symmetric)' },
    { value: 'same-circular', label: 'same (circular)' },
  ],
  'same',
  'same keeps H×W (divided by the stride) by padding the border; valid uses only positions where the whole kernel fits, so the output shrinks.',
  'padding',
);

/** The parameters every convolution kind ends with: border, fused activation, bias, trainable. */
export const convTailParams = {
  padding: convBorderParam,
  activation: activationParam('relu'),
  bias: bool(
    true,
    'Adds one learned number per output channel. Turn off before batch norm, which has its own.',
  ),
  trainable: bool(true, 'When off, the weights stay as they are during training.'),
};

export interface ConvSettings {
  readonly filters: number;
  readonly kernel: number;
  readonly stride: number;
  readonly dilation: number;
  readonly border: ConvBorder;
  readonly activation: FusedActivation;
  readonly bias: boolean;
  readonly trainable: boolean;
}

const fillMode = (border: ConvBorder): CustomPadMode | null =>
  border === 'same' || border === 'valid' ? null : (border.slice('same-'.length) as CustomPadMode);

function explicitPads(x: readonly [number, number, number], s: ConvSettings): Pads2D {
  return [
    samePadding(x[0], s.kernel, s.stride, s.dilation),
    samePadding(x[1], s.kernel, s.stride, s.dilation),
  ];
}

/** What a layer needs to be before a convolution can read it. */
export function needsImage(what: string, x: Shape | undefined): string | null {
  if (x === undefined) return `${what} needs an input: connect a link into it.`;
  if (!isImage(x))
    return `${what} slides over an H×W×C image, but its input is a flat vector of ${formatShape(x)}. Move it before the Flatten or global pool.`;
  return null;
}

export function inferConv(what: string, inputs: readonly Shape[], s: ConvSettings): InferResult {
  const x = inputs[0];
  const problem = needsImage(what, x);
  if (problem !== null || x === undefined || !isImage(x)) return err(problem ?? '');
  const [h, w] = x;
  if (s.stride > 1 && s.dilation > 1)
    return err(
      `tfjs cannot combine stride ${s.stride} with dilation ${s.dilation} in one convolution: set one of them to 1.`,
    );
  const span = effectiveKernel(s.kernel, s.dilation);
  const kernelWords =
    s.dilation > 1
      ? `a ${s.kernel}×${s.kernel} kernel with dilation ${s.dilation} spans ${span}×${span} and`
      : `a ${s.kernel}×${s.kernel} kernel`;
  if (s.border === 'valid' && (span > h || span > w))
    return err(`${kernelWords} does not fit the ${h}×${w} input: add padding or use a smaller kernel.`);
  const mode = fillMode(s.border);
  if (mode !== null) {
    const problem = padsProblem(mode, h, w, explicitPads(x, s));
    if (problem !== null) return err(problem);
  }
  const padding = s.border === 'valid' ? 'valid' : 'same';
  const oh = convOutputLength(h, s.kernel, s.stride, s.dilation, padding);
  const ow = convOutputLength(w, s.kernel, s.stride, s.dilation, padding);
  return ok([oh, ow, s.filters]);
}

export function convStats(inputs: readonly Shape[], output: Shape, s: ConvSettings): NodeStats {
  const cin = inputs[0]?.[2] ?? 0;
  const weights = s.kernel * s.kernel * cin * s.filters + (s.bias ? s.filters : 0);
  const outputs = elementCount(output);
  const macs = outputs * s.kernel * s.kernel * cin;
  const flops = 2 * macs + (s.bias ? outputs : 0) + (s.activation === 'linear' ? 0 : outputs);
  return s.trainable
    ? { trainable: weights, nonTrainable: 0, flops }
    : { trainable: 0, nonTrainable: weights, flops };
}

export function convLayers(inputs: readonly Shape[], s: ConvSettings): readonly LayerSpec[] {
  const x = inputs[0];
  const mode = fillMode(s.border);
  const conv = (padding: 'same' | 'valid'): LayerSpec => ({
    layer: 'conv2d',
    config: {
      filters: s.filters,
      kernelSize: s.kernel,
      strides: s.stride,
      dilationRate: s.dilation,
      padding,
      activation: s.activation,
      useBias: s.bias,
      trainable: s.trainable,
    },
  });
  if (mode === null || x === undefined || !isImage(x)) return [conv(s.border === 'valid' ? 'valid' : 'same')];
  const pads = explicitPads(x, s);
  const anyPad = pads.some(([a, b]) => a > 0 || b > 0);
  if (!anyPad) return [conv('valid')];
  return [{ layer: 'padding2d', suffix: 'pad', config: { padding: pads, mode } }, conv('valid')];
}

/** "3×3 ×64 s2 d2 reflect relu" */
export function convShort(s: ConvSettings, filters: string = String(s.filters)): string {
  const parts = [`${s.kernel}×${s.kernel} ×${filters}`];
  if (s.stride > 1) parts.push(`s${s.stride}`);
  if (s.dilation > 1) parts.push(`d${s.dilation}`);
  if (s.border !== 'same') parts.push(s.border.replace('same-', ''));
  if (s.activation !== 'linear') parts.push(s.activation);
  return parts.join(' ');
}

/** A saved Keras Conv2D's settings; throws `Unsupported` for what no ConvCanvas convolution does. */
export function readConv2D(c: KerasConfig) {
  channelsLast(c);
  const groups = c['groups'];
  if (typeof groups === 'number' && groups !== 1)
    unsupported(`grouped convolutions (groups ${groups}) are not supported`);
  const filters = c['filters'];
  const kernel = square(c, 'kernel_size', 'a kernel of');
  const stride = square(c, 'strides', 'a stride of', 1);
  const dilation = square(c, 'dilation_rate', 'a dilation of', 1);
  const padding = c['padding'] ?? 'valid';
  if (padding !== 'same' && padding !== 'valid')
    unsupported(`padding ${shown(padding)} is not supported (only same and valid)`);
  return {
    filters,
    kernel,
    stride,
    dilation,
    padding,
    bias: c['use_bias'] !== false,
    trainable: c['trainable'] !== false,
  };
}
