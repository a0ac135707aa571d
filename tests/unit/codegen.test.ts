/**
 * Generated TypeScript: it type-checks (strict), runs, and builds the very model the compiler
 * builds — same layers, same parameters, same predictions once the weights are copied.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import type { CustomPadMode, Pads2D } from '../../nodes/padding-modes';
import { generateModule } from '../../src/codegen';
import type { CodegenOptions, GeneratedModule } from '../../src/codegen';
import { compileGraph } from '../../src/compile/compile';
import { padImages } from '../../src/compile/padding-layer';
import { GraphBuilder } from '../../src/core/builder';
import type { GraphDocument } from '../../src/core/document';
import { loadGraph } from '../../src/core/load';
import { defaultTrainConfig, learningRateAt } from '../../src/core/training/settings';
import type { TrainConfig } from '../../src/core/training/settings';
import { shapesDataset } from '../../src/data/shapes';
import { trainModel } from '../../src/train/trainer';
import { templates } from '../../templates';
import { importModule, typeCheck } from './support/generated';
import { smallInput } from './support/graphs';
import { withCpuBackend } from './support/tf';

withCpuBackend();

interface ModelModule {
  createModel(): tfl.LayersModel;
}
interface PaddingModule extends ModelModule {
  padImages(x: tfc.Tensor4D, pads: Pads2D, mode: CustomPadMode): tfc.Tensor4D;
}
interface TrainModule extends ModelModule {
  trainOptions: Omit<TrainConfig, 'seed'>;
  learningRateAt(options: Omit<TrainConfig, 'seed'>, progress: number): number;
  train(
    model: tfl.LayersModel,
    xs: tfc.Tensor,
    ys: tfc.Tensor,
    options?: Partial<TrainConfig>,
  ): Promise<tfl.History>;
}

const modes: readonly CustomPadMode[] = ['reflect', 'symmetric', 'circular', 'replicate'];

function template(name: string): GraphDocument {
  const loaded = loadGraph(templates.find((t) => t.name === name)!.document);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.doc;
}

function generate(doc: GraphDocument, options?: CodegenOptions): GeneratedModule {
  const result = generateModule(doc, options);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result;
}

/** Every padding mode, as a Padding node and as a convolution border, in one small graph. */
function paddingGraph(): GraphDocument {
  const g = new GraphBuilder('borders');
  let x = g.node('input', { height: 7, width: 6, channels: 2 }, [], { id: 'image' });
  for (const mode of modes) x = g.node('padding', { top: 2, bottom: 1, left: 0, right: 3, mode }, x);
  x = g.node('padding', { top: 1, bottom: 0, left: 2, right: 1, mode: 'zero' }, x);
  for (const border of ['same-reflect', 'same-symmetric', 'same-circular'])
    x = g.node('conv', { filters: 3, kernel: 3, padding: border, stride: 2 }, x);
  x = g.node('flatten', {}, x);
  g.node('output', { classes: 4 }, x, { id: 'out' });
  return g.build();
}

/** Node ids that are reserved words or names the module itself uses, and a merge of three inputs. */
function awkwardGraph(): GraphDocument {
  const g = new GraphBuilder('awkward names');
  const x = g.node('input', { height: 8, width: 8, channels: 1 }, [], { id: 'tf' });
  const a = g.node('conv', { filters: 4 }, x, { id: 'new', label: 'line one\nline two */' });
  const b = g.node('conv', { filters: 4 }, x, { id: 'apply' });
  const c = g.node('maxpool', { size: 2, stride: 1, padding: 'same' }, a, { id: 'createModel' });
  const sum = g.node('add', {}, [a, b, c], { id: 'class' });
  const cat = g.node('concat', {}, [sum, a], { id: 'Padding2D' });
  const d = g.node('activation', { fn: 'leaky_relu', alpha: 0.1 }, cat, { id: 'stem_1_a' });
  const e = g.node('dropout', { rate: 0.25 }, d, { id: 'model' });
  const f = g.node('gmp', {}, e, { id: 'train' });
  const h = g.node('dense', { units: 6, activation: 'tanh', bias: false }, f, { id: 'x' });
  g.node('output', { classes: 3 }, h, { id: 'output' });
  return g.build();
}

function compiled(doc: GraphDocument): tfl.LayersModel {
  const result = compileGraph(doc);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.compiled.model;
}

