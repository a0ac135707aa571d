/**
 * The added WebGPU training kernels against tfjs' own kernels and autodiff, on WebGPU in a real
 * browser (SwiftShader where there is no GPU), on random shapes, strides and paddings; and the
 * training loop on WebGPU. webgpu-kernels.spec.ts builds this into a page and calls each check;
 * a check returns the worst difference it saw and every case beyond its tolerance.
 */
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgpu';
// Gradients: tfjs-layers registers every op's gradient when it loads.
import '@tensorflow/tfjs-layers';
import type * as tfl from '@tensorflow/tfjs-layers';
import { BATCH_NORM_TRAINING } from '../../../src/compile/batch-norm-layer';
import { compileGraph } from '../../../src/compile/compile';
import type { GraphDocument } from '../../../src/core/document';
import { loadGraph } from '../../../src/core/load';
import { defaultTrainConfig } from '../../../src/core/training/settings';
import { shapesDataset } from '../../../src/data/shapes';
import { FusedAdam } from '../../../src/train/fused-adam';
import { registerTrainingKernels } from '../../../src/train/kernels';
import { RELU_GRAD } from '../../../src/train/kernels/relu-gradient';
import { trainModel } from '../../../src/train/trainer';
import { findTemplate } from '../../../templates';

export interface CheckResult {
  readonly cases: number;
  /** The largest difference seen, relative to the reference's largest magnitude (or as stated). */
  readonly worst: number;
  readonly failures: string[];
}

const GRADIENTS = ['Sum', 'Mean', 'Square', 'ClipByValue', 'Relu'] as const;
let tfjsGradients: Map<string, tf.GradConfig>;
let ourGradients: Map<string, tf.GradConfig>;
let tfjsFilterKernel: tf.KernelConfig;

async function start(): Promise<string> {
  tf.env().set('PROD', true);
  if (!(await tf.setBackend('webgpu'))) throw new Error('WebGPU did not start');
  await tf.ready();
  tfjsFilterKernel = tf.getKernel('Conv2DBackpropFilter', 'webgpu')!;
  tfjsGradients = new Map(GRADIENTS.map((name) => [name, tf.getGradient(name)!]));
  registerTrainingKernels('webgpu');
  ourGradients = new Map(GRADIENTS.map((name) => [name, tf.getGradient(name)!]));
  const adapter = await navigator.gpu.requestAdapter();
  const info = adapter?.info;
  return [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ');
}

/** Runs `f` with tfjs' own kernels (or none) in place of ours for `names`, then puts ours back. */
async function withTfjsKernels<T>(names: readonly string[], f: () => Promise<T>): Promise<T> {
  const ours = names.map((name) => tf.getKernel(name, 'webgpu')!);
  for (const name of names) tf.unregisterKernel(name, 'webgpu');
  if (names.includes('Conv2DBackpropFilter')) tf.registerKernel(tfjsFilterKernel);
  try {
    return await f();
  } finally {
    if (names.includes('Conv2DBackpropFilter')) tf.unregisterKernel('Conv2DBackpropFilter', 'webgpu');
    for (const k of ours) tf.registerKernel(k);
  }
}

/** Runs `f` with tfjs' own gradients in place of ours, then puts ours back. */
async function withTfjsGradients<T>(f: () => Promise<T>): Promise<T> {
  for (const g of tfjsGradients.values()) tf.registerGradient(g);
  try {
    return await f();
  } finally {
    for (const g of ourGradients.values()) tf.registerGradient(g);
  }
}

/** max |a − b| over max |b| (NaN where the other is not NaN counts as infinitely far). */
function difference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let most = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]!) !== Number.isNaN(b[i]!)) return Infinity;
    if (Number.isNaN(b[i]!)) continue;
    most = Math.max(most, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return most / Math.max(scale, 1e-6);
}

async function values(ts: readonly tf.Tensor[]): Promise<Float32Array[]> {
  const out = (await Promise.all(ts.map((t) => t.data()))) as Float32Array[];
  tf.dispose([...ts]);
  return out;
}

