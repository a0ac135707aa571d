/**
 * Does a GPU backend compute what the CPU computes? Runs the same model with the same weights on a
 * few images on the current backend and on tfjs' plain CPU backend and reports the largest
 * difference in the predicted probabilities. Drivers that compute in half precision or have bugs
 * show up here before anyone trusts their training.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { compileGraph } from '../compile/compile';
import type { GraphDocument } from '../core/document';
import type { ImageDataset } from '../data/dataset';
import { batchOf } from './trainer';

import type { CpuCheck } from '../core/training/cpu-check';

async function predictions(model: tfl.LayersModel, data: ImageDataset, count: number): Promise<Float32Array> {
  const indices = Array.from({ length: count }, (_, i) => i);
  const { x, y } = batchOf(data.validation, data, indices);
  const p = model.predict(x) as tf.Tensor;
  const values = (await p.data()) as Float32Array;
  tf.dispose([x, y, p]);
  return values;
}

/**
 * `doc` must be the graph `model` was compiled from (bound to `data`). The CPU copy is compiled from
 * the graph again, given `model`'s weights, and disposed before returning to the current backend.
 */
export async function checkAgainstCpu(
  model: tfl.LayersModel,
  doc: GraphDocument,
  data: ImageDataset,
  images = 4,
): Promise<CpuCheck> {
  const count = Math.min(images, data.validation.count);
  const here = tf.getBackend();
  const ours = await predictions(model, data, count);
  const weights = await Promise.all(
    model.getWeights().map(async (w) => ({ shape: w.shape, values: (await w.data()) as Float32Array })),
  );
  await tf.setBackend('cpu');
  try {
    const copy = compileGraph(doc);
    if (!copy.ok) throw new Error('the graph did not compile on the CPU backend');
    const tensors = weights.map((w) => tf.tensor(w.values, w.shape));
    copy.compiled.model.setWeights(tensors);
    tf.dispose(tensors);
    const reference = await predictions(copy.compiled.model, data, count);
    copy.compiled.model.dispose();
    let maxDifference = 0;
    for (let i = 0; i < reference.length; i++)
      maxDifference = Math.max(maxDifference, Math.abs(reference[i]! - ours[i]!));
    return { images: count, maxDifference };
  } finally {
    await tf.setBackend(here);
  }
}