/** Copies weights layer by layer, by name; returns how many tensors were copied. */
function copyWeights(from: tfl.LayersModel, to: tfl.LayersModel): number {
  let copied = 0;
  for (const layer of to.layers) {
    const weights = from.getLayer(layer.name).getWeights();
    layer.setWeights(weights);
    copied += weights.length;
  }
  return copied;
}

function maxAbsDiff(a: tfl.LayersModel, b: tfl.LayersModel): number {
  return tfc.tidy(() => {
    const shape = a.inputs[0]!.shape.slice(1) as number[];
    const x = tfc.randomNormal([2, ...shape], 0, 1, 'float32', 7);
    const pa = a.predict(x) as tfc.Tensor;
    const pb = b.predict(x) as tfc.Tensor;
    return tfc.max(tfc.abs(tfc.sub(pa, pb))).dataSync()[0]!;
  });
}

const layerSummary = (m: tfl.LayersModel) => m.layers.map((l) => [l.name, l.getClassName(), l.countParams()]);

async function expectSameModel(doc: GraphDocument, numeric: boolean): Promise<void> {
  const mod = await importModule<ModelModule>(generate(doc).code);
  const reference = compiled(doc);
  const model = mod.createModel();
  try {
    expect(layerSummary(model)).toEqual(layerSummary(reference));
    expect(model.countParams()).toBe(reference.countParams());
    expect(model.outputs[0]!.shape).toEqual(reference.outputs[0]!.shape);
    if (numeric) {
      expect(copyWeights(reference, model)).toBe(reference.getWeights().length);
      expect(maxAbsDiff(reference, model)).toBeLessThan(1e-6);
    }
  } finally {
    model.dispose();
    reference.dispose();
  }
}

