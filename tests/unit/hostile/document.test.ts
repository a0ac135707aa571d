/**
 * Hostile graph documents: nesting that overflows a recursive parser, text too long to be a graph,
 * blank-padded broken JSON, graphs over the node cap and loops through thousands of nodes. Each is
 * refused with where and why, after bounded work, and the editor's graph stays as it was.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../src/core/builder';
import type { GraphDocument } from '../../../src/core/document';
import { parseJson, squeezeBlanks, tooDeepAt } from '../../../src/core/json';
import { MAX_JSON_CHARS, MAX_JSON_DEPTH, MAX_LINKS, MAX_NODES } from '../../../src/core/limits';
import { loadGraph, serializeGraph } from '../../../src/core/load';
import { analyzeGraph } from '../../../src/core/analyze';
import type { PickedFile } from '../../../src/import';
import { createEditorStore } from '../../../src/store/store';
import { deeplyNested } from '../support/bombs';

/** A chain input → n activations → output; ids a1, a2, … */
function chain(n: number): GraphDocument {
  const g = new GraphBuilder('long');
  let x = g.node('input', { height: 4, width: 4, channels: 1 }, [], { id: 'image' });
  for (let i = 1; i <= n; i++) x = g.node('activation', {}, x, { id: `a${i}` });
  g.node('output', { classes: 2 }, g.node('flatten', {}, x, { id: 'flat' }), { id: 'out' });
  return g.build();
}

/** `doc` with `extra` more unlinked activations: a graph of exactly doc.nodes.length + extra nodes. */
function padded(doc: GraphDocument, extra: number): GraphDocument {
  const more = Array.from({ length: extra }, (_, i) => ({
    id: `pad${i}`,
    kind: 'activation',
    params: {},
    position: { x: 400, y: i * 10 },
  }));
  return { ...doc, nodes: [...doc.nodes, ...more] };
}

const refusal = (input: unknown): string => {
  const loaded = loadGraph(input);
  if (loaded.ok) throw new Error('expected a refusal');
  expect(loaded.errors).toHaveLength(1);
  return loaded.errors[0]!.message;
};