/** Compares every case's outputs, ours against the reference, within `tolerance`. */
async function compare<C>(
  cases: readonly C[],
  ours: (c: C) => Promise<Float32Array[]>,
  reference: (c: C) => Promise<Float32Array[]>,
  tolerance: number,
): Promise<CheckResult> {
  let worst = 0;
  const failures: string[] = [];
  for (const c of cases) {
    const [got, want] = [await ours(c), await reference(c)];
    want.forEach((w, i) => {
      const d = difference(got[i]!, w);
      worst = Math.max(worst, d);
      if (!(d <= tolerance)) failures.push(`${JSON.stringify(c)} output ${i}: ${d.toExponential(2)}`);
    });
  }
  return { cases: cases.length, worst, failures };
}

// ---- Conv2DBackpropFilter -------------------------------------------------------------------

interface ConvCase {
  batch: number;
  height: number;
  width: number;
  inChannels: number;
  outChannels: number;
  kernel: number;
  stride: number;
  pad: 'same' | 'valid' | number;
  seed: number;
}

const convCases = fc
  .record({
    batch: fc.integer({ min: 1, max: 4 }),
    height: fc.integer({ min: 3, max: 18 }),
    width: fc.integer({ min: 3, max: 18 }),
    inChannels: fc.integer({ min: 1, max: 24 }),
    outChannels: fc.oneof(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 21, max: 140 })),
    kernel: fc.constantFrom(1, 2, 3, 5),
    stride: fc.integer({ min: 1, max: 3 }),
    pad: fc.constantFrom<'same' | 'valid' | number>('same', 'valid', 0, 1, 2),
    seed: fc.integer({ min: 1, max: 1000 }),
  })
  .filter((c) => c.pad !== 'valid' || (c.kernel <= c.height && c.kernel <= c.width));

function weightGradientOf(c: ConvCase): Promise<Float32Array[]> {
  const filterShape: [number, number, number, number] = [c.kernel, c.kernel, c.inChannels, c.outChannels];
  const info = tf.backend_util.computeConv2DInfo(
    [c.batch, c.height, c.width, c.inChannels],
    filterShape,
    c.stride,
    1,
    c.pad,
  );
  const x = tf.randomNormal([c.batch, c.height, c.width, c.inChannels], 0, 1, 'float32', c.seed);
  const dy = tf.randomNormal(
    [c.batch, info.outHeight, info.outWidth, c.outChannels],
    0,
    1,
    'float32',
    c.seed + 1,
  );
  const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
    strides: [c.stride, c.stride],
    pad: c.pad,
    dataFormat: 'NHWC',
    filterShape,
  } as unknown as tf.NamedAttrMap) as tf.Tensor;
  tf.dispose([x, dy]);
  return values([dw]);
}

async function weightGradient(): Promise<CheckResult> {
  const cases: ConvCase[] = [
    ...fc.sample(convCases, { numRuns: 40, seed: 15 }),
    // Split sums (many positions, one tile), several row and column tiles, each column-tile width.
    {
      batch: 8,
      height: 32,
      width: 32,
      inChannels: 16,
      outChannels: 16,
      kernel: 3,
      stride: 1,
      pad: 'same',
      seed: 1,
    },
    {
      batch: 4,
      height: 16,
      width: 16,
      inChannels: 32,
      outChannels: 64,
      kernel: 3,
      stride: 2,
      pad: 'same',
      seed: 2,
    },
    {
      batch: 2,
      height: 9,
      width: 9,
      inChannels: 70,
      outChannels: 130,
      kernel: 1,
      stride: 1,
      pad: 'valid',
      seed: 3,
    },
    {
      batch: 3,
      height: 24,
      width: 20,
      inChannels: 3,
      outChannels: 24,
      kernel: 7,
      stride: 2,
      pad: 'same',
      seed: 4,
    },
  ];
  return compare(
    cases,
    weightGradientOf,
    (c) => withTfjsKernels(['Conv2DBackpropFilter'], () => weightGradientOf(c)),
    1e-4,
  );
}

// ---- Batch norm in training ------------------------------------------------------------------

interface NormCase {
  shape: number[];
  seed: number;
  withStatistics: boolean;
}

/**
 * y, mean, variance and the gradients of Σ y·r (+ Σ mean·s + Σ variance·t `withStatistics`) for x,
 * scale and offset, through the kernel (when registered) or tfjs' moments + batchNorm.
 */
