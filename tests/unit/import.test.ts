/**
 * Opening saved layers models: what tfjs `model.save` writes (including ConvCanvas' own exports)
 * comes back as the graph it was made from, with its weights; anything else is refused with where.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { getNodeDef } from '../../nodes';
import { compileGraph } from '../../src/compile/compile';
import { Padding2D } from '../../src/compile/padding-layer';
import { loadSavedWeights } from '../../src/compile/weights';
import { analyzeGraph } from '../../src/core/analyze';
import { GraphBuilder } from '../../src/core/builder';
import type { GraphDocument } from '../../src/core/document';
import { formatDocError } from '../../src/core/issues';
import { loadGraph } from '../../src/core/load';
import type { ImportedModel, PickedFile } from '../../src/import';
import { importModel, openFiles } from '../../src/import';
import { templates } from '../../templates';
import { smallInput } from './support/graphs';
import { withCpuBackend } from './support/tf';

withCpuBackend();

interface SavedFiles {
  readonly json: unknown;
  readonly bin: ArrayBuffer;
}

/** What tfjs writes for `model.save('downloads://model')`: model.json (parsed again, as a file would be) and one .bin. */
async function save(model: tfl.LayersModel): Promise<SavedFiles> {
  let artifacts: tfc.io.ModelArtifacts | undefined;
  await model.save(
    tfc.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const a = artifacts!;
  const parts = Array.isArray(a.weightData) ? a.weightData : [a.weightData!];
  const bin = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    bin.set(new Uint8Array(p), at);
    at += p.byteLength;
  }
  const json = {
    modelTopology: a.modelTopology,
    format: a.format,
    generatedBy: a.generatedBy,
    convertedBy: a.convertedBy,
    weightsManifest: [{ paths: ['./group1-shard1of1.bin'], weights: a.weightSpecs }],
  };
  return { json: JSON.parse(JSON.stringify(json)), bin: bin.buffer };
}

function open(files: SavedFiles, withWeights = true): ImportedModel {
  const result = importModel(
    files.json,
    withWeights ? new Map([['group1-shard1of1.bin', files.bin]]) : new Map(),
  );
  if (!result.ok) throw new Error(result.errors.map(formatDocError).join('\n'));
  return result;
}

function template(name: string): GraphDocument {
  const loaded = loadGraph(templates.find((t) => t.name === name)!.document);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.doc;
}

function compile(doc: GraphDocument): tfl.LayersModel {
  const result = compileGraph(doc);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.compiled.model;
}

/** Kinds, params and links: what the graph means, without positions or labels. */
function meaning(doc: GraphDocument) {
  return {
    nodes: doc.nodes
      .map((n) => ({ id: n.id, kind: n.kind, params: n.params }))
      .sort((a, b) => (a.id < b.id ? -1 : 1)),
    edges: doc.edges.map((e) => `${e.source} -> ${e.target}:${e.targetHandle}`).sort(),
  };
}

/**
 * Kinds and links, and for params the layers each node compiles to: equal for graphs that build the
 * same model. (A stride-2 conv saved with 2C filters comes back as "auto", which is the same layer.)
 */
function realisation(doc: GraphDocument) {
  const analysis = analyzeGraph(doc);
  return meaning({
    ...doc,
    nodes: doc.nodes.map((n) => {
      const shapes = (analysis.index.incoming.get(n.id) ?? []).map((e) => {
        const r = analysis.nodes.get(e.source);
        return r?.status === 'ok' ? r.shape : [];
      });
      return { ...n, params: { layers: JSON.stringify(getNodeDef(n.kind)!.layers(shapes, n.params)) } };
    }),
  });
}

function maxAbsDiff(a: tfl.LayersModel, b: tfl.LayersModel): number {
  return tfc.tidy(() => {
    const x = tfc.randomNormal([2, ...(a.inputs[0]!.shape.slice(1) as number[])], 0, 1, 'float32', 11);
    return tfc.max(tfc.abs(tfc.sub(a.predict(x) as tfc.Tensor, b.predict(x) as tfc.Tensor))).dataSync()[0]!;
  });
}

