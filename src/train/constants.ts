/**
 * Scalars that every training step uses, made once per backend and kept. A scalar made from a
 * number lives on the CPU until a GPU kernel needs it, and then WebGPU uploads it into a GPU
 * buffer created for it alone: tfjs' ops and gradients did that hundreds of times a step.
 */
import * as tf from '@tensorflow/tfjs-core';

/** A bound on the cache: the values a training run uses are a handful (batch sizes, rates). */
const MOST = 64;

const kept = new Map<string, tf.Scalar>();

/**
 * A float32 scalar of `value` on the current backend, shared: never dispose it. Past the cache's
 * bound it is a fresh scalar that the enclosing tidy frees as usual.
 */
export function constant(value: number): tf.Scalar {
  const key = `${tf.getBackend()} ${value}`;
  const cached = kept.get(key);
  if (cached !== undefined && !cached.isDisposed) return cached;
  if (kept.size >= MOST && cached === undefined) return tf.scalar(value);
  const made = tf.keep(tf.scalar(value));
  kept.set(key, made);
  return made;
}
