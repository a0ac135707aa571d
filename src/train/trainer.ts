/**
 * The training loop shared by the worker and the command line: batches from an in-memory dataset,
 * a learning-rate schedule, validation each epoch, and a stop with the last good weights when the
 * loss stops being a number.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { ImageDataset, Split } from '../data/dataset';
import { batchPixels } from '../data/dataset';
import { seededRandom, shuffle } from '../data/random';
import { augmentBatch } from '../data/augment';
import type { AugmentConfig } from '../core/training/augment';
import type { BatchReport, EpochReport } from '../core/training/reports';
import type { TrainConfig } from '../core/training/settings';
import { learningRateAt } from '../core/training/settings';
import { constant } from './constants';
import { FusedAdam } from './fused-adam';

export type TrainOutcome =
  | { readonly status: 'done' | 'stopped'; readonly epochs: readonly EpochReport[] }
  | { readonly status: 'diverged'; readonly message: string; readonly epochs: readonly EpochReport[] };

export interface TrainHooks {
  onBatch?(report: BatchReport): void | Promise<void>;
  onEpoch?(report: EpochReport): void | Promise<void>;
  /** Checked between batches. */
  shouldStop?(): boolean;
}

function makeOptimizer(config: TrainConfig): tf.Optimizer {
  const lr = learningRateAt(config, 0);
  return config.optimizer === 'sgd' ? tf.train.momentum(lr, config.momentum) : new FusedAdam(lr, 0.9, 0.999);
}

/** SGD keeps its rate in a tensor that only setLearningRate updates; Adam reads the field each step. */
function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  // (tfjs' optimizers answer instanceof for each other's classes, so ask for the method.)
  const sgd = optimizer as Partial<Pick<tf.SGDOptimizer, 'setLearningRate'>>;
  if (typeof sgd.setLearningRate === 'function') sgd.setLearningRate(lr);
  else (optimizer as unknown as { learningRate: number }).learningRate = lr;
}

/**
 * WebGPU stages uploads in buffers mapped at creation, and software adapters refuse those above
 * about half a megabyte; larger image batches go up in pieces and are joined on the device.
 */
const UPLOAD_BYTES = 384 * 1024;

function imageTensor(images: Float32Array, shape: [number, number, number, number]): tf.Tensor4D {
  const perImage = shape[1] * shape[2] * shape[3];
  const rows = Math.max(1, Math.floor(UPLOAD_BYTES / 4 / perImage));
  if (tf.getBackend() !== 'webgpu' || shape[0] <= rows) return tf.tensor4d(images, shape);
  return tf.tidy(() => {
    const pieces: tf.Tensor4D[] = [];
    for (let n = 0; n < shape[0]; n += rows) {
      const count = Math.min(rows, shape[0] - n);
      pieces.push(
        tf.tensor4d(images.subarray(n * perImage, (n + count) * perImage), [
          count,
          shape[1],
          shape[2],
          shape[3],
        ]),
      );
    }
    return tf.concat(pieces, 0);
  });
}

/**
 * Copies `indices` of a split into a batch: images [n, h, w, c] in [0, 1] and labels [n];
 * `transform` changes the images in place first (augmentation, for training batches only).
 */
export function batchOf(
  split: Split,
  data: ImageDataset,
  indices: ArrayLike<number>,
  transform?: (images: Float32Array) => void,
): { x: tf.Tensor4D; y: tf.Tensor1D } {
  const per = data.height * data.width * data.channels;
  const images = batchPixels(split, indices, per);
  transform?.(images);
  const labels = new Float32Array(indices.length);
  for (let i = 0; i < indices.length; i++) labels[i] = split.labels[indices[i]!]!;
  return {
    x: imageTensor(images, [indices.length, data.height, data.width, data.channels]),
    y: tf.tensor1d(labels),
  };
}