/** Every padding mode as a node and as a convolution border. */
function paddingGraph(): GraphDocument {
  const g = new GraphBuilder('borders');
  let x = g.node('input', { height: 9, width: 8, channels: 2 });
  for (const mode of ['zero', 'reflect', 'symmetric', 'circular', 'replicate'])
    x = g.node('padding', { top: 1, bottom: 2, left: 2, right: 0, mode }, x);
  for (const padding of ['same-reflect', 'same-symmetric', 'same-circular', 'valid'])
    x = g.node('conv', { filters: 4, kernel: 3, padding, activation: 'tanh' }, x);
  x = g.node('stride2', { padding: 'same-reflect' }, x);
  x = g.node('flatten', {}, x);
  x = g.node('dropout', { rate: 0.3 }, x);
  x = g.node('dense', { units: 7, activation: 'sigmoid', bias: false }, x);
  g.node('output', { classes: 3 }, x);
  return g.build();
}

async function expectRoundTrip(doc: GraphDocument): Promise<void> {
  const original = compile(doc);
  const files = await save(original);
  const imported = open(files);
  expect(realisation(imported.doc)).toEqual(realisation(doc));
  expect(imported.notes).toEqual([]);
  const again = compile(imported.doc);
  expect(again.countParams()).toBe(original.countParams());
  const report = loadSavedWeights(again, imported.weights!);
  expect(report.missing).toEqual([]);
  expect(report.mismatched).toEqual([]);
  expect(maxAbsDiff(original, again)).toBeLessThan(1e-6);
  original.dispose();
  again.dispose();
}

describe('export, then import', () => {
  it.each(templates.map((t) => t.name))('gives back %s with its weights', async (name) => {
    const doc = template(name);
    const big = doc.nodes.some((n) => n.kind === 'input' && Number(n.params['height']) > 64);
    if (big) {
      // The full-size graph from its topology; the weights round trip on the same network at 32×32.
      const model = compile(doc);
      const topology = importModel({ modelTopology: model.toJSON(null, false) });
      model.dispose();
      if (!topology.ok) throw new Error(topology.errors.map(formatDocError).join('\n'));
      expect(realisation(topology.doc)).toEqual(realisation(doc));
      expect(topology.weights).toBeNull();
    }
    await expectRoundTrip(big ? smallInput(doc) : doc);
  });

  it('folds padding layers made for a convolution back into its border, every mode kept', async () => {
    await expectRoundTrip(paddingGraph());
  });

  it('lays the graph out, so no two nodes sit on each other', async () => {
    const files = await save(compile(template('resnet-20')));
    const { doc } = open(files, false);
    const spots = new Set(doc.nodes.map((n) => `${n.position.x},${n.position.y}`));
    expect(spots.size).toBe(doc.nodes.length);
  });
});

