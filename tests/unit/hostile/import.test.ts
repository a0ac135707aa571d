/**
 * Model files and graph documents made to hurt: prototype-named keys, sizes the files cannot
 * back, layers that loop, reuse a name or nest without end. Each is refused with where and why,
 * and nothing else changes: the input is left as it was and no prototype gains a property.
 */
import { describe, expect, it } from 'vitest';
import { formatDocError } from '../../../src/core/issues';
import { loadGraph } from '../../../src/core/load';
import { importModel } from '../../../src/import';
import { MAX_WEIGHT_TENSORS, MAX_WEIGHT_VALUES } from '../../../src/model-files/reader';
import { templates } from '../../../templates';

const PROTOTYPE_NAMES = ['constructor', 'toString', '__proto__', 'valueOf', 'hasOwnProperty'];

const layer = (class_name: string, name: string, config: object, inputs: readonly string[]) => ({
  class_name,
  name,
  config: { name, ...config },
  inbound_nodes: inputs.length === 0 ? [] : [inputs.map((i) => [i, 0, 0, {}])],
});
const input = layer('InputLayer', 'in', { batch_input_shape: [null, 8, 8, 1] }, []);

function functional(layers: readonly object[], output: string): Record<string, unknown> {
  return {
    modelTopology: {
      class_name: 'Model',
      config: { name: 'm', layers, input_layers: [['in', 0, 0]], output_layers: [[output, 0, 0]] },
    },
  };
}

/** A tiny valid model: input, one 1×1 conv with 2 filters (2 + 2 weights), flatten. */
function tinyModel(weights: readonly object[], paths: readonly string[] = ['./w.bin']) {
  return {
    ...functional(
      [input, layer('Conv2D', 'c', { filters: 2, kernel_size: 1 }, ['in']), layer('Flatten', 'f', {}, ['c'])],
      'f',
    ),
    weightsManifest: [{ paths, weights }],
  };
}
const tinyWeights = [
  { name: 'c/kernel', shape: [1, 1, 1, 2], dtype: 'float32' },
  { name: 'c/bias', shape: [2], dtype: 'float32' },
];
const sixteenBytes = new Map([['w.bin', new Float32Array([1, 2, 3, 4]).buffer]]);

/** Every value in `v`, walked without recursion (the probes nest deeper than the stack allows). */
function fingerprint(v: unknown): string {
  const parts: string[] = [];
  const stack: unknown[] = [v];
  while (stack.length > 0) {
    const x = stack.pop();
    if (Array.isArray(x)) {
      parts.push(`[${x.length}`);
      stack.push(...x);
    } else if (typeof x === 'object' && x !== null) {
      const keys = Object.keys(x);
      parts.push(`{${keys.join(',')}`);
      stack.push(...keys.map((k) => (x as Record<string, unknown>)[k]));
    } else parts.push(JSON.stringify(x) ?? 'undefined');
  }
  return parts.join(' ');
}

/**
 * The import's refusal, as formatted messages, after checking that the input was not changed and
 * that no prototype gained a property on the way.
 */
function refusal(json: unknown, files: ReadonlyMap<string, ArrayBuffer> = new Map()): string[] {
  const before = fingerprint(json);
  const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).join();
  const result = importModel(json, files);
  expect(fingerprint(json)).toBe(before);
  expect(Object.getOwnPropertyNames(Object.prototype).join()).toBe(prototypeKeys);
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  if (result.ok) expect.fail(`was imported: ${result.doc.nodes.map((n) => n.id).join(', ')}`);
  return result.errors.map(formatDocError);
}

