/**
 * tfjs' gradients of Sum, Mean, Square and ClipByValue, computing the same values without making a
 * tensor on the CPU per call: tfjs multiplies by ones(x.shape) (a full-size array filled on the CPU
 * and, on WebGPU, uploaded into a new buffer every step: a whole activation's worth for a global
 * average pool) and wraps each number in a new scalar. Here dy is broadcast on the backend (Tile on
 * WebGPU, an add onto zeros elsewhere) and the numbers are shared constants.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig, NamedAttrMap } from '@tensorflow/tfjs-core';
import { constant } from '../constants';

/** dy with the reduced axes put back (size 1), broadcast to x's shape. */
function spread(dy: tf.Tensor, x: tf.Tensor, attrs: NamedAttrMap): tf.Tensor {
  const axes = tf.util.parseAxisParam(attrs['axis'] as number | number[], x.shape);
  const expanded = x.shape.slice();
  for (const a of axes) expanded[a] = 1;
  const small = tf.reshape(dy, expanded);
  // Tile is one dispatch on WebGPU, but on wasm and cpu an element-by-element index loop: for a
  // global average pool's gradient (32×8×8×64) 6.5 ms on wasm, where adding onto zeros takes 0.24.
  return tf.getBackend() === 'webgpu'
    ? tf.broadcastTo(small, x.shape)
    : tf.add(tf.cast(tf.zerosLike(x), dy.dtype), small);
}

export const sumGradient: GradConfig = {
  kernelName: 'Sum',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved as [tf.Tensor];
    return { x: () => spread(dy as tf.Tensor, x, attrs) };
  },
};

export const meanGradient: GradConfig = {
  kernelName: 'Mean',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved as [tf.Tensor];
    const axes = tf.util.parseAxisParam(attrs['axis'] as number | number[], x.shape);
    const count = axes.reduce((n, a) => n * x.shape[a]!, 1);
    return { x: () => tf.div(spread(dy as tf.Tensor, x, attrs), constant(count)) };
  },
};

export const squareGradient: GradConfig = {
  kernelName: 'Square',
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => {
    const [x] = saved as [tf.Tensor];
    return { x: () => tf.mul(dy as tf.Tensor, tf.mul(tf.cast(x, 'float32'), constant(2))) };
  },
};

export const clipByValueGradient: GradConfig = {
  kernelName: 'ClipByValue',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved as [tf.Tensor];
    const inside = tf.logicalAnd(
      tf.greaterEqual(x, constant(attrs['clipValueMin'] as number)),
      tf.lessEqual(x, constant(attrs['clipValueMax'] as number)),
    );
    return { x: () => tf.where(inside, dy as tf.Tensor, tf.zerosLike(dy as tf.Tensor)) };
  },
};