describe('a model saved by tfjs itself', () => {
  /** A Keras-style network written with tf.layers, with tfjs' own layer names. */
  function kerasStyle(): tfl.LayersModel {
    const input = tfl.input({ shape: [16, 16, 3] });
    const apply = (layer: tfl.layers.Layer, x: tfl.SymbolicTensor | tfl.SymbolicTensor[]) =>
      layer.apply(x) as tfl.SymbolicTensor;
    let x = apply(
      tfl.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }),
      input,
    );
    const skip = x;
    x = apply(tfl.layers.batchNormalization({ epsilon: 1e-5, momentum: 0.9 }), x);
    x = apply(tfl.layers.reLU(), x);
    x = apply(
      new Padding2D({
        padding: [
          [1, 1],
          [1, 1],
        ],
        mode: 'symmetric',
      }),
      x,
    );
    x = apply(tfl.layers.conv2d({ filters: 8, kernelSize: 3, useBias: false }), x);
    x = apply(tfl.layers.add(), [x, skip]);
    x = apply(tfl.layers.maxPooling2d({ poolSize: 2 }), x);
    const a = apply(tfl.layers.conv2d({ filters: 6, kernelSize: 1, activation: 'softmax' }), x);
    x = apply(tfl.layers.concatenate(), [a, x]);
    x = apply(tfl.layers.zeroPadding2d({ padding: [1, 2] }), x);
    x = apply(tfl.layers.conv2d({ filters: 28, kernelSize: 3, strides: 2, dilationRate: 1 }), x);
    x = apply(tfl.layers.leakyReLU({ alpha: 0.1 }), x);
    x = apply(tfl.layers.averagePooling2d({ poolSize: 2, strides: 1, padding: 'same' }), x);
    x = apply(tfl.layers.globalMaxPooling2d({}), x);
    x = apply(tfl.layers.dropout({ rate: 0.2 }), x);
    x = apply(tfl.layers.dense({ units: 16, activation: 'elu' }), x);
    x = apply(tfl.layers.dense({ units: 4 }), x);
    x = apply(tfl.layers.activation({ activation: 'softmax' }), x);
    return tfl.model({ inputs: input, outputs: x });
  }

  it('becomes a graph whose compiled model, given the saved weights, predicts the same', async () => {
    const original = kerasStyle();
    // Trained-looking weights rather than the initial ones: BN statistics away from 0 and 1.
    original.setWeights(
      original.getWeights().map((w, i) => tfc.add(tfc.randomUniform(w.shape, 0.5, 1.5, 'float32', i), 0)),
    );
    const imported = open(await save(original));
    const kinds = imported.doc.nodes.map((n) => n.kind);
    expect(kinds).toEqual([
      'input',
      'conv',
      'batchnorm',
      'activation',
      'conv',
      'add',
      'maxpool',
      'conv',
      'activation',
      'concat',
      'padding',
      'stride2',
      'activation',
      'avgpool',
      'gmp',
      'dropout',
      'dense',
      'output',
    ]);
    const symmetric = imported.doc.nodes[4]!;
    expect(symmetric.params['padding']).toBe('same-symmetric');
    expect(imported.doc.nodes[10]!.params).toMatchObject({
      top: 1,
      bottom: 1,
      left: 2,
      right: 2,
      mode: 'zero',
    });
    expect(analyzeGraph(imported.doc).valid).toBe(true);
    const again = compile(imported.doc);
    expect(again.countParams()).toBe(original.countParams());
    expect(loadSavedWeights(again, imported.weights!)).toMatchObject({ missing: [], mismatched: [] });
    expect(maxAbsDiff(original, again)).toBeLessThan(1e-5);
  });

  it('opens a Sequential model whose first layer carries the input shape', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.conv2d({ inputShape: [12, 12, 1], filters: 4, kernelSize: 5, activation: 'relu' }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    const imported = open(await save(model));
    expect(
      imported.doc.nodes.map((n) => [
        n.kind,
        n.params['height'] ?? n.params['kernel'] ?? n.params['classes'] ?? null,
      ]),
    ).toEqual([
      ['input', 12],
      ['conv', 5],
      ['flatten', null],
      ['output', 3],
    ]);
    const again = compile(imported.doc);
    loadSavedWeights(again, imported.weights!);
    expect(maxAbsDiff(model, again)).toBeLessThan(1e-6);
  });
});