describe('generated module text', () => {
  it('is the same text every time for the same graph', () => {
    for (const t of templates) {
      const doc = template(t.name);
      expect(generate(doc).code).toBe(generate(doc).code);
      expect(generate(doc, { train: defaultTrainConfig }).code).toBe(
        generate(doc, { train: defaultTrainConfig }).code,
      );
    }
  });

  it('with train(), says in its header how to run fast in Node, before the import', () => {
    const code = generate(template('starter-cnn'), { train: defaultTrainConfig }).code;
    const header = code.slice(0, code.indexOf('import * as tf'));
    expect(header).toContain('train with @tensorflow/tfjs-node');
    expect(header).toContain("import '@tensorflow/tfjs-backend-wasm'; await tf.setBackend('wasm');");
    expect(header.split('\n').every((line) => line === '' || line.startsWith('//'))).toBe(true);
    expect(generate(template('starter-cnn')).code).not.toContain('tfjs-node');
  });

  it('has one statement per node, named after it, with its output shape, in topological order', () => {
    const doc = template('starter-cnn');
    const { code, nodeLines, lineNodes } = generate(doc);
    const lines = code.split('\n');
    expect(code).toContain("import * as tf from '@tensorflow/tfjs';");
    expect(code).toContain('export function createModel(): tf.LayersModel {');
    expect(code).not.toContain('Padding2D');
    const down1 = nodeLines.get('down1')!;
    const statement = lines.slice(down1.first - 1, down1.last).join('\n');
    expect(statement).toMatch(/^ {2}const down1 = apply\(/);
    expect(statement).toMatch(
      /tf\.layers\.conv2d\(\{\s+name: 'down1',\s+filters: 32,\s+kernelSize: 3,\s+strides: 2,/,
    );
    expect(statement).toMatch(/\/\/ 16×16×32$/);
    for (let l = down1.first; l <= down1.last; l++) expect(lineNodes[l - 1]).toBe('down1');
    // Lines follow the analysis' topological order, and every live node has its lines.
    const firsts = doc.nodes.map((n) => nodeLines.get(n.id)!.first);
    expect(firsts).toEqual([...firsts].sort((a, b) => a - b));
    expect(lineNodes.length).toBe(lines.length - 1);
  });

  it('prints only the settings that differ from tfjs defaults', () => {
    const { code } = generate(template('tiny-vgg'));
    expect(code).toMatch(/tf\.layers\.maxPooling2d\(\{ name: '\w+', poolSize: 2 \}\)/);
    expect(code).not.toMatch(/strides: 1[,\s]/);
    expect(code).not.toMatch(/useBias: true|trainable: true|dilationRate: 1/);
  });

  it('splits a node that needs two layers into two statements and includes the padding layer', () => {
    const { code, nodeLines } = generate(paddingGraph());
    expect(code).toContain('export class Padding2D extends tf.layers.Layer {');
    expect(code).toContain('tf.serialization.registerClass(Padding2D);');
    const conv = nodeLines.get('conv_1')!;
    const text = code
      .split('\n')
      .slice(conv.first - 1, conv.last)
      .join('\n');
    expect(text).toMatch(
      /const conv_1Pad = apply\(\s*new Padding2D\(\{ name: 'conv_1_pad'.*mode: 'reflect' \}\)/s,
    );
    expect(text).toMatch(/\/\/ 21×23×2\n/);
    expect(text).toMatch(
      /const conv_1 = apply\(\s+tf\.layers\.conv2d\(.*\),\s+conv_1Pad,\s+\); \/\/ 10×11×3$/s,
    );
  });

  it('keeps untrusted labels inside one comment line and stays within 110 columns', () => {
    const { code } = generate(awkwardGraph());
    expect(code).toContain('  // line one line two */\n');
    for (const t of templates)
      for (const line of generate(template(t.name), { train: defaultTrainConfig }).code.split('\n'))
        expect(line.replace(/ \/\/ [0-9×]+$/, '').length).toBeLessThanOrEqual(110);
  });

  it('refuses a graph that cannot be built, saying where', () => {
    const g = new GraphBuilder('broken');
    const x = g.node('input', { height: 4, width: 4, channels: 1 });
    g.node('conv', { kernel: 7, padding: 'valid' }, x, { id: 'big' });
    const result = generateModule(g.build());
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors).toContainEqual({ nodeId: 'big', message: expect.stringMatching(/7×7/) });
      expect(result.errors.some((e) => /no Output node/.test(e.message))).toBe(true);
    }
  });
});

describe('generated modules type-check', () => {
  it('for every template, with and without training, and for awkward node ids', () => {
    const modules = new Map<string, string>();
    for (const t of templates) modules.set(t.name, generate(template(t.name)).code);
    for (const optimizer of ['sgd', 'adam', 'adamw'] as const)
      modules.set(
        `starter-${optimizer}`,
        generate(template('starter-cnn'), { train: { ...defaultTrainConfig, optimizer } }).code,
      );
    modules.set('padding', generate(paddingGraph(), { train: defaultTrainConfig }).code);
    modules.set('awkward', generate(awkwardGraph()).code);
    expect(typeCheck(modules)).toEqual([]);
  });
});

describe('generated modules build the compiled model', () => {
  it.each(templates.map((t) => t.name))('%s', async (name) => {
    const doc = template(name);
    const big = doc.nodes.some((n) => n.kind === 'input' && Number(n.params['height']) > 64);
    await expectSameModel(doc, !big);
    // The large ones are compared numerically with a 32×32 input: the same layers and weights.
    if (big) await expectSameModel(smallInput(doc), true);
  });

  it('with every padding mode and awkward node ids', async () => {
    await expectSameModel(paddingGraph(), true);
    await expectSameModel(awkwardGraph(), true);
  });
});

describe('generated Padding2D', () => {
  it('gives the same values and gradients as the compiler’s padding layer for every mode', async () => {
    const mod = await importModule<PaddingModule>(generate(paddingGraph()).code);
    const pads: Pads2D = [
      [2, 1],
      [3, 0],
    ];
    for (const mode of modes) {
      const [same, gradSame] = tfc.tidy(() => {
        const x = tfc.randomNormal([2, 5, 4, 3], 0, 1, 'float32', 3) as tfc.Tensor4D;
        const w = tfc.randomNormal([2, 8, 7, 3], 0, 1, 'float32', 4);
        const a = padImages(x, pads, mode);
        const b = mod.padImages(x, pads, mode);
        const ga = tfc.grad((t: tfc.Tensor) => tfc.sum(tfc.mul(padImages(t as tfc.Tensor4D, pads, mode), w)))(
          x,
        );
        const gb = tfc.grad((t: tfc.Tensor) =>
          tfc.sum(tfc.mul(mod.padImages(t as tfc.Tensor4D, pads, mode), w)),
        )(x);
        return [
          tfc.max(tfc.abs(tfc.sub(a, b))).dataSync()[0]!,
          tfc.max(tfc.abs(tfc.sub(ga, gb))).dataSync()[0]!,
        ];
      });
      expect(same, mode).toBe(0);
      expect(gradSame, mode).toBe(0);
    }
  });
});

describe('generated train()', () => {
  const tiny = (): GraphDocument => {
    const g = new GraphBuilder('tiny');
    let x = g.node('input', { height: 8, width: 8, channels: 1 });
    x = g.node('conv', { filters: 4 }, x);
    x = g.node('batchnorm', {}, x);
    x = g.node('stride2', { filters: 8 }, x);
    x = g.node('gap', {}, x);
    g.node('output', { classes: 3 }, x);
    return g.build();
  };

  it('carries the chosen settings and the app’s learning-rate schedule', async () => {
    const config: TrainConfig = { ...defaultTrainConfig, optimizer: 'sgd', learningRate: 0.03, epochs: 7 };
    const mod = await importModule<TrainModule>(generate(tiny(), { train: config }).code);
    const { seed: _seed, ...chosen } = config;
    expect(mod.trainOptions).toEqual(chosen);
    for (const schedule of ['one-cycle', 'constant'] as const)
      for (let p = 0; p <= 1; p += 0.05)
        expect(mod.learningRateAt({ ...chosen, schedule }, p)).toBe(
          learningRateAt({ ...config, schedule }, p),
        );
  });

  it.each(['sgd', 'adam', 'adamw'] as const)(
    'one %s step with weight decay lands where the app’s trainer lands',
    async (optimizer) => {
      const g = new GraphBuilder('step');
      let x = g.node('input', { height: 6, width: 6, channels: 3 });
      x = g.node('conv', { filters: 4 }, x);
      g.node('output', { classes: 10 }, g.node('gap', {}, x));
      const doc = g.build();
      const config: TrainConfig = {
        ...defaultTrainConfig,
        optimizer,
        learningRate: 0.05,
        schedule: 'constant',
        weightDecay: 0.2,
        batchSize: 8,
        epochs: 1,
      };
      const data = shapesDataset({ size: 6, trainCount: 8, validationCount: 2 });
      const app = compileGraph(doc);
      if (!app.ok) throw new Error('compile');
      const mod = await importModule<TrainModule>(generate(doc, { train: config }).code);
      const generated = mod.createModel();
      generated.setWeights(app.compiled.model.getWeights());
      // One batch holding the whole (8-image) set: the same step on both sides.
      await trainModel(app.compiled.model, data, config);
      const xs = tfc.tensor4d(data.train.images, [8, 6, 6, 3]);
      const ys = tfc.tensor1d(data.train.labels);
      await mod.train(generated, xs, ys);
      const ours = app.compiled.model.getWeights().map((w) => [...w.dataSync()]);
      const theirs = generated.getWeights().map((w) => [...w.dataSync()]);
      ours.forEach((w, i) => w.forEach((v, j) => expect(theirs[i]![j]).toBeCloseTo(v, 5)));
      tfc.dispose([xs, ys]);
    },
  );

  it.each(['sgd', 'adam', 'adamw'] as const)(
    'trains one epoch with %s: finite loss, new weights',
    async (optimizer) => {
      const mod = await importModule<TrainModule>(
        generate(tiny(), {
          train: { ...defaultTrainConfig, optimizer, weightDecay: optimizer === 'adamw' ? 0.01 : 0 },
        }).code,
      );
      const model = mod.createModel();
      const xs = tfc.randomNormal([12, 8, 8, 1], 0, 1, 'float32', 5);
      const ys = tfc.tensor1d([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2]);
      const before = model.getWeights().map((w) => w.dataSync().slice());
      const history = await mod.train(model, xs, ys, { epochs: 1, batchSize: 4 });
      const loss = history.history['loss']![0] as number;
      expect(Number.isFinite(loss)).toBe(true);
      const after = model.getWeights().map((w) => w.dataSync());
      const changed = before.filter((w, i) => w.some((v, j) => v !== after[i]![j]));
      expect(changed.length).toBeGreaterThan(0);
      tfc.dispose([xs, ys]);
      model.dispose();
    },
  );
});