/** Each example's predicted class and cross-entropy loss, in inference mode, batch by batch. */
export async function predictSplit(
  model: tfl.LayersModel,
  data: ImageDataset,
  split: Split,
  batchSize = 256,
): Promise<{ predicted: Int32Array; losses: Float32Array }> {
  const predicted = new Int32Array(split.count);
  const losses = new Float32Array(split.count);
  for (let start = 0; start < split.count; start += batchSize) {
    const indices = Array.from({ length: Math.min(batchSize, split.count - start) }, (_, i) => start + i);
    const [classes, lossOf] = tf.tidy(() => {
      const { x, y } = batchOf(split, data, indices);
      const probabilities = model.predict(x) as tf.Tensor2D;
      const labels = tf.cast(y, 'int32') as tf.Tensor1D;
      return [tf.argMax(probabilities, 1), exampleLosses(probabilities, labels)];
    });
    const [p, l] = await Promise.all([classes.data(), lossOf.data()]);
    tf.dispose([classes, lossOf]);
    predicted.set(p, start);
    losses.set(l, start);
  }
  return { predicted, losses };
}

/** Mean cross-entropy and accuracy of `model` on a whole split, in inference mode. */
export async function evaluate(
  model: tfl.LayersModel,
  data: ImageDataset,
  split: Split,
): Promise<{ loss: number; accuracy: number }> {
  const { predicted, losses } = await predictSplit(model, data, split);
  let correct = 0;
  for (let i = 0; i < split.count; i++) if (predicted[i] === split.labels[i]) correct++;
  return { loss: losses.reduce((a, b) => a + b, 0) / split.count, accuracy: correct / split.count };
}

/**
 * Whether the output layer's weights are still numbers. tfjs clips probabilities inside its loss, and
 * on some backends that clip turns NaN into a bound, so a finite loss alone proves nothing; a NaN
 * anywhere upstream reaches the last layer's weights within one step.
 */
function lastWeightsSum(model: tfl.LayersModel): tf.Scalar {
  const weights = model.layers.at(-1)?.trainableWeights ?? [];
  return tf.tidy(() =>
    weights.length === 0 ? tf.scalar(0) : (tf.addN(weights.map((w) => tf.sum(w.read()))) as tf.Scalar),
  );
}

/** ‖now − before‖ / ‖before‖ over the model's trainable weights (`before` holds all its weights). */
async function relativeChange(model: tfl.LayersModel, before: readonly tf.Tensor[]): Promise<number> {
  const [moved, size] = tf.tidy(() => {
    let moved = tf.scalar(0);
    let size = tf.scalar(0);
    model.weights.forEach((w, i) => {
      if (!w.trainable) return;
      moved = tf.add(moved, tf.sum(tf.square(tf.sub(w.read(), before[i]!))));
      size = tf.add(size, tf.sum(tf.square(before[i]!)));
    });
    return [moved, size];
  });
  const [m, s] = await Promise.all([moved.data(), size.data()]);
  tf.dispose([moved, size]);
  return Math.sqrt(m[0]! / Math.max(s[0]!, 1e-30));
}

function snapshot(model: tfl.LayersModel): tf.Tensor[] {
  return model.getWeights().map((w) => w.clone());
}

/** Cross-entropy of each row of softmax outputs `p` [n, k] against integer labels [n]. */
export function exampleLosses(p: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  const picked = tf.sum(tf.mul(p, tf.oneHot(labels, p.shape[1])), 1);
  return tf.neg(tf.log(tf.clipByValue(picked, 1e-7, 1))) as tf.Tensor1D;
}

/** What one step leaves to read: the loss, the number right and the check on the last weights. */
interface StepResult {
  readonly loss: tf.Scalar;
  readonly correct: tf.Scalar;
  readonly lastWeights: tf.Scalar;
}

/**
 * One optimizer step on a batch, issued without waiting for it. Written out rather than
 * tfjs-layers' trainOnBatch, which spends about as long in bookkeeping as in the arithmetic here.
 */
