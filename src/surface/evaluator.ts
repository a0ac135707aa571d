/**
 * Loss and accuracy of a model on a fixed subset of the validation images, in inference mode. The
 * images go to the backend once and stay there, so evaluating again (for every point of a slice)
 * costs only the forward passes.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { ImageDataset } from '../data/dataset';
import { batchOf, exampleLosses } from '../train/trainer';

export interface Evaluation {
  readonly loss: number;
  readonly accuracy: number;
}

const BATCH = 256;

export class SubsetEvaluator {
  private readonly batches: { x: tf.Tensor4D; labels: tf.Tensor1D }[] = [];
  /** How many images each evaluation measures. */
  readonly count: number;

  /** The first `samples` validation images (all of them when there are fewer). */
  constructor(data: ImageDataset, samples: number) {
    this.count = Math.min(samples, data.validation.count);
    for (let start = 0; start < this.count; start += BATCH) {
      const indices = Array.from({ length: Math.min(BATCH, this.count - start) }, (_, i) => start + i);
      const { x, y } = batchOf(data.validation, data, indices);
      const labels = tf.cast(y, 'int32') as tf.Tensor1D;
      y.dispose();
      this.batches.push({ x, labels });
    }
  }

  /** Mean cross-entropy and accuracy of `model` as its weights are now (one read-back). */
  async evaluate(model: tfl.LayersModel): Promise<Evaluation> {
    const totals = tf.tidy(() => {
      let loss: tf.Tensor = tf.scalar(0);
      let correct: tf.Tensor = tf.scalar(0);
      for (const { x, labels } of this.batches) {
        const p = model.apply(x, { training: false }) as tf.Tensor2D;
        loss = tf.add(loss, tf.sum(exampleLosses(p, labels)));
        correct = tf.add(correct, tf.sum(tf.cast(tf.equal(tf.argMax(p, 1), labels), 'float32')));
      }
      return tf.stack([loss, correct]);
    });
    const [loss, correct] = await totals.data();
    totals.dispose();
    return { loss: loss! / this.count, accuracy: correct! / this.count };
  }

  dispose(): void {
    for (const b of this.batches) tf.dispose([b.x, b.labels]);
    this.batches.length = 0;
  }
}
