import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../src/core/builder';
import type { GraphDocument } from '../../src/core/document';
import { formatDocError } from '../../src/core/issues';
import { loadGraph, serializeGraph } from '../../src/core/load';
import type { Migration } from '../../src/core/migrations';
import { migrate } from '../../src/core/migrations';

function starter(): GraphDocument {
  const g = new GraphBuilder('doc');
  const x = g.node('input', {}, [], { id: 'image' });
  const c = g.node('conv', { filters: 8 }, x, { id: 'conv' });
  const p = g.node('gap', {}, c, { id: 'pool' });
  g.node('output', {}, p, { id: 'out' });
  return g.build();
}

/** A deep copy as plain JSON, free to break. */
const raw = (): Record<string, unknown> & {
  nodes: Record<string, unknown>[];
  edges: Record<string, unknown>[];
} => JSON.parse(serializeGraph(starter()));

function errorsOf(input: unknown) {
  const result = loadGraph(input);
  if (result.ok) throw new Error('expected the document to be refused');
  return result.errors;
}

describe('loading graph documents', () => {
  it('round-trips: serialize then load gives the same document', () => {
    const doc = starter();
    const loaded = loadGraph(serializeGraph(doc));
    expect(loaded).toEqual({ ok: true, doc, upgrades: [] });
  });

  it('fills in missing params with their defaults', () => {
    const r = raw();
    r.nodes[1]!['params'] = { filters: 8 };
    const loaded = loadGraph(r);
    expect(loaded.ok && loaded.doc.nodes[1]!.params).toMatchObject({
      filters: 8,
      kernel: 3,
      padding: 'same',
    });
  });

  it('says a truncated file is truncated, with the place', () => {
    const text = serializeGraph(starter());
    const [e] = errorsOf(text.slice(0, 200));
    expect(e!.path).toBe('(file)');
    expect(e!.message).toMatch(/^the file ends too early at line \d+, column \d+: it looks truncated$/);
  });

  it('locates invalid JSON by line and column', () => {
    const [e] = errorsOf('{\n  "schemaVersion": 1,\n  "name": oops\n}');
    expect(e!.message).toBe('this is not valid JSON at line 3, column 11: unexpected character');
  });

  it('names the node and field of a wrong type', () => {
    const r = raw();
    r.nodes[1]!['position'] = { x: 'left', y: 0 };
    const [e] = errorsOf(r);
    expect(e).toMatchObject({ path: 'nodes[1].position.x', nodeId: 'conv', message: 'must be a number' });
    expect(formatDocError(e!)).toBe("node 'conv' (nodes[1].position.x): must be a number");
  });

  it('refuses an unknown node kind, naming it', () => {
    const r = raw();
    r.nodes[2]!['kind'] = 'transformer';
    expect(errorsOf(r)).toContainEqual({
      path: 'nodes[2].kind',
      nodeId: 'pool',
      message: '"transformer" is not a known node kind',
    });
  });

  it('refuses out-of-range and unknown params, naming the field', () => {
    const r = raw();
    r.nodes[1]!['params'] = { filters: -4, colour: 'red' };
    const errors = errorsOf(r);
    expect(errors).toContainEqual({
      path: 'nodes[1].params.filters',
      nodeId: 'conv',
      message: 'must be a whole number from 1 to 2048',
    });
    expect(errors.find((e) => e.path === 'nodes[1].params.colour')?.message).toMatch(
      /not a parameter of Convolution/,
    );
  });

  it('refuses a cycle, naming the nodes on it', () => {
    // A merge node is the only place a loop can close without filling an input twice.
    const g = new GraphBuilder('loop');
    const x = g.node('input', {}, [], { id: 'image' });
    const a = g.node('conv', {}, x, { id: 'a' });
    const s = g.node('add', {}, [a, x], { id: 'sum' });
    g.node('output', {}, s, { id: 'out' });
    const doc = JSON.parse(serializeGraph(g.build()));
    doc.edges = doc.edges.filter((e: { target: string; source: string }) => !(e.target === 'a'));
    doc.edges.push({ id: 'loop', source: 'sum', target: 'a', targetHandle: 'in0' });
    const [e] = errorsOf(doc);
    expect(e!.message).toMatch(/loop through "a" → "sum"|loop through "sum" → "a"/);
  });

  it('refuses links to missing nodes, to a full input, or into a node that takes none', () => {
    const r = raw();
    r.edges.push({ id: 'ghost', source: 'nobody', target: 'conv', targetHandle: 'in0' });
    r.edges.push({ id: 'second', source: 'image', target: 'pool', targetHandle: 'in1' });
    r.edges.push({ id: 'into-input', source: 'conv', target: 'image', targetHandle: 'in0' });
    const errors = errorsOf(r);
    expect(errors).toContainEqual({
      path: 'edges[3].source',
      edgeId: 'ghost',
      message: 'there is no node "nobody" to start from',
    });
    expect(errors).toContainEqual(
      expect.objectContaining({ edgeId: 'ghost', message: 'input in0 of "conv" already has a link' }),
    );
    expect(errors).toContainEqual(
      expect.objectContaining({
        edgeId: 'second',
        message: expect.stringMatching(/one input \(in0\), not in1/),
      }),
    );
    expect(errors).toContainEqual(
      expect.objectContaining({ edgeId: 'into-input', message: expect.stringMatching(/takes no inputs/) }),
    );
  });

  it('refuses duplicate ids and unsafe ids', () => {
    const r = raw();
    r.nodes[2]!['id'] = 'conv';
    expect(errorsOf(r)).toContainEqual(
      expect.objectContaining({ path: 'nodes[2].id', message: 'this id is used by another node' }),
    );
    const s = raw();
    s.nodes[0]!['id'] = '<img src=x onerror=alert(1)>';
    expect(errorsOf(s)[0]!.path).toBe('nodes[0].id');
  });

  it('refuses what is not a graph object at all', () => {
    expect(errorsOf('[1,2,3]')[0]!.message).toMatch(/one JSON object/);
    expect(errorsOf(null)[0]!.message).toMatch(/one JSON object/);
    expect(errorsOf({ name: 'x' })[0]!.path).toBe('schemaVersion');
  });

  it('refuses a file from a newer version instead of guessing', () => {
    const r = raw();
    r['schemaVersion'] = 99;
    expect(errorsOf(r)[0]!.message).toMatch(/newer ConvCanvas/);
  });

  it('keeps labels as plain text', () => {
    const r = raw();
    r.nodes[1]!['label'] = '<script>alert(1)</script>';
    const loaded = loadGraph(r);
    expect(loaded.ok && loaded.doc.nodes[1]!.label).toBe('<script>alert(1)</script>');
  });
});

describe('migrations', () => {
  const renameEdges: Migration = {
    from: 1,
    describe: 'links were called wires',
    up: ({ wires, ...rest }) => ({ ...rest, edges: wires }),
  };

  it('upgrade one version at a time and report what they did', () => {
    const result = migrate({ schemaVersion: 1, wires: [] }, [renameEdges], 2);
    expect(result).toEqual({
      ok: true,
      doc: { schemaVersion: 2, edges: [] },
      applied: ['links were called wires'],
    });
  });

  it('stop with a message when a step is missing', () => {
    expect(migrate({ schemaVersion: 1 }, [], 3)).toEqual({
      ok: false,
      message: 'no upgrade from format version 1 is known',
    });
  });
});