function trainStep(
  model: tfl.LayersModel,
  optimizer: tf.Optimizer,
  x: tf.Tensor4D,
  y: tf.Tensor1D,
  l2?: { readonly weights: readonly tfl.LayerVariable[]; readonly rate: number },
): StepResult {
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  let correct: tf.Scalar | undefined;
  let dataLoss: tf.Scalar | undefined;
  const objective = optimizer.minimize(
    () => {
      const labels = tf.cast(y, 'int32') as tf.Tensor1D;
      const p = model.apply(x, { training: true }) as tf.Tensor2D;
      correct = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(p, 1), labels), 'float32')));
      dataLoss = tf.keep(tf.mean(exampleLosses(p, labels)) as tf.Scalar);
      if (l2 === undefined) return dataLoss;
      // Coupled weight decay: ½·rate·Σ‖W‖² on the kernels, so its gradient is rate·W.
      const penalty = tf.addN(l2.weights.map((w) => tf.sum(tf.square(w.read()))));
      return tf.add(dataLoss, tf.mul(penalty, constant(l2.rate / 2))) as tf.Scalar;
    },
    true,
    variables,
  )!;
  if (objective !== dataLoss) tf.dispose(objective);
  return { loss: dataLoss!, correct: correct!, lastWeights: lastWeightsSum(model) };
}

/**
 * Steps issued before the oldest one's results are read. The CPU backends compute a step before
 * it returns, so they read each at once; a GPU backend would otherwise stall its queue on every
 * read, so several steps wait in the queue and the loss arrives a few steps late.
 */
function stepsInFlight(backend: string): number {
  return backend === 'webgpu' || backend === 'webgl' ? 4 : 1;
}

/** A step issued and not yet read back. */
interface Pending {
  readonly batch: number;
  readonly images: number;
  readonly learningRate: number;
  readonly result: StepResult;
  readonly read: Promise<[number, number, number]>;
}

function readStep(result: StepResult): Promise<[number, number, number]> {
  // Asynchronously: GPU backends read synchronously only by stalling their queue.
  return Promise.all([result.loss.data(), result.correct.data(), result.lastWeights.data()]).then(
    ([l, c, w]) => [l[0]!, c[0]!, w[0]!],
  );
}

const disposeStep = (p: Pending) => tf.dispose([p.result.loss, p.result.correct, p.result.lastWeights]);

/**
 * Trains `model` in place with the chosen optimizer. `epochsBefore` continues the numbering of an
 * earlier run on the same model ("train N more epochs"); the schedule starts a new cycle.
 * `config.augment` augments the training batches (never the validation images) from a generator of
 * its own, so turning it on or off leaves the order of the batches as it was.
 */