describe('a weights manifest', () => {
  it('reads the tiny model it is built on (the probes below change one thing each)', () => {
    const result = importModel(tinyModel(tinyWeights), sixteenBytes);
    if (!result.ok) expect.fail(result.errors.map(formatDocError).join('\n'));
    expect([...result.weights!.keys()]).toEqual(['c/kernel', 'c/bias']);
    expect([...result.weights!.get('c/bias')!.values]).toEqual([3, 4]);
  });

  it.each(PROTOTYPE_NAMES)('refuses values of type %s before reading anything', (dtype) => {
    // Claims a million values from 16 bytes: with an inherited "size" the byte check was skipped.
    const json = tinyModel([{ name: 'c/kernel', shape: [1000, 1000], dtype }, tinyWeights[1]!]);
    expect(refusal(json, sixteenBytes)).toEqual([
      `(weightsManifest[0].weights[0]): values of type ${dtype} cannot be read`,
    ]);
  });

  it.each(PROTOTYPE_NAMES)('refuses a quantization of type %s', (dtype) => {
    const json = tinyModel([
      { name: 'c/kernel', shape: [1000, 1000], dtype: 'float32', quantization: { dtype, scale: 1 } },
      tinyWeights[1]!,
    ]);
    expect(refusal(json, sixteenBytes)).toEqual([
      `(weightsManifest[0].weights[0]): values of type ${dtype} cannot be read`,
    ]);
  });

  it('refuses a gigantic claimed shape from a tiny file, naming the limit', () => {
    const json = tinyModel([{ name: 'c/kernel', shape: [2 ** 20, 2 ** 20, 2 ** 10], dtype: 'float32' }]);
    expect(refusal(json, sixteenBytes)).toEqual([
      `(weightsManifest[0].weights[0]): the weights hold more than ${MAX_WEIGHT_VALUES} values in all (1 GiB as float32), more than ConvCanvas opens`,
    ]);
  });

  it('refuses one file named again and again (it used to be copied once per mention)', () => {
    const json = tinyModel(
      tinyWeights,
      Array.from({ length: 1000 }, () => './w.bin'),
    );
    const errors = refusal(json, sixteenBytes);
    expect(errors[0]).toBe(
      '(weightsManifest[0].paths[1]): the weights file "w.bin" is already named at weightsManifest[0].paths[0]: each file holds one part of the weights',
    );
    // Every further mention is refused too, but the list is cut short with a count.
    expect(errors).toHaveLength(51);
    expect(errors.at(-1)).toBe('((file)): 949 more problems are not listed');
  });

  it('refuses more weight tensors than any graph has, before looking at them', () => {
    const many = Array.from({ length: MAX_WEIGHT_TENSORS + 1 }, (_, i) => ({ name: `w${i}`, shape: [0] }));
    expect(refusal(tinyModel(many), sixteenBytes)).toEqual([
      `(weightsManifest): lists ${MAX_WEIGHT_TENSORS + 1} weights; ConvCanvas opens models of at most ${MAX_WEIGHT_TENSORS}`,
    ]);
  });
});

