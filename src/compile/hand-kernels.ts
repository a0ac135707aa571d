/** Puts a node's hand-set kernels into its compiled convolution (their meaning: nodes/hand-kernels.ts). */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { KernelGrid } from '../../nodes/hand-kernels';

/**
 * Overwrites the first output channels of a built conv2d layer: each input channel's slice is the grid
 * divided by the number of input channels, and the channel's bias is zero. Other channels are kept.
 */
export function setHandKernels(layer: tfl.layers.Layer, kernels: readonly KernelGrid[]): void {
  const [kernel, bias] = layer.getWeights();
  if (kernel === undefined || kernel.rank !== 4) throw new Error(`${layer.name} has no convolution kernel`);
  const [side, , inputs, filters] = kernel.shape as [number, number, number, number];
  const values = Float32Array.from(kernel.dataSync());
  kernels.forEach((grid, f) => {
    if (f >= filters || grid.length !== side * side)
      throw new Error(`${layer.name}: kernel ${f} does not fit`);
    for (let tap = 0; tap < side * side; tap++)
      for (let c = 0; c < inputs; c++) values[(tap * inputs + c) * filters + f] = grid[tap]! / inputs;
  });
  const next = [tf.tensor(values, kernel.shape)];
  if (bias !== undefined) {
    const b = Float32Array.from(bias.dataSync());
    b.fill(0, 0, Math.min(kernels.length, filters));
    next.push(tf.tensor(b, bias.shape));
  }
  layer.setWeights(next);
  tf.dispose(next);
}