export async function trainModel(
  model: tfl.LayersModel,
  data: ImageDataset,
  config: TrainConfig & { readonly augment?: AugmentConfig },
  hooks: TrainHooks = {},
  epochsBefore = 0,
): Promise<TrainOutcome> {
  const optimizer = makeOptimizer(config);
  // Weight decay on kernels (not biases or batch-norm scales): AdamW shrinks them after each step
  // (decoupled, Loshchilov & Hutter 2019); Adam and SGD add the classic L2 penalty to the loss.
  const decayed = model.trainableWeights.filter((w) => w.shape.length > 1);
  const decoupled = config.optimizer === 'adamw' && config.weightDecay > 0;
  const coupled =
    config.optimizer !== 'adamw' && config.weightDecay > 0
      ? { weights: decayed, rate: config.weightDecay }
      : undefined;
  const random = seededRandom(config.seed);
  const augmentRandom = seededRandom(config.seed ^ 0x5eed);
  const augment = config.augment;
  const transform =
    augment === undefined
      ? undefined
      : (images: Float32Array) => augmentBatch(images, data, augment, augmentRandom);
  const batches = Math.ceil(data.train.count / config.batchSize);
  const total = batches * config.epochs;
  const epochs: EpochReport[] = [];
  let good = snapshot(model);
  try {
    for (let epoch = 0; epoch < config.epochs; epoch++) {
      const order = shuffle(
        Array.from({ length: data.train.count }, (_, i) => i),
        random,
      );
      const started = performance.now();
      let lossSum = 0;
      let accSum = 0;
      let seen = 0;
      const inFlight: Pending[] = [];
      // When the previous step's results arrived, or the queue's first step was issued.
      let lastSettled = performance.now();
      // Reads the oldest step issued: reports it, or stops the run if its loss is not a number.
      const settle = async (): Promise<TrainOutcome | undefined> => {
        const step = inFlight.shift()!;
        const [loss, correct, lastWeights] = await step.read;
        disposeStep(step);
        if (!Number.isFinite(loss) || !Number.isFinite(lastWeights)) {
          inFlight.splice(0).forEach(disposeStep);
          model.setWeights(good);
          return {
            status: 'diverged',
            epochs,
            message: `The loss became ${Number.isFinite(loss) ? 'NaN' : loss} at epoch ${epochsBefore + epoch + 1}, batch ${step.batch + 1}. Usually the steps are too big for this network: try a learning rate about 10× smaller than ${step.learningRate.toPrecision(2)}${config.optimizer === 'sgd' ? ' (or Adam)' : ''}, or add batch norm. If it happens at once, check the data for missing values. The weights from ${epochs.length === 0 ? (epochsBefore === 0 ? 'before training' : `the end of epoch ${epochsBefore}`) : `the end of epoch ${epochsBefore + epochs.length}`} were kept.`,
          };
        }
        const accuracy = correct / step.images;
        lossSum += loss * step.images;
        accSum += accuracy * step.images;
        seen += step.images;
        const now = performance.now();
        const imagesPerSecond = (step.images * 1000) / Math.max(now - lastSettled, 1e-3);
        lastSettled = now;
        await hooks.onBatch?.({
          epoch: epochsBefore + epoch + 1,
          batch: step.batch + 1,
          batches,
          loss,
          accuracy,
          learningRate: step.learningRate,
          imagesPerSecond,
        });
        return undefined;
      };
      const settleAll = async (): Promise<TrainOutcome | undefined> => {
        while (inFlight.length > 0) {
          const stop = await settle();
          if (stop !== undefined) return stop;
        }
        return undefined;
      };
      const depth = stepsInFlight(tf.getBackend());
      for (let b = 0; b < batches; b++) {
        if (hooks.shouldStop?.()) return (await settleAll()) ?? { status: 'stopped', epochs };
        const step = epoch * batches + b;
        const lr = learningRateAt(config, step / total);
        setLearningRate(optimizer, lr);
        const indices = order.slice(b * config.batchSize, (b + 1) * config.batchSize);
        if (inFlight.length === 0) lastSettled = performance.now();
        const { x, y } = batchOf(data.train, data, indices, transform);
        const result = trainStep(model, optimizer, x, y, coupled);
        tf.dispose([x, y]);
        if (decoupled)
          tf.tidy(() => {
            const keep = tf.scalar(1 - lr * config.weightDecay);
            for (const w of decayed) w.write(tf.mul(w.read(), keep));
          });
        inFlight.push({ batch: b, images: indices.length, learningRate: lr, result, read: readStep(result) });
        if (inFlight.length >= depth) {
          const stop = await settle();
          if (stop !== undefined) return stop;
        }
      }
      const stop = await settleAll();
      if (stop !== undefined) return stop;
      const val = await evaluate(model, data, data.validation);
      const report = {
        epoch: epochsBefore + epoch + 1,
        loss: lossSum / seen,
        accuracy: accSum / seen,
        valLoss: val.loss,
        valAccuracy: val.accuracy,
        seconds: (performance.now() - started) / 1000,
        weightChange: await relativeChange(model, good),
      };
      epochs.push(report);
      tf.dispose(good);
      good = snapshot(model);
      await hooks.onEpoch?.(report);
    }
    return { status: 'done', epochs };
  } finally {
    tf.dispose(good);
  }
}
