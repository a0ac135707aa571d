import type { ToWorker } from '../../src/worker/protocol';
import { describe, expect, it } from 'vitest';
import { analyzeGraph } from '../../src/core/analyze';
import { GraphBuilder } from '../../src/core/builder';
import type { GraphDocument } from '../../src/core/document';
import { loadGraph } from '../../src/core/load';
import { modelKey, structureKey } from '../../src/core/structure';
import { shownRun } from '../../src/store/training-slice';
import { createEditorStore, redo, undo } from '../../src/store/store';
import { findTemplate } from '../../templates';

function chain(): GraphDocument {
  const g = new GraphBuilder('chain');
  const x = g.node('input', { height: 16, width: 16, channels: 8 }, [], { id: 'image' });
  const c = g.node('conv', { filters: 8 }, x, { id: 'conv' });
  const p = g.node('gap', {}, c, { id: 'pool' });
  g.node('output', {}, p, { id: 'out' });
  return g.build();
}

const shapeOf = (doc: GraphDocument, id: string) => {
  const r = analyzeGraph(doc).nodes.get(id);
  return r?.status === 'ok' ? [...r.shape] : r;
};

describe('editor store: history', () => {
  it('undoes and redoes edits exactly', () => {
    const store = createEditorStore(chain());
    const s0 = store.getState().doc;
    store.getState().updateParams('conv', { filters: 32 });
    const s1 = store.getState().doc;
    store.getState().addNode('batchnorm', undefined, 'conv');
    undo(store);
    expect(store.getState().doc).toBe(s1);
    undo(store);
    expect(store.getState().doc).toBe(s0);
    redo(store);
    expect(store.getState().doc).toBe(s1);
  });

  it('keeps at least 100 steps', () => {
    const store = createEditorStore(chain());
    const states = [store.getState().doc];
    for (let i = 1; i <= 150; i++) {
      store.getState().updateParams('conv', { filters: i });
      states.push(store.getState().doc);
    }
    for (let i = 0; i < 120; i++) undo(store);
    expect(store.getState().doc).toBe(states[30]);
    expect(store.getState().doc.nodes[1]!.params['filters']).toBe(30);
  });

  it('records a whole drag as one step and selection as none', () => {
    const store = createEditorStore(chain());
    const before = store.getState().doc;
    for (let x = 1; x <= 30; x++) store.getState().dragNodes(new Map([['conv', { x, y: 2 * x }]]), 'move');
    store.getState().dragNodes(new Map([['conv', { x: 31, y: 62 }]]), 'end');
    store.getState().select(['conv']);
    expect(store.temporal.getState().pastStates).toHaveLength(1);
    undo(store);
    expect(store.getState().doc).toBe(before);
  });

  it('makes replacing the whole graph undoable', () => {
    const store = createEditorStore(chain());
    const before = store.getState().doc;
    const loaded = loadGraph(findTemplate('resnet-20')!.document);
    if (!loaded.ok) throw new Error('template');
    store.getState().replaceGraph(loaded.doc, 'Opened ResNet-20');
    expect(store.getState().doc.name).toBe('ResNet-20');
    expect(store.getState().toasts.at(-1)?.text).toBe('Opened ResNet-20');
    undo(store);
    expect(store.getState().doc).toBe(before);
  });
});

describe('editor store: links', () => {
  it('refuses a loop and an impossible shape, with the reason', () => {
    const store = createEditorStore(chain());
    expect(store.getState().connect({ source: 'pool', target: 'conv', targetHandle: 'in0' })).toEqual({
      ok: false,
      reason: 'This link would make a loop: data must flow one way, from input to output.',
    });
    const dense = store.getState().addNode('dense', { x: 300, y: 0 })!;
    const check = store.getState().checkLink({ source: 'conv', target: dense, targetHandle: 'in0' });
    expect(check).toEqual({
      ok: false,
      reason:
        'Dense needs a flat vector, but its input is 16×16×8. Add a Flatten or a Global average pool before it.',
    });
    expect(store.getState().doc.edges.some((e) => e.target === dense)).toBe(false);
  });

  it('replaces the link in an occupied single input and says so', () => {
    const store = createEditorStore(chain());
    const other = store.getState().addNode('conv', { x: 300, y: 100 }, 'image')!;
    const result = store.getState().connect({ source: other, target: 'pool', targetHandle: 'in0' });
    expect(result).toMatchObject({ ok: true, replaces: { source: 'conv', target: 'pool' } });
    const into = store.getState().doc.edges.filter((e) => e.target === 'pool');
    expect(into).toHaveLength(1);
    expect(into[0]!.source).toBe(other);
    expect(store.getState().toasts.at(-1)?.text).toMatch(/Replaced the link from "conv" into "pool"/);
  });

  it('lets the first input of an Add wait for its second', () => {
    const store = createEditorStore(chain());
    const add = store.getState().addNode('add', { x: 0, y: 500 })!;
    expect(store.getState().connect({ source: 'conv', target: add, targetHandle: 'in0' }).ok).toBe(true);
    const down = store.getState().addNode('stride2', { x: 300, y: 300 }, 'conv')!;
    expect(store.getState().checkLink({ source: down, target: add, targetHandle: 'in1' })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/1×1 stride-2 conv with 16 filters on the 16×16×8 branch/),
    });
    expect(store.getState().connect({ source: 'conv', target: add, targetHandle: 'in1' }).ok).toBe(true);
  });
});

