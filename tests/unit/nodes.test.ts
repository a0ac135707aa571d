import fc from 'fast-check';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { nodeKinds } from '../../nodes';
import type { AnyNodeDef, ParamValuesLoose } from '../../nodes/define';
import { defaultParams } from '../../nodes/params';
import type { Shape } from '../../nodes/shape';
import { createLayer } from '../../src/compile/layer-factory';
import { checkParams } from '../../src/core/params';
import { paramsArbitrary, shapeArbitrary } from './support/arbitraries';
import { countWeights, runOnZeros } from './support/model';
import { withCpuBackend } from './support/tf';

withCpuBackend();

/** Input shapes for a kind: merge nodes get 2-3 inputs, often of one shape so they can succeed. */
function inputsArbitrary(def: AnyNodeDef): fc.Arbitrary<Shape[]> {
  if (def.inputs.max === 0) return fc.constant([]);
  if (def.inputs.max === 1) return shapeArbitrary.map((s) => [s]);
  return fc.oneof(
    fc
      .tuple(shapeArbitrary, fc.integer({ min: 2, max: 3 }))
      .map(([s, n]) => Array.from({ length: n }, () => s)),
    fc
      .tuple(shapeArbitrary, fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 2 }))
      .map(([s, channels]) => [s, ...channels.map((c) => [...s.slice(0, -1), c])]),
    fc.array(shapeArbitrary, { minLength: 2, maxLength: 3 }),
  );
}

/** Builds the node's own layers on fresh inputs, exactly as the compiler does. */
function buildNode(def: AnyNodeDef, shapes: readonly Shape[], params: ParamValuesLoose) {
  const inputs = shapes.map((s) => tfl.input({ shape: [...s] }));
  let output: tfl.SymbolicTensor | undefined;
  const layers: tfl.layers.Layer[] = [];
  for (const spec of def.layers(shapes, params)) {
    if (spec.layer === 'input') {
      output = tfl.input({ shape: [...(spec.config['shape'] as number[])] });
      inputs.push(output);
      continue;
    }
    const layer = createLayer('node', spec);
    layers.push(layer);
    output = layer.apply(output ?? (inputs.length === 1 ? inputs[0]! : inputs)) as tfl.SymbolicTensor;
  }
  return { model: tfl.model({ inputs, outputs: output! }), layers };
}

describe.each(nodeKinds.map((d) => [d.kind, d] as const))('node kind %s', (_kind, def) => {
  it('declares its contract: words, defaults within range, a short form', () => {
    expect(def.label.length).toBeGreaterThan(0);
    expect(def.summary.length).toBeGreaterThan(10);
    expect(def.doc.length).toBeGreaterThan(def.summary.length);
    expect(def.inputs.min).toBeLessThanOrEqual(def.inputs.max);
    const defaults = defaultParams(def.params) as ParamValuesLoose;
    expect(checkParams(def, defaults)).toEqual({ ok: true, values: defaults });
    expect(typeof def.short(defaults)).toBe('string');
    for (const spec of Object.values(def.params)) expect(spec.help.length).toBeGreaterThan(5);
  });

  it('infers the shape and weight counts of the real tfjs layers', () => {
    let built = 0;
    fc.assert(
      fc.property(inputsArbitrary(def), paramsArbitrary(def), (shapes, params) => {
        const inferred = def.infer(shapes, params);
        if (!inferred.ok) {
          expect(inferred.error.length).toBeGreaterThan(10);
          return;
        }
        built++;
        const { model, layers } = buildNode(def, shapes, params);
        try {
          expect(model.outputs[0]!.shape.slice(1)).toEqual([...inferred.shape]);
          expect(runOnZeros(model)[0]).toEqual([...inferred.shape]);
          const stats = def.stats(shapes, inferred.shape, params);
          expect(stats.trainable).toBe(countWeights(layers.flatMap((l) => l.trainableWeights)));
          expect(stats.nonTrainable).toBe(countWeights(layers.flatMap((l) => l.nonTrainableWeights)));
          expect(stats.flops).toBeGreaterThanOrEqual(0);
        } finally {
          model.dispose();
        }
      }),
      { numRuns: 60, seed: 20261128 + def.kind.length },
    );
    // The generators must reach the success path, or this test would check nothing.
    expect(built).toBeGreaterThan(5);
  });

  it('rejects out-of-range and unknown params with a named problem, never an exception', () => {
    for (const [key, spec] of Object.entries(def.params)) {
      const bad =
        spec.type === 'int' || spec.type === 'autoInt' || spec.type === 'float'
          ? spec.max + 1
          : spec.type === 'choice'
            ? 'no-such-option'
            : 'yes';
      const check = checkParams(def, { [key]: bad });
      expect(check.ok).toBe(false);
      if (!check.ok) expect(check.problems[0]).toMatchObject({ key, message: expect.stringMatching(/must/) });
    }
    const unknown = checkParams(def, { notAParam: 1 });
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.problems[0]?.message).toMatch(/is not a parameter of/);
  });
});
