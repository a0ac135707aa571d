/**
 * The importer's passes, each on its own: what a pair of saved layers folds back into, and the
 * neighbouring cases it must leave alone.
 */
import { describe, expect, it } from 'vitest';
import { convertLayers } from '../../src/import/convert';
import type { DraftGraph } from '../../src/import/drafts';
import type { Pass } from '../../src/import/passes';
import { foldPaddingIntoConv, foldSoftmaxDenseIntoOutput, modelFacts } from '../../src/import/passes';
import { readTopology } from '../../src/import/topology';

const layer = (class_name: string, name: string, config: object, inputs: readonly string[]) => ({
  class_name,
  name,
  config: { name, ...config },
  inbound_nodes: inputs.length === 0 ? [] : [inputs.map((i) => [i, 0, 0, {}])],
});

/** The model's layers read into drafts, before and after `pass`, as kind(params) <- inputs lines. */
function run(pass: Pass, layers: readonly object[], output: string, inputShape = [8, 8, 2]) {
  const topology = readTopology({
    modelTopology: {
      class_name: 'Model',
      config: {
        name: 'm',
        layers: [layer('InputLayer', 'in', { batch_input_shape: [null, ...inputShape] }, []), ...layers],
        input_layers: [['in', 0, 0]],
        output_layers: [[output, 0, 0]],
      },
    },
  });
  if (!topology.ok) throw new Error(JSON.stringify(topology.errors));
  const read = convertLayers(topology.model);
  expect(read.errors).toEqual([]);
  const show = (g: DraftGraph) =>
    [...g.drafts.values()].map((d) => {
      const from = d.inputs.map((i) => g.drafts.get(i)!.layer.name + (g.drafts.get(i)!.suffix ?? ''));
      return `${d.layer.name}: ${d.kind} ${JSON.stringify(d.params)} <- ${from.join(', ')}`;
    });
  const after = pass(read.graph, modelFacts(topology.model));
  return { before: show(read.graph), after: show(after), graph: after };
}

const mirror = (name: string, pads: number[][], mode: string, from: string) =>
  layer('Padding2D', name, { padding: pads, mode }, [from]);
const valid = (name: string, from: string, extra: object = {}) =>
  layer('Conv2D', name, { filters: 3, kernel_size: 3, padding: 'valid', ...extra }, [from]);
const flatten = (from: string) => layer('Flatten', 'f', {}, [from]);

describe('foldPaddingIntoConv', () => {
  it('makes a mirror padding of exactly the same-padding amounts and its valid conv one bordered conv', () => {
    const ones = [
      [1, 1],
      [1, 1],
    ];
    for (const mode of ['reflect', 'symmetric', 'circular']) {
      const { after, graph } = run(
        foldPaddingIntoConv,
        [mirror('p', ones, mode, 'in'), valid('c', 'p'), flatten('c')],
        'f',
      );
      expect(after).toEqual([
        'in: input {"height":8,"width":8,"channels":2} <- ',
        `c: conv {"filters":3,"kernel":3,"stride":1,"dilation":1,"padding":"same-${mode}","bias":true,"trainable":true,"activation":"linear"} <- in`,
        'f: flatten {} <- c',
      ]);
      expect(graph.outputOf.get('f')).toBeDefined();
    }
  });

  it('folds into a stride-2 node too, with TensorFlow’s uneven same padding (the odd row after)', () => {
    const pads = [
      [0, 1],
      [0, 1],
    ];
    const { after } = run(
      foldPaddingIntoConv,
      [mirror('p', pads, 'reflect', 'in'), valid('s', 'p', { filters: 4, strides: 2 }), flatten('s')],
      'f',
    );
    expect(after[1]).toBe(
      's: stride2 {"filters":"auto","kernel":3,"padding":"same-reflect","bias":true,"trainable":true,"activation":"linear"} <- in',
    );
  });

  it('leaves pairs that are not a same border as they are', () => {
    const ones = [
      [1, 1],
      [1, 1],
    ];
    const cases: [string, object[]][] = [
      [
        'pads other than same padding',
        [mirror('p', ones, 'reflect', 'in'), valid('c', 'p', { kernel_size: 5 })],
      ],
      ['a mode no border has', [mirror('p', ones, 'replicate', 'in'), valid('c', 'p')]],
      ['zero padding', [layer('ZeroPadding2D', 'p', { padding: ones }, ['in']), valid('c', 'p')]],
      ['a same conv after it', [mirror('p', ones, 'reflect', 'in'), valid('c', 'p', { padding: 'same' })]],
      [
        'a pool after it',
        [mirror('p', ones, 'reflect', 'in'), layer('MaxPooling2D', 'c', { pool_size: 3, strides: 1 }, ['p'])],
      ],
      [
        'padding that another layer reads too',
        [mirror('p', ones, 'reflect', 'in'), valid('c', 'p'), layer('GlobalMaxPooling2D', 'g', {}, ['p'])],
      ],
    ];
    for (const [why, layers] of cases) {
      const { before, after } = run(foldPaddingIntoConv, [...layers, flatten('c')], 'f');
      expect(after, why).toEqual(before);
    }
  });
});