describe('Keras 3 files', () => {
  const tensor = (name: string) => ({
    class_name: '__keras_tensor__',
    config: { keras_history: [name, 0, 0] },
  });
  const layer = (class_name: string, name: string, config: object, inputs: string[]) => ({
    module: 'keras.layers',
    class_name,
    name,
    config: { name, ...config },
    inbound_nodes:
      inputs.length === 0
        ? []
        : [{ args: inputs.length === 1 ? [tensor(inputs[0]!)] : [inputs.map(tensor)], kwargs: {} }],
  });

  it('reads the converter layout (modelTopology.model_config) and Keras 3 inbound nodes', () => {
    const json = {
      format: 'layers-model',
      modelTopology: {
        keras_version: '3.5.0',
        model_config: {
          class_name: 'Functional',
          config: {
            name: 'keras_net',
            layers: [
              layer('InputLayer', 'input_layer', { batch_shape: [null, 28, 28, 1] }, []),
              layer(
                'Conv2D',
                'conv2d',
                {
                  filters: 8,
                  kernel_size: [3, 3],
                  strides: [1, 1],
                  padding: 'same',
                  activation: 'relu',
                  use_bias: true,
                },
                ['input_layer'],
              ),
              layer(
                'Conv2D',
                'conv2d_1',
                { filters: 8, kernel_size: [3, 3], padding: 'same', activation: 'linear' },
                ['conv2d'],
              ),
              layer('Add', 'add', {}, ['conv2d', 'conv2d_1']),
              layer('GlobalAveragePooling2D', 'gap', { keepdims: false }, ['add']),
              layer('Dense', 'predictions', { units: 10, activation: 'softmax' }, ['gap']),
            ],
            input_layers: ['input_layer', 0, 0],
            output_layers: ['predictions', 0, 0],
          },
        },
      },
    };
    const result = importModel(json);
    if (!result.ok) throw new Error(result.errors.map(formatDocError).join('\n'));
    expect(result.doc.name).toBe('keras_net');
    expect(meaning(result.doc).edges).toEqual([
      'add -> gap:in0',
      'conv2d -> add:in0',
      'conv2d -> conv2d_1:in0',
      'conv2d_1 -> add:in1',
      'gap -> predictions:in0',
      'input_layer -> conv2d:in0',
    ]);
    expect(result.doc.nodes.at(-1)).toMatchObject({
      id: 'predictions',
      kind: 'output',
      params: { classes: 10 },
    });
  });
});