function normalised(
  { shape, seed, withStatistics }: NormCase,
  through: 'kernel' | 'tfjs',
): Promise<Float32Array[]> {
  const outs = tf.tidy(() => {
    const channels = shape.at(-1)!;
    const x = tf.randomNormal(shape, 0.5, 2, 'float32', seed);
    const scale = tf.randomNormal([channels], 1, 0.3, 'float32', seed + 1);
    const offset = tf.randomNormal([channels], 0, 1, 'float32', seed + 2);
    const r = tf.randomNormal(shape, 0, 1, 'float32', seed + 3);
    const s = tf.randomNormal([channels], 0, 1, 'float32', seed + 4);
    const t = tf.randomNormal([channels], 0, 1, 'float32', seed + 5);
    const forward = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor[] => {
      if (through === 'kernel')
        return tf
          .engine()
          .runKernel(BATCH_NORM_TRAINING, { x: a, scale: g, offset: b }, { epsilon: 1e-3 }) as tf.Tensor[];
      const axes = Array.from({ length: shape.length - 1 }, (_, i) => i);
      const { mean, variance } = tf.moments(a, axes);
      return [tf.batchNorm(a, mean, variance, b, g, 1e-3), mean, variance];
    };
    const loss = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      const [y, mean, variance] = forward(a, g, b) as [tf.Tensor, tf.Tensor, tf.Tensor];
      const main = tf.sum(tf.mul(y, r));
      return withStatistics ? tf.addN([main, tf.sum(tf.mul(mean, s)), tf.sum(tf.mul(variance, t))]) : main;
    };
    return [...forward(x, scale, offset), ...tf.grads(loss)([x, scale, offset])];
  });
  return values(outs);
}

async function batchNorm(): Promise<CheckResult> {
  const shapes = fc.oneof(
    fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 70 })),
    fc.tuple(
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 1, max: 9 }),
      fc.integer({ min: 1, max: 9 }),
      fc.integer({ min: 1, max: 40 }),
    ),
  );
  const sampled = fc.sample(
    fc.record({ shape: shapes, seed: fc.integer({ min: 1, max: 1000 }), withStatistics: fc.boolean() }),
    {
      numRuns: 30,
      seed: 5,
    },
  ) as NormCase[];
  const cases: NormCase[] = [
    ...sampled,
    // Many row chunks per channel tile; more channels than one tile; an activation-sized one.
    { shape: [4, 16, 16, 16], seed: 7, withStatistics: false },
    { shape: [2, 8, 8, 70], seed: 8, withStatistics: true },
    { shape: [16, 32, 32, 16], seed: 9, withStatistics: false },
  ];
  return compare(
    cases,
    (c) => normalised(c, 'kernel'),
    (c) => normalised(c, 'tfjs'),
    2e-4,
  );
}

// ---- Adam, ReLU's gradient, the replaced gradients -------------------------------------------

/** Five steps minimising Σ (x·a + b − t)² from seeded values, with a learning rate that changes. */
async function adamSteps(make: () => tf.AdamOptimizer, seed: number): Promise<Float32Array[]> {
  const a = tf.variable(tf.randomNormal([70, 33], 0, 1, 'float32', seed));
  const b = tf.variable(tf.randomNormal([33], 0, 1, 'float32', seed + 1));
  const x = tf.randomNormal([5, 70], 0, 1, 'float32', seed + 2);
  const target = tf.randomNormal([5, 33], 0, 1, 'float32', seed + 3);
  const optimizer = make();
  for (let step = 0; step < 5; step++) {
    (optimizer as unknown as { learningRate: number }).learningRate = 0.01 * (step + 1);
    optimizer.minimize(() => tf.sum(tf.square(tf.sub(tf.add(tf.matMul(x, a), b), target))) as tf.Scalar);
  }
  const out = await values([a.clone(), b.clone()]);
  optimizer.dispose();
  tf.dispose([a, b, x, target]);
  return out;
}

async function adam(): Promise<CheckResult> {
  return compare(
    [1, 20, 300],
    (seed) => adamSteps(() => new FusedAdam(0.01, 0.9, 0.999), seed),
    (seed) => adamSteps(() => tf.train.adam(0.01, 0.9, 0.999), seed),
    1e-5,
  );
}