describe('a graph document', () => {
  const starter = templates.find((t) => t.name === 'starter-cnn')!.document;

  it.each(PROTOTYPE_NAMES)('refuses a parameter named %s, where it is', (key) => {
    const doc = JSON.parse(JSON.stringify(starter)) as { nodes: { id: string; kind: string }[] };
    const at = doc.nodes.findIndex((n) => n.kind === 'conv');
    // Through the text, as a file or share link brings it: JSON.parse makes "__proto__" an own key.
    const text = JSON.stringify(doc).replace(
      `"id":"${doc.nodes[at]!.id}","kind":"conv","params":{`,
      `"id":"${doc.nodes[at]!.id}","kind":"conv","params":{"${key}":1,`,
    );
    expect(text).toContain(`"${key}":1`);
    const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).join();
    const loaded = loadGraph(text);
    expect(Object.getOwnPropertyNames(Object.prototype).join()).toBe(prototypeKeys);
    if (loaded.ok) expect.fail(`a parameter named ${key} was accepted`);
    expect(loaded.errors.map(formatDocError)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^node '${doc.nodes[at]!.id}' \\(nodes\\[${at}\\]\\.params\\.${key}\\): is not a parameter of Convolution \\(it has filters,`,
        ),
      ),
    ]);
  });
});

describe('Keras layers that no graph can be', () => {
  const conv = (name: string, from: string) => layer('Conv2D', name, { filters: 1, kernel_size: 1 }, [from]);

  it('refuses two layers that feed each other, naming them', () => {
    const json = functional([input, conv('a', 'b'), conv('b', 'a'), layer('Flatten', 'f', {}, ['b'])], 'f');
    expect(refusal(json)).toEqual([
      `layer 'a' (layers[1].inbound_nodes): the layers form a loop through "a" → "b" → "a" (1 more layer depends on a loop): data must flow one way, from the input to the output`,
    ]);
  });

  it('names a few layers of a long loop and counts them', () => {
    const n = 9000;
    const loop = Array.from({ length: n }, (_, i) => conv(`l${i}`, `l${(i + n - 1) % n}`));
    const [error, ...rest] = refusal(functional([input, ...loop], 'l0'));
    expect(rest).toEqual([]);
    expect(error).toBe(
      `layer 'l0' (layers[1].inbound_nodes): the layers form a loop through 9000 layers: "l0" → "l1" → "l2" → "l3" → "l4" → …: data must flow one way, from the input to the output`,
    );
  });

  it('refuses a layer that reads itself', () => {
    const json = functional(
      [input, layer('Add', 'a', {}, ['in', 'a']), layer('Flatten', 'f', {}, ['a'])],
      'f',
    );
    expect(refusal(json)).toEqual([
      "layer 'a' (layers[1].inbound_nodes): takes its own output as its input: data must flow one way, from the input to the output",
    ]);
  });

  it('refuses two layers of one name, in a functional model and a Sequential one', () => {
    const json = functional([input, conv('c', 'in'), conv('c', 'c'), layer('Flatten', 'f', {}, ['c'])], 'f');
    expect(refusal(json)).toEqual([
      "layer 'c' (layers[2]): has the same name as layers[1]: each layer of a model needs its own name",
    ]);
    const sequential = {
      modelTopology: {
        class_name: 'Sequential',
        config: { name: 's', layers: [input, conv('c', ''), conv('c', ''), layer('Flatten', 'f', {}, [])] },
      },
    };
    expect(refusal(sequential)).toEqual([
      "layer 'c' (layers[2]): has the same name as layers[1]: each layer of a model needs its own name",
    ]);
  });

  it('locates the first few reused names and counts the rest', () => {
    const layers = [input, ...Array.from({ length: 20 }, (_, i) => conv(`c${i % 2}`, 'in'))];
    const errors = refusal(functional(layers, 'c0'));
    expect(errors).toHaveLength(6);
    expect(errors[0]).toBe(
      "layer 'c0' (layers[3]): has the same name as layers[1]: each layer of a model needs its own name",
    );
    expect(errors[5]).toBe('(modelTopology.config.layers): 13 more layers share a name with another layer');
  });

  it('refuses more layers than a graph may hold, before reading them', () => {
    const layers = [
      input,
      ...Array.from({ length: 10_000 }, (_, i) => conv(`c${i}`, i === 0 ? 'in' : `c${i - 1}`)),
    ];
    expect(refusal(functional(layers, 'c9999'))).toEqual([
      '(modelTopology.config.layers): the model has 10001 layers; ConvCanvas opens models of at most 10000',
    ]);
  });
});

describe('nesting without end inside a model.json', () => {
  const deep = (depth: number, inner: unknown): unknown => {
    let v = inner;
    for (let i = 0; i < depth; i++) v = [v];
    return v;
  };

  it('refuses Keras 3 inbound arguments nested 100,000 deep, where they are', () => {
    const json = functional(
      [
        input,
        {
          class_name: 'Flatten',
          name: 'f',
          config: { name: 'f' },
          inbound_nodes: [{ args: deep(100_000, {}) }],
        },
      ],
      'f',
    );
    expect(refusal(json)).toEqual([
      "layer 'f' (layers[1].inbound_nodes): is not in a format ConvCanvas knows",
    ]);
  });

  it('refuses a model class name nested 100,000 deep', () => {
    expect(refusal({ modelTopology: { class_name: deep(100_000, 'Model'), config: {} } })).toEqual([
      '(modelTopology.class_name): must be Model, Functional or Sequential, not a long or nested list',
    ]);
  });

  it('refuses a kernel size nested 100,000 deep, naming the layer', () => {
    const json = functional(
      [input, layer('Conv2D', 'c', { filters: 1, kernel_size: [deep(100_000, 3), 3] }, ['in'])],
      'c',
    );
    expect(refusal(json)).toEqual([
      "layer 'c' (layers[1]): a kernel of a long or nested list×3 differs between height and width; only square ones can be shown",
    ]);
  });

  it('refuses a dtype nested 100,000 deep', () => {
    const json = tinyModel([{ name: 'c/kernel', shape: [1, 1, 1, 2], dtype: deep(100_000, 'float32') }]);
    expect(refusal(json, sixteenBytes)).toEqual([
      '(weightsManifest[0].weights[0]): values of type a long or nested list cannot be read',
    ]);
  });
});
