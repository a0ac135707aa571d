/** The training part of a generated module: the app's optimizer, schedule, batch and augmentation settings. */
import type { AugmentConfig } from '../core/training/augment';
import type { TrainConfig, TrainSettingKey } from '../core/training/settings';
import { augmentSource, augments } from './augment-source';
import { trainSettings } from '../core/training/settings';
import { commentText, literal, quote } from './print';

/**
 * Source of `trainOptions`, `learningRateAt` and `train`. learningRateAt is the same formula as
 * src/core/training/settings.ts (tests compare them); weight decay works as in the app: decoupled for AdamW, an L2
 * penalty in the loss for Adam and SGD (tests compare a step of each with the app's trainer). With
 * augmentation that changes images, `augmentOptions` and `augmentImages` (see augment-source.ts) come
 * too, and train() fits one epoch at a time on a freshly augmented copy of the training images.
 */
export function trainSource(config: TrainConfig, augment?: AugmentConfig): string {
  const augmenting = augment !== undefined && augments(augment);
  // Every setting but the seed (the generated train() uses tfjs' own randomness).
  const keys = (Object.keys(trainSettings) as TrainSettingKey[]).filter((k) => k !== 'seed');
  const values = keys.map((k) => `  ${k}: ${literal(config[k])},`).join('\n');
  const fields = keys
    .map((k) => {
      const spec = trainSettings[k];
      const type = spec.type === 'choice' ? spec.options.map((o) => quote(o.value)).join(' | ') : 'number';
      return `  /** ${commentText(spec.help)} */\n  ${k}: ${type};`;
    })
    .join('\n');
  return `export interface TrainOptions {
${fields}
}

/** The settings chosen in ConvCanvas. */
export const trainOptions: TrainOptions = {
${values}
};

/**
 * Learning rate at \`progress\` (0 at the first step, 1 after the last). One-cycle: a cosine rise from
 * lr/25 to lr over the first quarter, then a cosine fall to lr/25,000 (Smith 2018, as in fastai).
 */
export function learningRateAt(options: TrainOptions, progress: number): number {
  const lr = options.learningRate;
  if (options.schedule === 'constant') return lr;
  const warm = 0.25;
  const cosine = (from: number, to: number, t: number) =>
    to + ((from - to) * (1 + Math.cos(Math.PI * t))) / 2;
  return progress < warm
    ? cosine(lr / 25, lr, progress / warm)
    : cosine(lr, lr / 25e3, (progress - warm) / (1 - warm));
}

${
  augmenting
    ? `${augmentSource(augment)}
`
    : ''
}/**
 * Trains \`model\` on images \`xs\` [n, h, w, c] and labels \`ys\` (class indices [n] or one-hot
 * [n, classes]) with cross-entropy, setting the learning rate before every batch.${
   augmenting
     ? `
 * Each epoch trains on a fresh augmentation of every image (\`augment\`; null for none).`
     : ''
 }
 */
export async function train(
  model: tf.LayersModel,
  xs: tf.Tensor,
  ys: tf.Tensor,
  options: Partial<TrainOptions> = {},${augmenting ? '\n  augment: AugmentOptions | null = augmentOptions,' : ''}
): Promise<tf.History> {
  const o: TrainOptions = { ...trainOptions, ...options };
  const sgd = o.optimizer === 'sgd' ? tf.train.momentum(o.learningRate, o.momentum) : null;
  const optimizer = sgd ?? tf.train.adam(o.learningRate);
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const classes = model.outputs[0]!.shape[1] as number;
  const labels = ys.rank === 1 ? tf.oneHot(tf.cast(ys, 'int32') as tf.Tensor1D, classes) : ys;
  const batches = Math.ceil(xs.shape[0]! / o.batchSize);
  const kernels = model.trainableWeights.filter((w) => w.shape.length > 1);
  const decoupled = o.optimizer === 'adamw' && o.weightDecay > 0;
  if (o.weightDecay > 0 && !decoupled)
    for (const layer of model.layers)
      for (const w of layer.trainableWeights)
        if (w.shape.length > 1)
          layer.addLoss(() => tf.mul(o.weightDecay / 2, tf.sum(tf.square(w.read()))) as tf.Scalar);
  let epoch = 0;
  let lr = o.learningRate;
  const fit = (x: tf.Tensor, epochs: number, initialEpoch: number) =>
    model.fit(x, labels, {
      batchSize: o.batchSize,
      epochs,
      initialEpoch,
      shuffle: true,
      callbacks: {
        onEpochBegin: async (e) => {
          epoch = e;
        },
        onBatchBegin: async (batch) => {
          lr = learningRateAt(o, (epoch * batches + batch) / (batches * o.epochs));
          if (sgd !== null) sgd.setLearningRate(lr);
          // Adam reads its learningRate field at every step.
          else (optimizer as unknown as { learningRate: number }).learningRate = lr;
        },
        onBatchEnd: async () => {
          if (decoupled)
            tf.tidy(() => {
              for (const w of kernels) w.write(tf.mul(w.read(), 1 - lr * o.weightDecay));
            });
        },
      },
    });
  try {
${
  augmenting
    ? `    if (augment === null) return await fit(xs, o.epochs, 0);
    const [n, h, w, c] = xs.shape as [number, number, number, number];
    const all: Record<string, (number | tf.Tensor)[]> = {};
    let history: tf.History | undefined;
    for (let e = 0; e < o.epochs; e++) {
      const pixels = Float32Array.from(xs.dataSync());
      augmentImages(pixels, h, w, c, augment);
      const augmented = tf.tensor4d(pixels, [n, h, w, c]);
      try {
        history = await fit(augmented, e + 1, e);
      } finally {
        augmented.dispose();
      }
      for (const [k, v] of Object.entries(history.history)) (all[k] ??= []).push(...v);
    }
    history!.epoch = Array.from({ length: o.epochs }, (_, i) => i);
    history!.history = all;
    return history!;`
    : '    return await fit(xs, o.epochs, 0);'
}
  } finally {
    if (labels !== ys) labels.dispose();
  }
}
`;
}