/** ∂/∂x Σ relu(x)·r, with zeros, negatives and NaNs in x. */
function reluGradientOf(seed: number): Promise<Float32Array[]> {
  const g = tf.tidy(() => {
    const x = tf.where(
      tf.less(tf.randomUniform([3, 5, 7, 11], 0, 1, 'float32', seed), 0.1),
      tf.fill([3, 5, 7, 11], NaN),
      tf.round(tf.randomNormal([3, 5, 7, 11], 0, 2, 'float32', seed + 1)),
    );
    const r = tf.randomNormal(x.shape, 0, 1, 'float32', seed + 2);
    return tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.relu(v), r)))(x);
  });
  return values([g]);
}

async function reluGradient(): Promise<CheckResult> {
  return compare(
    [1, 2, 3],
    reluGradientOf,
    (seed) => withTfjsKernels([RELU_GRAD], () => reluGradientOf(seed)),
    0,
  );
}

interface OpCase {
  op: (typeof GRADIENTS)[number];
  shape: number[];
  axes: number[];
  keepDims: boolean;
  seed: number;
}

/** ∂/∂x Σ op(x)·r for one of the ops whose gradient is replaced. */
function opGradientOf(c: OpCase): Promise<Float32Array[]> {
  const g = tf.tidy(() => {
    const x = tf.randomNormal(c.shape, 0, 1, 'float32', c.seed);
    const f = (v: tf.Tensor): tf.Tensor => {
      switch (c.op) {
        case 'Sum':
          return tf.sum(v, c.axes, c.keepDims);
        case 'Mean':
          return tf.mean(v, c.axes, c.keepDims);
        case 'Square':
          return tf.square(v);
        case 'ClipByValue':
          return tf.clipByValue(v, -0.5, 0.7);
        case 'Relu':
          return tf.relu(v);
      }
    };
    const r = tf.randomNormal(f(x).shape, 0, 1, 'float32', c.seed + 1);
    return tf.grad((v: tf.Tensor) => tf.sum(tf.mul(f(v), r)))(x);
  });
  return values([g]);
}

async function replacedGradients(): Promise<CheckResult> {
  const opCases = fc
    .record({
      op: fc.constantFrom('Sum' as const, 'Mean' as const, 'Square' as const, 'ClipByValue' as const),
      shape: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 }),
      axisBits: fc.integer({ min: 0, max: 15 }),
      keepDims: fc.boolean(),
      seed: fc.integer({ min: 1, max: 1000 }),
    })
    .map(({ axisBits, ...c }) => ({
      ...c,
      axes: c.shape.map((_, i) => i).filter((i) => (axisBits >> i) & 1),
    }));
  return compare(
    fc.sample(opCases, { numRuns: 40, seed: 3 }),
    opGradientOf,
    (c) => withTfjsGradients(() => opGradientOf(c)),
    1e-6,
  );
}

// ---- Whole networks ----------------------------------------------------------------------------

function templateAt(name: string, size: number): GraphDocument {
  const loaded = loadGraph(findTemplate(name)!.document);
  if (!loaded.ok) throw new Error(name);
  return {
    ...loaded.doc,
    nodes: loaded.doc.nodes.map((n) =>
      n.kind === 'input' ? { ...n, params: { ...n.params, height: size, width: size } } : n,
    ),
  };
}

/** The gradients of the training loss for every trainable weight, on the current backend. */
async function modelGradients(
  model: tfl.LayersModel,
  images: Float32Array,
  labels: Int32Array,
  shape: number[],
): Promise<Float32Array[]> {
  const grads = tf.tidy(() => {
    const x = tf.tensor4d(images, shape as [number, number, number, number]);
    const y = tf.tensor1d(labels, 'int32');
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const { grads: g } = tf.variableGrads(() => {
      const p = model.apply(x, { training: true }) as tf.Tensor2D;
      const picked = tf.sum(tf.mul(p, tf.oneHot(y, p.shape[1])), 1);
      return tf.mean(tf.neg(tf.log(tf.clipByValue(picked, 1e-7, 1)))) as tf.Scalar;
    }, variables);
    return variables.map((v) => g[v.name]!);
  });
  return values(grads);
}

/**
 * The training loss's gradients for every weight of Starter CNN and ResNet-20 (small inputs) on
 * WebGPU with the added kernels against tfjs' cpu backend, from the same weights and images. (The
 * cpu side is its own copy of the model: tensors are not moved between the backends.)
 */
