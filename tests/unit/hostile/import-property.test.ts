/**
 * Whatever JSON a model.json holds, importing it gives a valid graph or located errors: it never
 * throws. From any JSON at all, to files shaped like saved models with every field wrong in turn.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadGraph } from '../../../src/core/load';
import type { ImportResult } from '../../../src/import';
import { importModel } from '../../../src/import';

/** A located refusal or a graph the loader accepts as it is. */
function expectAnswer(result: ImportResult): void {
  if (result.ok) {
    expect(loadGraph(result.doc).ok).toBe(true);
    return;
  }
  expect(result.errors.length).toBeGreaterThan(0);
  for (const e of result.errors) {
    expect(typeof e.path).toBe('string');
    expect(e.message.length).toBeGreaterThan(0);
  }
}

const anyJson = fc.jsonValue({ maxDepth: 4 });
/** Mostly `good`, now and then any JSON at all in its place. */
const mostly = <T>(good: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 12, arbitrary: good }, { weight: 1, arbitrary: anyJson });

/** Configs each class reads, with values that are often right. */
const configs: Readonly<Record<string, fc.Arbitrary<Record<string, unknown>>>> = {
  Conv2D: fc.record({
    filters: fc.constantFrom(2, 4, 5000),
    kernel_size: fc.constantFrom(1, 3, [3, 3], [1, 3]),
    strides: fc.constantFrom(1, 2),
    padding: fc.constantFrom('same', 'valid', 'causal'),
    activation: fc.constantFrom('relu', 'linear', 'softmax', 'selu'),
  }),
  Dense: fc.record({
    units: fc.constantFrom(3, 9000),
    activation: fc.constantFrom('linear', 'softmax', 'relu'),
  }),
  MaxPooling2D: fc.record({
    pool_size: fc.constantFrom(1, 2, [2, 3]),
    padding: fc.constantFrom('valid', 'same'),
  }),
  BatchNormalization: fc.record({
    momentum: fc.constantFrom(0.9, 2),
    epsilon: fc.constant(0.001),
    axis: fc.constantFrom(-1, 1),
  }),
  Activation: fc.record({ activation: fc.constantFrom('relu', 'linear', 'softmax', 'swish') }),
  Padding2D: fc.record({
    padding: fc.constantFrom(
      [
        [1, 1],
        [1, 1],
      ],
      [
        [0, 1],
        [0, 1],
      ],
      1,
      [1],
    ),
    mode: fc.constantFrom('reflect', 'replicate', 'zero', 'nope'),
  }),
  Softmax: fc.constant({}),
  Add: fc.constant({}),
  Concatenate: fc.constantFrom({}, { axis: 1 }),
  Flatten: fc.constantFrom({}, { data_format: 'channels_first' }),
  GlobalAveragePooling2D: fc.constantFrom({}, { keepdims: true }),
  Dropout: fc.record({ rate: fc.constantFrom(0.5, 2) }),
  Conv3D: fc.constant({}),
  toString: fc.constant({}),
};
const classNames = Object.keys(configs);
const FLOWS = ['Add', 'Concatenate'];

/** A functional model of a few layers, each reading earlier ones, with any field now and then wrong. */
const modelish = fc
  .array(
    fc.constantFrom(...classNames).chain((className) =>
      fc.record({
        className: mostly(fc.constant(className)),
        config: mostly(configs[className]!),
        from: fc.array(fc.nat(), { minLength: FLOWS.includes(className) ? 2 : 1, maxLength: 2 }),
        keras3: fc.boolean(),
      }),
    ),
    { maxLength: 6 },
  )
  .chain((layers) => {
    const names = ['in', ...layers.map((_, i) => `l${i}`)];
    const saved = layers.map((l, i) => {
      const inputs = l.from.map((f) => names[f % (i + 1)]!);
      const inbound = l.keras3
        ? [
            {
              args: inputs.map((n) => ({
                class_name: '__keras_tensor__',
                config: { keras_history: [n, 0, 0] },
              })),
            },
          ]
        : [inputs.map((n) => [n, 0, 0, {}])];
      return { class_name: l.className, name: names[i + 1], config: l.config, inbound_nodes: inbound };
    });
    const input = {
      class_name: 'InputLayer',
      name: 'in',
      config: { batch_input_shape: [null, 6, 6, 2] },
      inbound_nodes: [],
    };
    return fc.record({
      modelTopology: mostly(
        fc.record({
          class_name: mostly(fc.constantFrom('Model', 'Functional')),
          config: mostly(
            fc.record({
              name: mostly(fc.string()),
              layers: mostly(fc.constant([input, ...saved])),
              input_layers: mostly(fc.constant([['in', 0, 0]])),
              output_layers: mostly(fc.constant([[names.at(-1), 0, 0]])),
            }),
          ),
        }),
      ),
      weightsManifest: mostly(
        fc.array(
          fc.record({
            paths: mostly(fc.constant(['w.bin'])),
            weights: mostly(
              fc.array(
                fc.record({
                  name: mostly(fc.constantFrom('l0/kernel', 'l0/bias', 'other/kernel')),
                  shape: mostly(fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 4 })),
                  dtype: mostly(fc.constantFrom('float32', 'float16', 'constructor')),
                }),
                { maxLength: 3 },
              ),
            ),
          }),
          { maxLength: 2 },
        ),
      ),
    });
  });
/** Sometimes no weights files at all; otherwise one of up to 64 bytes. */
const bins = fc
  .option(fc.uint8Array({ maxLength: 64 }), { nil: undefined })
  .map((bytes) => new Map(bytes === undefined ? [] : [['w.bin', bytes.slice().buffer]]));

describe('importing any JSON', () => {
  it('never throws, for any JSON value at all', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (json) => expectAnswer(importModel(json))),
      { numRuns: 500, seed: 10 },
    );
  });

  it('never throws, for files shaped like saved models with any field wrong', () => {
    const outcomes = new Map<string, number>();
    fc.assert(
      fc.property(modelish, bins, (json, files) => {
        const result = importModel(json, files);
        expectAnswer(result);
        const outcome = !result.ok ? 'refused' : result.weights === null ? 'graph' : 'graph and weights';
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }),
      { numRuns: 1500, seed: 11 },
    );
    // The generator must also reach the end of the import, or this would test only early refusals.
    expect(outcomes.get('graph')).toBeGreaterThan(10);
    expect(outcomes.get('graph and weights')).toBeGreaterThan(10);
  });
});
