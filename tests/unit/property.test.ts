/**
 * Random graphs through load, analysis and compilation. Nothing may throw, and for every valid graph
 * the shapes inference promised are the shapes the real tfjs model produces, node by node.
 */
import fc from 'fast-check';
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { getNodeDef, nodeKinds } from '../../nodes';
import type { AnyNodeDef, ParamValuesLoose } from '../../nodes/define';
import { compileGraph } from '../../src/compile/compile';
import { analyzeGraph } from '../../src/core/analyze';
import type { GraphDocument } from '../../src/core/document';
import { SCHEMA_VERSION, handleId } from '../../src/core/document';
import { loadGraph, serializeGraph } from '../../src/core/load';
import { paramsArbitrary } from './support/arbitraries';
import { withCpuBackend } from './support/tf';

withCpuBackend();

const RUNS = 1000;
const layerKinds = nodeKinds.filter((d) => d.kind !== 'input' && d.kind !== 'output');
const weight = (d: AnyNodeDef): number =>
  ['conv', 'stride2', 'padding', 'maxpool', 'avgpool', 'batchnorm', 'activation', 'add'].includes(d.kind)
    ? 3
    : 1;

interface Step {
  readonly def: AnyNodeDef;
  readonly params: ParamValuesLoose;
  /** How far back each input reaches: 0 is the node just before. */
  readonly back: readonly number[];
}

const stepArbitrary: fc.Arbitrary<Step> = fc
  .oneof(...layerKinds.map((def) => ({ weight: weight(def), arbitrary: fc.constant(def) })))
  .chain((def) =>
    fc.record({
      def: fc.constant(def),
      params: paramsArbitrary(def),
      back: fc.array(fc.nat(3), { minLength: def.inputs.min, maxLength: Math.min(def.inputs.max, 3) }),
    }),
  );

/** A random layered network: input, random steps wired to recent nodes, usually a pool and an output. */
const networkArbitrary: fc.Arbitrary<GraphDocument> = fc
  .record({
    input: paramsArbitrary(getNodeDef('input')!),
    steps: fc.array(stepArbitrary, { minLength: 1, maxLength: 8 }),
    head: fc.constantFrom('gap', 'flatten', 'gmp', 'none'),
    output: paramsArbitrary(getNodeDef('output')!),
  })
  .map(({ input, steps, head, output }) => {
    const nodes: GraphDocument['nodes'][number][] = [];
    const edges: GraphDocument['edges'][number][] = [];
    const add = (kind: string, params: ParamValuesLoose, sources: readonly string[]) => {
      const id = `n${nodes.length}`;
      nodes.push({ id, kind, params, position: { x: 0, y: nodes.length * 100 } });
      sources.forEach((source, slot) =>
        edges.push({ id: `e${edges.length}`, source, target: id, targetHandle: handleId(slot) }),
      );
      return id;
    };
    let last = add('input', input, []);
    for (const step of steps) {
      const sources = step.back.map((b) => `n${Math.max(0, nodes.length - 1 - b)}`);
      last = add(step.def.kind, step.params, sources);
    }
    if (head !== 'none') last = add(head, {}, [last]);
    add('output', output, [last]);
    return { schemaVersion: SCHEMA_VERSION, name: 'random', nodes, edges };
  });

describe('random networks', () => {
  it(`never throw, and every valid one compiles to a model with the inferred shapes (${RUNS} graphs)`, () => {
    let valid = 0;
    fc.assert(
      fc.property(networkArbitrary, (generated) => {
        const loaded = loadGraph(JSON.parse(serializeGraph(generated)));
        expect(loaded.ok).toBe(true);
        if (!loaded.ok) return;
        const analysis = analyzeGraph(loaded.doc);
        for (const node of loaded.doc.nodes) expect(analysis.nodes.has(node.id)).toBe(true);
        const result = compileGraph(loaded.doc, analysis);
        expect(result.ok).toBe(analysis.valid);
        if (!result.ok) {
          expect(result.errors.length).toBeGreaterThan(0);
          for (const e of result.errors) expect(e.message).not.toMatch(/TensorFlow\.js could not/);
          return;
        }
        valid++;
        const { model, nodes } = result.compiled;
        const ids = [...nodes.keys()];
        const probe = tfl.model({ inputs: model.inputs, outputs: ids.map((id) => nodes.get(id)!.output) });
        const shapes = tfc.tidy(() => {
          const x = tfc.randomNormal([2, ...(model.inputs[0]!.shape.slice(1) as number[])]);
          const out = probe.predict(x);
          return (Array.isArray(out) ? out : [out]).map((t) => t.shape.slice(1));
        });
        ids.forEach((id, i) => {
          const inferred = analysis.nodes.get(id);
          expect(inferred?.status).toBe('ok');
          if (inferred?.status !== 'ok') return;
          expect(nodes.get(id)!.output.shape.slice(1), `symbolic shape of ${id}`).toEqual([
            ...inferred.shape,
          ]);
          expect(shapes[i], `computed shape of ${id}`).toEqual([...inferred.shape]);
        });
        expect(model.countParams()).toBe(analysis.totals.trainable + analysis.totals.nonTrainable);
        model.dispose();
      }),
      { numRuns: RUNS, seed: 424242 },
    );
    // A generator that rarely builds a valid graph would make the shape check vacuous.
    expect(valid).toBeGreaterThan(RUNS / 10);
  });
});

/** Documents with valid kinds and params but arbitrary wiring: loops, gaps, doubled inputs. */
const tangleArbitrary: fc.Arbitrary<GraphDocument> = fc
  .array(
    fc
      .constantFrom(...nodeKinds)
      .chain((def) => fc.record({ kind: fc.constant(def.kind), params: paramsArbitrary(def) })),
    { minLength: 0, maxLength: 7 },
  )
  .chain((specs) =>
    fc.array(fc.tuple(fc.nat(8), fc.nat(8), fc.nat(3)), { maxLength: 12 }).map((links) => ({
      schemaVersion: SCHEMA_VERSION,
      name: 'tangle',
      nodes: specs.map((s, i) => ({ id: `n${i}`, kind: s.kind, params: s.params, position: { x: i, y: i } })),
      edges: links
        .filter(([a, b]) => a < specs.length && b < specs.length)
        .map(([a, b, slot], i) => ({
          id: `e${i}`,
          source: `n${a}`,
          target: `n${b}`,
          targetHandle: handleId(slot),
        })),
    })),
  );

describe('arbitrary documents', () => {
  it(`never make analysis, loading or compilation throw (${RUNS} tangles)`, () => {
    fc.assert(
      fc.property(tangleArbitrary, (doc) => {
        const analysis = analyzeGraph(doc);
        expect(analysis.nodes.size).toBe(doc.nodes.length);
        for (const r of analysis.nodes.values())
          if (r.status !== 'ok') expect(r.message).not.toMatch(/Internal error/);
        const loaded = loadGraph(doc);
        if (loaded.ok) {
          const result = compileGraph(loaded.doc);
          if (result.ok) result.compiled.model.dispose();
          else expect(result.errors.length).toBeGreaterThan(0);
        } else expect(loaded.errors.length).toBeGreaterThan(0);
      }),
      { numRuns: RUNS, seed: 99 },
    );
  });

  it('never make the loader throw on any JSON value or text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.string(), fc.json()), (value) => {
        const result = loadGraph(value);
        if (!result.ok) expect(result.errors[0]!.message.length).toBeGreaterThan(0);
      }),
      { numRuns: RUNS, seed: 5 },
    );
  });
});