async function networks(): Promise<CheckResult> {
  const nets = [
    { template: 'starter-cnn', size: 12, batch: 3 },
    { template: 'resnet-20', size: 8, batch: 3 },
  ];
  let worst = 0;
  const failures: string[] = [];
  for (const net of nets) {
    const doc = templateAt(net.template, net.size);
    const data = shapesDataset({ size: net.size, trainCount: net.batch, validationCount: 1, seed: 4 });
    const shape = [net.batch, net.size, net.size, 3];
    const labels = Int32Array.from(data.train.labels);
    const images = data.train.images as Float32Array;
    const gpu = compileGraph(doc, undefined, { seed: 3 });
    if (!gpu.ok) throw new Error(net.template);
    const weights = await Promise.all(
      gpu.compiled.model.getWeights().map(async (w) => ({ shape: w.shape, values: await w.data() })),
    );
    const onGpu = await modelGradients(gpu.compiled.model, images, labels, shape);
    gpu.compiled.model.dispose();
    await tf.setBackend('cpu');
    const cpu = compileGraph(doc);
    if (!cpu.ok) throw new Error(net.template);
    cpu.compiled.model.setWeights(weights.map((w) => tf.tensor(w.values, w.shape)));
    const onCpu = await modelGradients(cpu.compiled.model, images, labels, shape);
    cpu.compiled.model.dispose();
    await tf.setBackend('webgpu');
    onCpu.forEach((want, i) => {
      const d = difference(onGpu[i]!, want);
      worst = Math.max(worst, d);
      if (!(d <= 1e-3)) failures.push(`${net.template} weight ${i}: ${d.toExponential(2)}`);
    });
  }
  return { cases: nets.length, worst, failures };
}

/**
 * trainModel on WebGPU, where results are read a few steps late: every batch is reported with a
 * finite loss; a NaN in the data stops the run at its batch, with the weights from before.
 */
async function training(): Promise<CheckResult> {
  const failures: string[] = [];
  const size = 12;
  const compiled = compileGraph(templateAt('starter-cnn', size), undefined, { seed: 3 });
  if (!compiled.ok) throw new Error('starter-cnn');
  const { model } = compiled.compiled;
  const data = shapesDataset({ size, trainCount: 24, validationCount: 4, seed: 6 });
  const config = { ...defaultTrainConfig, epochs: 1, batchSize: 4 };
  const losses: number[] = [];
  const done = await trainModel(model, data, config, { onBatch: (b) => void losses.push(b.loss) });
  if (done.status !== 'done') failures.push(`a clean run ended ${done.status}`);
  if (losses.length !== 6 || !losses.every(Number.isFinite))
    failures.push(`batch losses ${JSON.stringify(losses)}`);

  const before = await values(model.getWeights().map((w) => w.clone()));
  const images = Float32Array.from(data.train.images as Float32Array);
  // Image 0 is all NaN: whichever batch the shuffle puts it in, every batch before it is reported.
  images.fill(NaN, 0, size * size * 3);
  const poisoned = { ...data, train: { ...data.train, images } };
  const reported: number[] = [];
  const outcome = await trainModel(model, poisoned, config, { onBatch: (b) => void reported.push(b.batch) });
  const after = await values(model.getWeights().map((w) => w.clone()));
  if (outcome.status !== 'diverged') failures.push(`a NaN image: the run ended ${outcome.status}`);
  else {
    const batch = Number(/batch (\d+)/.exec(outcome.message)?.[1]);
    if (batch !== reported.length + 1)
      failures.push(`stopped at batch ${batch} after reporting ${JSON.stringify(reported)}`);
  }
  const moved = after.reduce((d, w, i) => Math.max(d, difference(w, before[i]!)), 0);
  if (moved !== 0) failures.push(`the weights after the NaN differ from before it by ${moved}`);
  model.dispose();
  return { cases: 2, worst: moved, failures };
}

const checks = { weightGradient, batchNorm, adam, reluGradient, replacedGradients, networks, training };
export type CheckName = keyof typeof checks;

declare global {
  interface Window {
    webgpuChecks: { start(): Promise<string>; run(name: CheckName): Promise<CheckResult> };
  }
}

window.webgpuChecks = { start, run: (name) => checks[name]() };