describe('deep nesting', () => {
  it('is refused before parsing, at the bracket that goes too deep', () => {
    // 20,000 levels overflowed the parser's stack; now the scan stops at the 65th bracket (the
    // document's own brace is the first).
    const text = deeplyNested(20_000);
    const tooDeep = text.indexOf('[') + MAX_JSON_DEPTH - 1;
    expect(tooDeepAt(text)).toBe(tooDeep);
    expect(refusal(text)).toBe(
      `brackets nest more than 64 levels deep at line 1, column ${tooDeep + 1}; a graph nests 4 and a model file about a dozen, so nothing was parsed`,
    );
  });

  it('counts only brackets outside strings, escaped quotes included', () => {
    const inString = `{"name": "${'['.repeat(1000)}\\"${'{'.repeat(1000)}"}`;
    expect(tooDeepAt(inString)).toBe(-1);
    expect(tooDeepAt(`${'['.repeat(64)}${']'.repeat(64)}`)).toBe(-1);
    expect(tooDeepAt(`${'['.repeat(65)}`)).toBe(64);
  });

  it('reaches the model-file reader too, through the same parser', () => {
    const parsed = parseJson(`{"modelTopology": ${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.message).toMatch(/^brackets nest more than 64 levels deep at line 1/);
  });
});

describe('too much text', () => {
  it('refuses text over the cap by its length alone', () => {
    // Blanks are the cheapest text to send and were the dearest to parse (18 s and 1.7 GB for 50 MB).
    const text = `{"schemaVersion": 1,${' '.repeat(MAX_JSON_CHARS)}}`;
    expect(refusal(text)).toBe(
      'this is 32.0 MiB of text, more than the 32.0 MiB read as a graph or model: nothing was parsed',
    );
  });

  it('locates an error after millions of blanks without handing the blanks to the locating parser', () => {
    const blanks = ' '.repeat(20_000_000);
    const text = `{"schemaVersion": 1,\n  "name": ${blanks}x}`;
    const squeezed = squeezeBlanks(text);
    expect(squeezed.text.length).toBeLessThan(50);
    expect(refusal(text)).toBe(
      `this is not valid JSON at line 2, column ${'  "name": '.length + blanks.length + 1}: unexpected character`,
    );
  });

  it('maps squeezed offsets back to the original text exactly', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.constantFrom('a', '\n', '\t'),
            fc.nat(40).map((n) => ' '.repeat(n)),
          ),
        ),
        (parts) => {
          const text = parts.join('');
          const squeezed = squeezeBlanks(text);
          for (let i = 0; i < squeezed.text.length; i++)
            if (squeezed.text[i] !== ' ') expect(text[squeezed.original(i)]).toBe(squeezed.text[i]);
        },
      ),
    );
  });
});

describe('graphs over the node cap', () => {
  it('are refused by their counts, before any node is checked', () => {
    const raw = padded(chain(1), MAX_NODES);
    expect(refusal(raw)).toBe(
      `a graph holds at most 10,000 nodes, and this one would have ${raw.nodes.length.toLocaleString('en-US')}`,
    );
    const links = { ...chain(1), edges: Array.from({ length: MAX_LINKS + 1 }, () => ({})) };
    expect(refusal(links)).toBe('a graph holds at most 40,000 links, and this one would have 40,001');
  });

  it('load at exactly the cap, so the editor can save and reopen the biggest graph it makes', () => {
    const full = padded(chain(1), MAX_NODES - chain(1).nodes.length);
    expect(full.nodes).toHaveLength(MAX_NODES);
    const loaded = loadGraph(serializeGraph(full));
    expect(loaded.ok).toBe(true);
  });

  it('cannot be made in the editor: add, paste, duplicate and insert block are refused, nothing changes', () => {
    const full = padded(chain(1), MAX_NODES - chain(1).nodes.length);
    const store = createEditorStore(full);
    const before = store.getState().doc;
    expect(store.getState().addNode('conv', { x: 0, y: 0 })).toBeNull();
    store.getState().select(['a1']);
    store.getState().copySelection();
    store.getState().paste();
    store.getState().duplicateSelection();
    store.getState().insertBlock('residual-block');
    expect(store.getState().doc).toBe(before);
    const refusals = store
      .getState()
      .toasts.filter((t) => t.tone === 'error')
      .map((t) => t.text);
    expect(refusals.slice(-3)).toEqual([
      'Nothing was pasted: a graph holds at most 10,000 nodes, and this one would have 10,001.',
      'Nothing was duplicated: a graph holds at most 10,000 nodes, and this one would have 10,001.',
      expect.stringMatching(
        /^The block was not inserted: a graph holds at most 10,000 nodes, and this one would have 10,0\d\d\.$/,
      ),
    ]);
  });

  it('cannot come in by Import either, and a file too big is not even read', async () => {
    const store = createEditorStore(chain(2));
    const before = store.getState().doc;
    const text = JSON.stringify(padded(chain(1), MAX_NODES));
    let reads = 0;
    const file = (name: string, content: string, size = content.length): PickedFile => ({
      name,
      size,
      text: async () => {
        reads++;
        return content;
      },
      arrayBuffer: async () => new TextEncoder().encode(content).buffer,
    });
    await store.getState().importFiles([file('big.json', text)]);
    expect(store.getState().importErrors?.errors[0]?.message).toMatch(
      /at most 10,000 nodes, and this one would have 10,004/,
    );
    store.getState().closeImportErrors();
    await store.getState().importFiles([file('huge.json', '', 40 * 2 ** 20)]);
    expect(store.getState().importErrors?.errors[0]?.message).toBe(
      'this file is 40.0 MiB; a graph or model.json is read only up to 32.0 MiB (its weights go in the .bin files), so it was not read',
    );
    expect(reads).toBe(1);
    expect(store.getState().doc).toBe(before);
  });
});

describe('long loops', () => {
  it('name a few nodes and count the rest, in the loader and in the analysis', () => {
    const doc = chain(9000);
    const looped = {
      ...doc,
      edges: [...doc.edges, { id: 'back', source: 'a9000', target: 'a1', targetHandle: 'in0' }],
    };
    // a1 now has two links into in0: give the back link a merge to enter instead.
    const add = { id: 'merge', kind: 'add', params: {}, position: { x: 0, y: 0 } };
    const rewired: GraphDocument = {
      ...looped,
      nodes: [...looped.nodes, add],
      edges: [
        ...doc.edges.map((e) => (e.target === 'a1' ? { ...e, target: 'merge' } : e)),
        { id: 'm', source: 'merge', target: 'a1', targetHandle: 'in0' },
        { id: 'back', source: 'a9000', target: 'merge', targetHandle: 'in1' },
      ],
    };
    const loaded = loadGraph(rewired);
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) {
      expect(loaded.errors[0]!.message).toBe(
        'the links form a loop through "a1" → "a2" → "a3" → "a4" → "a5" and 8,996 more: data must flow one way, from the input to the output',
      );
    }
    const analysis = analyzeGraph(rewired);
    const issue = analysis.issues.find((i) => i.message.startsWith('The links form a loop'))!;
    expect(issue.message.length).toBeLessThan(200);
    expect(issue.message).toContain('and 8,996 more');
    // Every node on the loop is still marked, for the canvas to show.
    expect(issue.nodeIds).toHaveLength(9001);
  });
});

describe('any text at all', () => {
  it('never makes the loader throw', () => {
    const jsonish = fc.string({
      unit: fc.constantFrom('[', ']', '{', '}', '"', '\\', ':', ',', ' ', '1', 'a'),
    });
    // Runs of thousands of brackets inside any text: deep enough to overflow a recursive parser.
    const deep = fc
      .tuple(jsonish, fc.constantFrom('[', '{"a":'), fc.integer({ min: 0, max: 30_000 }), jsonish)
      .map(([before, open, depth, after]) => before + open.repeat(depth) + after);
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), jsonish, fc.json(), deep), (text) => {
        const loaded = loadGraph(text);
        if (!loaded.ok) expect(loaded.errors.length).toBeGreaterThan(0);
      }),
      { numRuns: 3000 },
    );
  });
});
