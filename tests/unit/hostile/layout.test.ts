import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GraphDocument, GraphEdge, GraphNode } from '../../../src/core/document';
import { SCHEMA_VERSION } from '../../../src/core/document';
import { layoutPositions, NODE_HEIGHT, NODE_WIDTH } from '../../../src/core/layout';
import { createEditorStore } from '../../../src/store/store';
import { residualTower } from '../../../bench/graphs';

const PROTOTYPE_NAMES = [
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'isPrototypeOf',
];

/** A document straight from untrusted data: no loader has checked the ids. */
function rawChain(ids: readonly string[], label?: (id: string) => string): GraphDocument {
  const nodes: GraphNode[] = ids.map((id, i) => ({
    id,
    kind: i === 0 ? 'input' : i === ids.length - 1 ? 'output' : 'activation',
    ...(label === undefined ? {} : { label: label(id) }),
    params: {},
    position: { x: 0, y: 0 },
  }));
  const edges: GraphEdge[] = ids.slice(1).map((id, i) => ({
    id: `${ids[i]}->${id}`,
    source: ids[i]!,
    target: id,
    targetHandle: 'in0',
  }));
  return { schemaVersion: SCHEMA_VERSION, name: 'raw', nodes, edges };
}

/** No two node boxes overlap. */
function overlapping(doc: GraphDocument, positions: ReadonlyMap<string, { x: number; y: number }>): string[] {
  const seen = new Map<string, string>();
  const clashes: string[] = [];
  for (const n of doc.nodes) {
    const p = positions.get(n.id)!;
    // Positions sit on a grid of node-sized cells, so equal cells are the only way to overlap.
    const cell = `${Math.floor(p.x / NODE_WIDTH)},${Math.floor(p.y / NODE_HEIGHT)}`;
    if (seen.has(cell)) clashes.push(`${seen.get(cell)} and ${n.id}`);
    seen.set(cell, n.id);
  }
  return clashes;
}

function expectLayered(doc: GraphDocument, positions: ReadonlyMap<string, { x: number; y: number }>): void {
  expect(positions.size).toBe(doc.nodes.length);
  for (const n of doc.nodes) {
    const p = positions.get(n.id);
    expect(p, n.id).toBeDefined();
    expect(Number.isFinite(p!.x) && Number.isFinite(p!.y)).toBe(true);
  }
  // Every link points down the page: a layered drawing.
  const bad = doc.edges.filter((e) => positions.get(e.target)!.y <= positions.get(e.source)!.y);
  expect(bad).toEqual([]);
  expect(overlapping(doc, positions)).toEqual([]);
}

describe('layout never throws and places every node', () => {
  it.each(PROTOTYPE_NAMES)('lays out a node whose id is "%s"', (name) => {
    const doc = rawChain(['image', name, 'b', 'classes'], (id) => id);
    expectLayered(doc, layoutPositions(doc));
  });

  it('lays out a graph made only of Object.prototype names, and a normal graph after it', () => {
    const hostile = rawChain(PROTOTYPE_NAMES, (id) => id);
    expectLayered(hostile, layoutPositions(hostile));
    // A library that kept state in plain objects would be poisoned for every later layout.
    const plain = rawChain(['a1', 'a2', 'a3', 'a4']);
    expectLayered(plain, layoutPositions(plain));
  });

  it('Tidy up in the editor moves nodes named after Object.prototype members', () => {
    const doc = rawChain(PROTOTYPE_NAMES);
    const store = createEditorStore(doc);
    store.getState().autoLayout();
    const ys = store.getState().doc.nodes.map((n) => n.position.y);
    expect(ys).toEqual([...ys].sort((a, b) => a - b));
    expect(new Set(ys).size).toBe(PROTOTYPE_NAMES.length);
  });

  it('lays out a chain of 2,000 nodes as one straight column', () => {
    const doc = rawChain(Array.from({ length: 2000 }, (_, i) => `n${i}`));
    const positions = layoutPositions(doc);
    expectLayered(doc, positions);
    expect(new Set([...positions.values()].map((p) => p.x))).toEqual(new Set([0]));
  });

  it('lays out a 10,000-node residual network with its main path in one column', () => {
    const doc = residualTower(10_000);
    expect(doc.nodes.length).toBeGreaterThanOrEqual(10_000);
    const positions = layoutPositions(doc);
    expectLayered(doc, positions);
    // Every add's first input (the block's last batch norm) sits straight above it.
    const adds = doc.nodes.filter((n) => n.kind === 'add');
    for (const add of adds) {
      const main = doc.edges.find((e) => e.target === add.id && e.targetHandle === 'in0')!;
      expect(positions.get(main.source)!.x).toBe(positions.get(add.id)!.x);
    }
  });

  it('lays out 10,000 unlinked nodes and a wide fan-out', () => {
    const loose = rawChain(Array.from({ length: 10_000 }, (_, i) => `n${i}`));
    const unlinked = { ...loose, edges: [] };
    const positions = layoutPositions(unlinked);
    expect(positions.size).toBe(10_000);
    expect(overlapping(unlinked, positions)).toEqual([]);
  });

  it('left to right: links point right', () => {
    const doc = residualTower(60);
    const positions = layoutPositions(doc, 'right');
    expect(doc.edges.filter((e) => positions.get(e.target)!.x <= positions.get(e.source)!.x)).toEqual([]);
    expect(overlapping(doc, positions)).toEqual([]);
  });

  it('survives loops, self-links, links to missing nodes and repeated ids', () => {
    const base = rawChain(['a', 'b', 'c', 'd']);
    const doc: GraphDocument = {
      ...base,
      nodes: [...base.nodes, { ...base.nodes[1]! }],
      edges: [
        ...base.edges,
        { id: 'loop', source: 'd', target: 'b', targetHandle: 'in1' },
        { id: 'self', source: 'c', target: 'c', targetHandle: 'in1' },
        { id: 'ghost', source: 'nowhere', target: 'a', targetHandle: 'in0' },
      ],
    };
    const positions = layoutPositions(doc);
    for (const id of ['a', 'b', 'c', 'd']) expect(positions.get(id)).toBeDefined();
  });

  it('never throws on arbitrary ids and links', () => {
    const id = fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES), fc.string({ maxLength: 12 }));
    fc.assert(
      fc.property(
        fc.uniqueArray(id, { minLength: 1, maxLength: 40 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat(3)), { maxLength: 80 }),
        (ids, links) => {
          const base = rawChain(ids);
          const doc: GraphDocument = {
            ...base,
            edges: links.map(([s, t, slot], i) => ({
              id: `e${i}`,
              source: ids[s % ids.length]!,
              target: ids[t % ids.length]!,
              targetHandle: `in${slot}`,
            })),
          };
          const positions = layoutPositions(doc);
          return ids.every((n) => positions.has(n));
        },
      ),
      { numRuns: 300 },
    );
  });
});
