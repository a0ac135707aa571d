import { needsImage } from './conv-common';
import type { InferResult, LayerKind, LayerSpec, NodeStats } from './define';
import { err, ok } from './define';
import type { KerasConfig, NodeReading } from './keras';
import { channelsLast, shown, square } from './keras';
import { autoInt, choice, int } from './params';
import type { ConvPadding, Shape } from './shape';
import { convOutputLength, elementCount, isImage } from './shape';

export const poolParams = {
  size: int(2, 1, 15, 'Window height and width.', 'pool size'),
  stride: autoInt(1, 15, 'Step between windows.', 'auto: the pool size, so windows do not overlap.'),
  padding: choice<ConvPadding>(
    [
      { value: 'valid', label: 'valid (drop the border remainder)' },
      { value: 'same', label: 'same (pad so every pixel is covered)' },
    ],
    'valid',
    'valid uses only whole windows; same pads the border so the output is ceil(H / stride).',
  ),
};

export interface PoolSettings {
  readonly size: number;
  readonly stride: number | 'auto';
  readonly padding: ConvPadding;
}

const strideOf = (p: PoolSettings): number => (p.stride === 'auto' ? p.size : p.stride);

export function inferPool(what: string, [x]: readonly Shape[], p: PoolSettings): InferResult {
  const problem = needsImage(what, x);
  if (problem !== null || x === undefined || !isImage(x)) return err(problem ?? '');
  const [h, w, c] = x;
  if (p.padding === 'valid' && (p.size > h || p.size > w))
    return err(
      `a ${p.size}×${p.size} pooling window does not fit the ${h}×${w} input: use a smaller window or same padding.`,
    );
  const s = strideOf(p);
  return ok([convOutputLength(h, p.size, s, 1, p.padding), convOutputLength(w, p.size, s, 1, p.padding), c]);
}

export const poolStats = (output: Shape, p: PoolSettings): NodeStats => ({
  trainable: 0,
  nonTrainable: 0,
  flops: elementCount(output) * p.size * p.size,
});

export const poolLayers = (layer: LayerKind, p: PoolSettings): readonly LayerSpec[] => [
  { layer, config: { poolSize: p.size, strides: strideOf(p), padding: p.padding } },
];

export function poolShort(p: PoolSettings): string {
  const s = strideOf(p);
  return `${p.size}×${p.size}${s === p.size ? '' : ` s${s}`}${p.padding === 'same' ? ' same' : ''}`;
}

/** A saved Keras MaxPooling2D or AveragePooling2D as a pool node of `kind`. */
export function readPool(kind: string, c: KerasConfig): NodeReading[] {
  channelsLast(c);
  const size = square(c, 'pool_size', 'a pool of', 2);
  const strides =
    c['strides'] === null || c['strides'] === undefined ? size : square(c, 'strides', 'a stride of');
  const padding = shown(c['padding'] ?? 'valid');
  return [{ kind, params: { size, stride: strides === size ? 'auto' : strides, padding } }];
}
