/** A convolution's kernels as data for small pictures: summed over input channels, and in colour for RGB inputs. */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { KernelImages } from '../core/inspect/types';

/** The most filters drawn (their pictures are small; more would not be looked at one by one). */
export const KERNEL_FILTERS = 256;

export async function kernelImages(
  conv: tfl.layers.Layer,
): Promise<Omit<KernelImages, 'key' | 'version' | 'nodeId'>> {
  const [kernel] = conv.getWeights();
  if (kernel === undefined || kernel.rank !== 4) throw new Error(`${conv.name} has no kernel`);
  const [side, , inputs, all] = kernel.shape as [number, number, number, number];
  const filters = Math.min(all, KERNEL_FILTERS);
  const [summed, rgb] = tf.tidy(() => {
    const kept = tf.slice(kernel, [0, 0, 0, 0], [side, side, inputs, filters]);
    const byFilter = tf.transpose(kept, [3, 0, 1, 2]); // [filters, side, side, inputs]
    return [tf.sum(byFilter, 3), inputs === 3 ? byFilter : undefined];
  });
  const [s, c] = await Promise.all([summed.data(), rgb?.data()]);
  tf.dispose([summed, rgb].filter((t) => t !== undefined));
  return {
    side,
    inputs,
    filters,
    summed: s as Float32Array,
    ...(c !== undefined && { rgb: c as Float32Array }),
  };
}
