/**
 * Every node kind says how a saved layer becomes it (nodes/, `fromKeras`), and the importer reads
 * only those declarations: a new kind cannot be left out of import without saying so, and each
 * declaration reads back exactly the layers its own kind realises.
 */
import fc from 'fast-check';
import type * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { nodeKinds } from '../../nodes';
import type { AnyNodeDef, KerasImport } from '../../nodes/define';
import { compileGraph } from '../../src/compile/compile';
import { GraphBuilder } from '../../src/core/builder';
import type { GraphDocument } from '../../src/core/document';
import { formatDocError } from '../../src/core/issues';
import { importModel } from '../../src/import';
import { gatherReaders, importableClasses } from '../../src/import/readers';
import { paramsArbitrary } from './support/arbitraries';
import { withCpuBackend } from './support/tf';

withCpuBackend();

/** Kinds no single layer becomes, each with the reason it gives. */
const MADE_BY_PASSES = ['output'];

describe('import declarations', () => {
  it('every kind declares the layer classes it reads, or why none', () => {
    for (const def of nodeKinds) {
      if ('none' in def.fromKeras) {
        expect(MADE_BY_PASSES, def.kind).toContain(def.kind);
        expect(def.fromKeras.none.length).toBeGreaterThan(20);
      } else expect(def.fromKeras.classNames.length, def.kind).toBeGreaterThan(0);
    }
  });

  it('the importable classes are exactly those the kinds declare', () => {
    const declared = nodeKinds.flatMap((d) => ('classNames' in d.fromKeras ? d.fromKeras.classNames : []));
    expect([...importableClasses].sort()).toEqual([...new Set(declared)].sort());
  });

  it('a kind added to the registry is read with no other change', () => {
    const extra = {
      ...nodeKinds.find((d) => d.kind === 'dropout')!,
      fromKeras: {
        classNames: ['SpatialDropout2D'],
        read: ({ config }) => [{ kind: 'dropout', params: { rate: config['rate'] } }],
      } satisfies KerasImport,
    } as AnyNodeDef;
    const readers = gatherReaders([...nodeKinds, extra]);
    expect(readers.get('SpatialDropout2D')?.fallback).toEqual([extra.fromKeras]);
  });

  it('each class has one kind that reads it unconditionally; the others say when they apply', () => {
    for (const [className, { guarded, fallback }] of gatherReaders(nodeKinds)) {
      expect(fallback, className).toHaveLength(1);
      for (const g of guarded) expect(g.when, className).toBeTypeOf('function');
    }
  });
});

/**
 * input (h×w×c) -> [flatten, when the kind needs a vector] -> the node (merges read the input
 * twice) -> [flatten] -> output: the smallest model a graph compiles with the node in it.
 */
function singleNode(def: AnyNodeDef, shape: readonly number[], params: Record<string, unknown>) {
  const g = new GraphBuilder('one');
  let x = g.node('input', { height: shape[0]!, width: shape[1]!, channels: shape[2]! });
  let into = shape;
  const image = def.infer([shape, shape], params as never);
  if (!image.ok && /flat vector/.test(image.error)) {
    x = g.node('flatten', {}, x);
    into = [shape.reduce((n, d) => n * d, 1)];
  }
  const inputs = def.inputs.min >= 2 ? [x, x] : [x];
  const y = g.node(def.kind, params as Record<string, number | string | boolean>, inputs);
  const made = def.infer(
    inputs.map(() => into),
    params as never,
  );
  const out = made.ok && made.shape.length === 1 ? y : g.node('flatten', {}, y);
  g.node('output', { classes: 3 }, out);
  return g.build();
}

/** The kind's params; tfjs cannot combine a stride with a dilation, so one of them is often 1. */
const paramsFor = (def: AnyNodeDef) =>
  fc
    .tuple(paramsArbitrary(def), fc.constantFrom('stride', 'dilation'))
    .map(([p, one]) => ('stride' in p && 'dilation' in p ? { ...p, [one]: 1 } : p));

const topologyOf = (doc: GraphDocument): { model: tfl.LayersModel; json: unknown } | undefined => {
  const compiled = compileGraph(doc);
  if (!compiled.ok) return undefined;
  const model = compiled.compiled.model;
  return { model, json: model.toJSON(null, false) };
};

describe.each(
  nodeKinds.filter((d) => 'classNames' in d.fromKeras && d.kind !== 'input').map((d) => [d.kind, d] as const),
)('node kind %s', (_kind, def) => {
  it('reads back from its own saved layers as a graph that builds the same model', () => {
    let checked = 0;
    fc.assert(
      fc.property(
        fc.tuple(
          fc.integer({ min: 1, max: 9 }),
          fc.integer({ min: 1, max: 9 }),
          fc.integer({ min: 1, max: 4 }),
        ),
        paramsFor(def),
        (shape, params) => {
          const doc = singleNode(def, shape, params);
          const saved = topologyOf(doc);
          // Settings this input cannot take are the shape checks' business, not the importer's.
          if (saved === undefined) return;
          checked++;
          const imported = importModel({ modelTopology: saved.json });
          if (!imported.ok) expect.fail(imported.errors.map(formatDocError).join('\n'));
          const again = topologyOf(imported.doc);
          expect(again?.json).toEqual(saved.json);
          saved.model.dispose();
          again?.model.dispose();
        },
      ),
      { numRuns: 40, seed: 20260501 + def.kind.length },
    );
    expect(checked).toBeGreaterThan(3);
  });
});
