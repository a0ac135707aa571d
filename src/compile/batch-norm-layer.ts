/**
 * tfjs-layers' BatchNormalization, training through one kernel where the backend has it.
 *
 * In training mode tfjs-layers normalises with moments and FusedBatchNorm: about fifteen kernels
 * forward and back per layer, most of them full passes over the activation. When the running
 * backend has a kernel named BATCH_NORM_TRAINING (src/train/kernels registers it, with its
 * gradient) this layer calls that instead; otherwise, and always in inference mode, it is the
 * stock layer. Same class name, config and weights, so saved models are unchanged and load as the
 * stock layer anywhere.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { BatchNormalization } from '@tensorflow/tfjs-layers/dist/layers/normalization';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types';

/**
 * The kernel: inputs x (channels last), scale and offset [C]; attribute epsilon; outputs the
 * normalised x and the batch's mean and (biased) variance [C].
 */
export const BATCH_NORM_TRAINING = 'BatchNormTraining';

/** tfjs-layers exports the factory but not the class. */
const StockBatchNorm = Object.getPrototypeOf(tfl.layers.batchNormalization({}))
  .constructor as typeof BatchNormalization;

interface Fields {
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly gamma?: tfl.LayerVariable;
  readonly beta?: tfl.LayerVariable;
  readonly movingMean: tfl.LayerVariable;
  readonly movingVariance: tfl.LayerVariable;
}

export class TrainingBatchNorm extends StockBatchNorm {
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const f = this as unknown as Fields;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const lastAxis = x !== undefined && (f.axis === -1 || f.axis === x.rank - 1);
    if (
      kwargs['training'] !== true ||
      !lastAxis ||
      f.gamma === undefined ||
      f.beta === undefined ||
      tf.getKernel(BATCH_NORM_TRAINING, tf.getBackend()) === undefined
    )
      return super.call(inputs, kwargs);
    const { gamma, beta } = f;
    return tf.tidy(() => {
      const [y, mean, variance] = tf
        .engine()
        .runKernel(
          BATCH_NORM_TRAINING,
          { x: x!, scale: gamma.read(), offset: beta.read() },
          { epsilon: f.epsilon },
        ) as tf.Tensor[];
      // The running statistics move as tfjs-layers moves them.
      const decay = 1 - f.momentum;
      for (const [running, batch] of [
        [f.movingMean, mean!],
        [f.movingVariance, variance!],
      ] as const) {
        const now = running.read();
        running.write(tf.sub(now, tf.mul(tf.sub(now, batch), decay)));
      }
      return y!;
    });
  }
}