describe('editor store: selection, clipboard, blocks', () => {
  it('copies and pastes nodes with fresh ids and their inner links', () => {
    const store = createEditorStore(chain());
    store.getState().select(['conv', 'pool']);
    store.getState().copySelection();
    store.getState().paste();
    const { doc, selectedNodes } = store.getState();
    expect(selectedNodes).toEqual(['conv_1', 'gap_1']);
    expect(doc.edges.find((e) => e.source === 'conv_1')?.target).toBe('gap_1');
    expect(doc.nodes.find((n) => n.id === 'conv_1')?.position).toEqual({ x: 40, y: 150 });
  });

  it('adds a node below the selected one, beside anything already there, and links it', () => {
    const store = createEditorStore(chain());
    store.getState().select(['conv']);
    const id = store.getState().addNode('dropout', undefined, 'conv');
    const { doc } = store.getState();
    const added = doc.nodes.find((n) => n.id === id)!;
    const pool = doc.nodes.find((n) => n.id === 'pool')!;
    // "pool" already sits right below "conv": the new node goes beside it, overlapping no node.
    const conv = doc.nodes.find((n) => n.id === 'conv')!;
    expect(added.position.y).toBeGreaterThan(conv.position.y);
    for (const other of doc.nodes.filter((n) => n.id !== id))
      expect(
        Math.abs(other.position.x - added.position.x) >= 200 ||
          Math.abs(other.position.y - added.position.y) >= 78,
        `overlaps ${other.id}`,
      ).toBe(true);
    expect(Math.abs(added.position.y - pool.position.y)).toBeLessThan(78); // same row as "pool", beside it
    expect(doc.edges.some((e) => e.source === 'conv' && e.target === id)).toBe(true);
  });

  it('deletes selected nodes with their links', () => {
    const store = createEditorStore(chain());
    store.getState().select(['conv']);
    store.getState().deleteSelection();
    const { doc } = store.getState();
    expect(doc.nodes.map((n) => n.id)).toEqual(['image', 'pool', 'out']);
    expect(doc.edges.map((e) => `${e.source}>${e.target}`)).toEqual(['pool>out']);
  });

  it('inserts a residual block wired to the selected node, sized to its channels', () => {
    const store = createEditorStore(chain());
    store.getState().select(['conv']);
    store.getState().insertBlock('residual-block');
    const { doc, selectedNodes } = store.getState();
    const exit = selectedNodes[0]!;
    expect(shapeOf(doc, exit)).toEqual([16, 16, 8]);
    store.getState().connect({ source: exit, target: 'pool', targetHandle: 'in0' });
    expect(analyzeGraph(store.getState().doc).valid).toBe(true);
  });

  it('lays the graph out top to bottom in one undoable step', () => {
    const store = createEditorStore(chain());
    store.getState().dragNodes(new Map([['out', { x: -500, y: -500 }]]), 'end');
    const before = store.getState().doc;
    store.getState().autoLayout();
    const ys = ['image', 'conv', 'pool', 'out'].map(
      (id) => store.getState().doc.nodes.find((n) => n.id === id)!.position.y,
    );
    expect([...ys].sort((a, b) => a - b)).toEqual(ys);
    undo(store);
    expect(store.getState().doc).toBe(before);
  });
});

describe('editor store: imported models', () => {
  it('opens an imported model and hands its weights to the training worker', () => {
    const sent: ToWorker[] = [];
    const store = createEditorStore(chain(), 'light', { send: (m) => sent.push(m) });
    const weights = new Map([['conv/bias', { shape: [8], values: new Float32Array(8) }]]);
    const other = new GraphBuilder('other').build();
    store.getState().openImported(other, { weights, source: 'model.json' }, 'Imported.');
    expect(store.getState().doc).toBe(other);
    expect(sent).toEqual([
      expect.objectContaining({ type: 'load', graph: other, weights, source: 'model.json' }),
    ]);
  });

  it('opens and closes the code panel', () => {
    const store = createEditorStore(chain());
    expect(store.getState().codeOpen).toBe(false);
    store.getState().setCodeOpen(true);
    expect(store.getState().codeOpen).toBe(true);
  });
});