describe('files that cannot be opened', () => {
  const model = (layers: object[]) => ({
    modelTopology: {
      class_name: 'Model',
      config: {
        name: 'm',
        layers,
        input_layers: [['in', 0, 0]],
        output_layers: [[(layers.at(-1) as { name: string }).name, 0, 0]],
      },
    },
  });
  const l = (class_name: string, name: string, config: object, input?: string) => ({
    class_name,
    name,
    config: { name, ...config },
    inbound_nodes: input === undefined ? [] : [[[input, 0, 0, {}]]],
  });
  const errors = (json: unknown) => {
    const r = importModel(json);
    return r.ok ? [] : r.errors.map(formatDocError);
  };

  it('names an unsupported layer, where it is and what is supported', () => {
    const json = model([
      l('InputLayer', 'in', { batch_input_shape: [null, 8, 8, 1] }),
      l('Conv2D', 'c', { filters: 4, kernel_size: [3, 3] }, 'in'),
      l('Dense', 'd', { units: 4 }, 'c'),
      l('Conv3D', 'foo', { filters: 2 }, 'd'),
    ]);
    const found = errors(json);
    expect(found).toEqual([
      expect.stringMatching(
        /^layer 'foo' \(layers\[3\]\): Conv3D is not supported\. Supported layers: InputLayer, Conv2D,/,
      ),
    ]);
    expect(errors(model([l('InputLayer', 'in', { batch_input_shape: [null, 8, 8, 8, 1] })]))).toEqual([
      "layer 'in' (layers[0]): the input shape is [8, 8, 8, 1]; ConvCanvas needs images of a fixed height × width × channels",
    ]);
  });

  it('refuses a model with two outputs, saying where', () => {
    const json = model([
      l('InputLayer', 'in', { batch_input_shape: [null, 8, 8, 1] }),
      l('Conv2D', 'a', { filters: 4, kernel_size: [3, 3] }, 'in'),
      l('Conv2D', 'b', { filters: 4, kernel_size: [3, 3] }, 'in'),
    ]);
    (json.modelTopology.config as { output_layers: unknown[] }).output_layers = [
      ['a', 0, 0],
      ['b', 0, 0],
    ];
    expect(errors(json)).toEqual(['(output_layers): the model has 2 outputs; a ConvCanvas graph has one']);
  });

  it('names settings a node cannot hold', () => {
    const json = model([
      l('InputLayer', 'in', { batch_input_shape: [null, 8, 8, 1] }),
      l('Conv2D', 'wide', { filters: 4, kernel_size: [1, 7] }, 'in'),
      l('DepthwiseConv2D', 'dw', { kernel_size: [3, 3] }, 'in'),
      l('Conv2D', 'many', { filters: 5000, kernel_size: 3 }, 'in'),
      l('Conv2D', 'act', { filters: 4, kernel_size: 3, activation: 'selu' }, 'in'),
    ]);
    expect(errors(json)).toEqual([
      "layer 'wide' (layers[1]): a kernel of 1×7 differs between height and width; only square ones can be shown",
      expect.stringMatching(
        /^layer 'dw' \(layers\[2\]\): DepthwiseConv2D is not supported: ConvCanvas has no depthwise/,
      ),
      "layer 'many' (layers[3]): filters must be a whole number from 1 to 2048",
      "layer 'act' (layers[4]): the selu activation is not one ConvCanvas has",
    ]);
  });

  it('refuses malformed JSON, a graph model and missing weights files, located like the graph loader', async () => {
    const file = (name: string, content: string | ArrayBuffer): PickedFile => ({
      name,
      text: async () => (typeof content === 'string' ? content : ''),
      arrayBuffer: async () =>
        typeof content === 'string' ? new TextEncoder().encode(content).buffer : content,
    });
    const broken = await openFiles([file('model.json', '{"modelTopology": {"class_name": "Model", ')]);
    expect(broken).toMatchObject({ kind: 'error', source: 'model.json' });
    if (broken.kind === 'error')
      expect(formatDocError(broken.errors[0]!)).toMatch(/^\(\(file\)\): the file ends too early at line 1/);

    const graphModel = await openFiles([
      file('model.json', JSON.stringify({ format: 'graph-model', modelTopology: {} })),
    ]);
    if (graphModel.kind === 'error') expect(graphModel.errors[0]!.message).toMatch(/graph model/);
    else expect.fail('a graph model was opened');

    const saved = await save(compile(template('starter-cnn')));
    const text = JSON.stringify(saved.json);
    const noBin = await openFiles([file('model.json', text)]);
    expect(noBin).toMatchObject({ kind: 'model', weights: null });
    if (noBin.kind === 'model')
      expect(noBin.notes.join(' ')).toMatch(/select the \.bin files together with model\.json/);
    const withBin = await openFiles([file('model.json', text), file('group1-shard1of1.bin', saved.bin)]);
    expect(withBin.kind).toBe('model');
    const shortBin = await openFiles([
      file('model.json', text),
      file('group1-shard1of1.bin', saved.bin.slice(0, 1000)),
    ]);
    if (shortBin.kind === 'error')
      expect(formatDocError(shortBin.errors[0]!)).toMatch(
        /^\(weightsManifest\[0\]\.weights\[\d+\]\): ".*" needs \d+ bytes/,
      );
    else expect.fail('a short weights file was accepted');
    const wrongBin = await openFiles([file('model.json', text), file('other.bin', saved.bin)]);
    if (wrongBin.kind === 'error')
      expect(formatDocError(wrongBin.errors[0]!)).toBe(
        '(weightsManifest[0].paths[0]): the weights file "./group1-shard1of1.bin" was not among the selected files: select it together with model.json',
      );
    else expect.fail('a model with the wrong weights file was accepted');
    const graph = await openFiles([file('g.json', JSON.stringify(template('tiny-vgg')))]);
    expect(graph.kind).toBe('graph');
    const two = await openFiles([file('a.json', '{}'), file('b.json', '{}')]);
    expect(two.kind).toBe('error');
  });
});