describe('foldSoftmaxDenseIntoOutput', () => {
  const head = [layer('GlobalAveragePooling2D', 'gap', {}, ['in'])];

  it('makes a final Dense with softmax an Output node, kept under the Dense layer’s name', () => {
    const { before, after } = run(
      foldSoftmaxDenseIntoOutput,
      [...head, layer('Dense', 'scores', { units: 5, activation: 'softmax' }, ['gap'])],
      'scores',
    );
    // Read, a Dense with softmax is a linear Dense and a softmax Activation: the pass joins them.
    expect(before.slice(2)).toEqual([
      'scores: dense {"units":5,"bias":true,"activation":"linear"} <- gap',
      'scores: activation {"fn":"softmax"} <- scores',
    ]);
    expect(after.slice(2)).toEqual(['scores: output {"classes":5} <- gap']);
  });

  it('makes a final linear Dense and Softmax (or Activation softmax) layer one Output node', () => {
    for (const softmax of [
      layer('Softmax', 'probs', {}, ['scores']),
      layer('Activation', 'probs', { activation: 'softmax' }, ['scores']),
    ]) {
      const { after, graph } = run(
        foldSoftmaxDenseIntoOutput,
        [...head, layer('Dense', 'scores', { units: 5 }, ['gap']), softmax],
        'probs',
      );
      expect(after.slice(2)).toEqual(['scores: output {"classes":5} <- gap']);
      expect(graph.drafts.get(graph.outputOf.get('probs')!)!.kind).toBe('output');
    }
  });

  it('leaves a softmax that is not the model’s end, a Dense without bias, and a Dense read elsewhere', () => {
    const cases: [string, object[], string][] = [
      [
        'not the end',
        [
          ...head,
          layer('Dense', 'scores', { units: 5, activation: 'softmax' }, ['gap']),
          layer('Dense', 'more', { units: 2 }, ['scores']),
        ],
        'more',
      ],
      [
        'no bias',
        [...head, layer('Dense', 'scores', { units: 5, activation: 'softmax', use_bias: false }, ['gap'])],
        'scores',
      ],
      [
        'scores read by another layer',
        [
          ...head,
          layer('Dense', 'scores', { units: 5 }, ['gap']),
          layer('Softmax', 'probs', {}, ['scores']),
          layer('Dense', 'side', { units: 2 }, ['scores']),
        ],
        'probs',
      ],
      [
        'a Dense with its own activation',
        [
          ...head,
          layer('Dense', 'scores', { units: 5, activation: 'relu' }, ['gap']),
          layer('Softmax', 'probs', {}, ['scores']),
        ],
        'probs',
      ],
    ];
    for (const [why, layers, output] of cases) {
      const { before, after } = run(foldSoftmaxDenseIntoOutput, layers, output);
      expect(after, why).toEqual(before);
    }
  });
});