describe('structure key', () => {
  it('ignores moves, follows edits, and equals for equal graphs built apart', () => {
    const store = createEditorStore(chain());
    const key = structureKey(store.getState().doc);
    const id = store.getState().doc.nodes[1]!.id;
    store.getState().dragNodes(new Map([[id, { x: 500, y: 40 }]]), 'end');
    expect(structureKey(store.getState().doc)).toBe(key);
    store.getState().updateParams(id, { filters: 24 });
    const edited = structureKey(store.getState().doc);
    expect(edited).not.toBe(key);
    expect(structureKey(JSON.parse(JSON.stringify(store.getState().doc)) as GraphDocument)).toBe(edited);
    expect(structureKey(chain())).toBe(key);
  });
});

describe('editor store: model download', () => {
  it('asks the worker for the model and hands over its answer; a restarted worker answers null', async () => {
    const sent: ToWorker[] = [];
    const store = createEditorStore(chain(), 'light', { send: (m) => sent.push(m) });
    const first = store.getState().exportModel();
    expect(sent).toEqual([{ type: 'export' }]);
    const artifacts = { modelTopology: {}, weightSpecs: [], weightData: new ArrayBuffer(4) };
    store.getState().receive({ type: 'exported', artifacts });
    await expect(first).resolves.toBe(artifacts);
    const second = store.getState().exportModel();
    store.getState().receive({ type: 'backend', name: 'wasm', reason: 'restarted' });
    await expect(second).resolves.toBeNull();
  });
});

describe('editor store: results belong to their graph', () => {
  const epoch = (n: number) => ({
    epoch: n,
    loss: 1 / n,
    accuracy: 0.5,
    valLoss: 1,
    valAccuracy: 0.5,
    seconds: 1,
    weightChange: 0.1,
  });
  const results = {
    classes: ['a', 'b'],
    confusion: [
      [1, 0],
      [0, 1],
    ],
    perClassAccuracy: [1, 1],
    topLosses: [],
    height: 8,
    width: 8,
    channels: 3,
  };

  it('shows a finished run only for the graph it trained, "not trained yet" for another, and again on undo', () => {
    const store = createEditorStore(chain(), 'light', { send: () => {} });
    const s = () => store.getState();
    s().startTraining();
    s().receive({ type: 'compiled', trainable: 10, batches: 2 });
    s().receive({ type: 'epoch', report: epoch(1) });
    s().receive({ type: 'finished', stopped: false });
    s().receive({ type: 'results', results });
    expect(shownRun(s())).toEqual({ training: expect.objectContaining({ phase: 'done' }), results });

    s().updateParams('conv', { filters: 12 });
    expect(shownRun(s())).toEqual({ training: { phase: 'idle' }, results: null });
    undo(store);
    expect(shownRun(s()).training.phase).toBe('done');
    expect(shownRun(s()).results).toBe(results);
  });

  it('a restored run brings back the settings, data and batch curves it was trained with', () => {
    const store = createEditorStore(chain(), 'light', { send: () => {} });
    const s = () => store.getState();
    const config = { ...s().trainConfig, learningRate: 0.0123, batchSize: 8, epochs: 2 };
    const batches = [1, 2, 3, 4].map((b) => ({
      epoch: Math.ceil(b / 2),
      batch: ((b - 1) % 2) + 1,
      batches: 2,
      loss: 2 / b,
      accuracy: b / 5,
      learningRate: 0.01,
      imagesPerSecond: 100,
    }));
    s().receive({
      type: 'restored',
      key: modelKey(s().doc),
      source: 'restored',
      meta: {
        key: modelKey(s().doc),
        config,
        epochReports: [epoch(1), epoch(2)],
        batchesPerEpoch: 2,
        dataset: { kind: 'shapes', seed: 1, trainCount: 300, validationCount: 40 },
        batches,
      },
    });
    expect(s().trainConfig).toEqual(config);
    expect(s().datasetConfig).toEqual({ trainCount: 300, validationCount: 40 });
    const shown = shownRun(s()).training;
    expect(shown.phase).toBe('done');
    expect('progress' in shown && shown.progress?.batches).toEqual(batches);
  });
});

describe('editor store: a broken backend', () => {
  it('starts a fresh worker on the same backend when a failure leaves the backend unusable', () => {
    const restarts: string[] = [];
    const store = createEditorStore(
      chain(),
      'light',
      { send: () => {}, restart: (b) => restarts.push(b) },
      'wasm',
    );
    store.getState().startTraining();
    store.getState().receive({ type: 'failed', kind: 'crash', message: 'bad input' });
    expect(restarts).toEqual([]);
    store.getState().receive({ type: 'failed', kind: 'out-of-memory', message: 'ran out', restart: true });
    expect(restarts).toEqual(['wasm']);
    expect(store.getState().training).toMatchObject({ phase: 'error', kind: 'out-of-memory' });
  });
});
