/**
 * What picked files do to the editor, decided in the store: a graph opens, a model opens with its
 * weights sent to the worker, weights go into the current graph, and anything else is refused
 * with the reason, changing nothing.
 */
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../src/core/builder';
import type { GraphDocument } from '../../src/core/document';
import { serializeGraph } from '../../src/core/load';
import type { OpenResult, PickedFile } from '../../src/import';
import type { SavedWeight } from '../../src/model-files/types';
import { applyImport, applyWeights } from '../../src/store/files-slice';
import { createEditorStore, undo } from '../../src/store/store';
import type { ToWorker } from '../../src/worker/protocol';

function graph(name: string): GraphDocument {
  const g = new GraphBuilder(name);
  const x = g.node('input', { height: 8, width: 8, channels: 1 }, [], { id: 'image' });
  g.node('output', { classes: 3 }, g.node('flatten', {}, x, { id: 'flat' }), { id: 'out' });
  return g.build();
}

const weights = new Map<string, SavedWeight>([
  ['out/kernel', { shape: [64, 3], values: new Float32Array(192) }],
]);

function setUp() {
  const sent: ToWorker[] = [];
  const store = createEditorStore(graph('current'), 'light', {
    send: (m) => sent.push(m),
    restart: () => undefined,
  });
  return { store, sent, loads: () => sent.filter((m) => m.type === 'load') };
}

const picked = (name: string, text: string): PickedFile => ({
  name,
  size: text.length,
  text: async () => text,
  arrayBuffer: async () => new TextEncoder().encode(text).buffer,
});

describe('Import', () => {
  it('opens a graph file on top of the current graph, undoably', async () => {
    const { store } = setUp();
    await store.getState().importFiles([picked('other.json', serializeGraph(graph('other')))]);
    expect(store.getState().doc.name).toBe('other');
    expect(store.getState().toasts.at(-1)?.text).toBe('Imported “other” from other.json.');
    undo(store);
    expect(store.getState().doc.name).toBe('current');
  });

  it('opens a model with its weights, sending them to the worker', () => {
    const { store, loads } = setUp();
    const model: OpenResult = {
      kind: 'model',
      source: 'model.json',
      doc: graph('keras'),
      weights,
      notes: ['Dropout became a node.'],
    };
    applyImport(store.getState(), model);
    expect(store.getState().doc.name).toBe('keras');
    expect(store.getState().toasts.at(-1)?.text).toBe(
      'Imported the model and its 1 weight tensors from model.json. Dropout became a node.',
    );
    expect(loads()).toHaveLength(1);
    expect(loads()[0]).toMatchObject({ type: 'load', source: 'model.json', weights });
  });

  it('refuses what cannot be opened, changing nothing', async () => {
    const { store } = setUp();
    const before = store.getState().doc;
    await store.getState().importFiles([picked('broken.json', '{"schemaVersion": 1, "name": ')]);
    expect(store.getState().importErrors?.source).toBe('broken.json');
    expect(store.getState().importErrors?.errors[0]?.message).toMatch(/ends too early/);
    await store.getState().importFiles([]);
    expect(store.getState().doc).toBe(before);
  });
});

describe('Load weights', () => {
  it('puts a model’s weights into the current graph, without opening its graph', () => {
    const { store, loads } = setUp();
    const before = store.getState().doc;
    applyWeights(store.getState(), {
      kind: 'model',
      source: 'model.json',
      doc: graph('keras'),
      weights,
      notes: [],
    });
    expect(store.getState().doc).toBe(before);
    expect(loads()[0]).toMatchObject({ graph: before, weights, source: 'model.json' });
  });

  it('says what is missing or wrong instead', async () => {
    const { store, loads } = setUp();
    await store.getState().loadWeightsFiles([picked('g.json', serializeGraph(graph('g')))]);
    applyWeights(store.getState(), {
      kind: 'model',
      source: 'model.json',
      doc: graph('k'),
      weights: null,
      notes: [],
    });
    expect(store.getState().toasts.map((t) => [t.tone, t.text])).toEqual([
      ['error', 'g.json is a graph, not a trained model: open it with Import.'],
      ['error', 'Choose the weights (.bin) files together with model.json.'],
    ]);
    applyWeights(store.getState(), {
      kind: 'error',
      source: 'x.json',
      errors: [{ path: '(file)', message: 'bad' }],
    });
    expect(store.getState().importErrors).toEqual({
      source: 'x.json',
      errors: [{ path: '(file)', message: 'bad' }],
    });
    expect(loads()).toHaveLength(0);
  });
});

describe('Templates', () => {
  it('open by name on top of the graph', () => {
    const { store } = setUp();
    store.getState().openTemplate('tiny-vgg');
    expect(store.getState().doc.name).toBe('Tiny VGG');
    expect(store.getState().toasts.at(-1)?.text).toBe(
      'Opened Tiny VGG. Undo (Ctrl+Z) brings back what you had.',
    );
  });
});
