import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../src/core/builder';
import type { GraphDocument } from '../../src/core/document';
import { modelKey } from '../../src/core/structure';
import type { Surface } from '../../src/core/surface/types';
import type { EpochReport } from '../../src/core/training/reports';
import { dataIdentity } from '../../src/core/training/stored-data';
import { comparisonProgress } from '../../src/store/comparison';
import { datasetRequest } from '../../src/store/training-slice';
import { createEditorStore } from '../../src/store/store';
import type { FromWorker, ToWorker } from '../../src/worker/protocol';

function chain(): GraphDocument {
  const g = new GraphBuilder('chain');
  const x = g.node('input', { height: 16, width: 16, channels: 3 }, [], { id: 'image' });
  let h = g.node('conv', { filters: 8, activation: 'linear', bias: false }, x, { id: 'stem' });
  h = g.node('activation', {}, h, { id: 'stem_relu' });
  for (const id of ['a', 'b']) {
    h = g.node('conv', { filters: 8, activation: 'linear', bias: false }, h, { id });
    h = g.node('batchnorm', {}, h, { id: `${id}_bn` });
    h = g.node('activation', {}, h, { id: `${id}_relu` });
  }
  g.node('output', {}, g.node('gap', {}, h, { id: 'pool' }), { id: 'out' });
  return g.build();
}

const surface = (done: number, n = 3): Surface => ({
  kind: 'random',
  xs: [-1, 0, 1].slice(0, n),
  ys: [-1, 0, 1].slice(0, n),
  loss: new Float32Array(n * n).fill(1),
  accuracy: new Float32Array(n * n).fill(0.5),
  done,
  samples: 8,
  seed: 1,
  includeBiasBn: false,
  axes: ['d1', 'd2'],
  seconds: 1,
  secondsLeft: 0,
});

const epoch: EpochReport = {
  epoch: 1,
  loss: 1,
  accuracy: 0.5,
  valLoss: 1,
  valAccuracy: 0.5,
  seconds: 1,
  weightChange: 0.1,
};

/** A store with a recording training port and recording side workers. */
function harness(cores: number) {
  const sent: ToWorker[] = [];
  const sides: { sent: ToWorker[]; reply: (m: FromWorker) => void; disposed: boolean }[] = [];
  const store = createEditorStore(chain(), 'light', { send: (m) => sent.push(m) }, 'auto', {
    cores,
    now: () => 0,
    sideWorkers: (onMessage) => {
      const side = { sent: [] as ToWorker[], reply: onMessage, disposed: false };
      sides.push(side);
      return { send: (m) => side.sent.push(m), dispose: () => (side.disposed = true) };
    },
  });
  return { store, sent, sides };
}

describe('surface page state', () => {
  it('slices only a trained graph, follows the refining grid, and keeps the result for that graph', () => {
    const { store, sent } = harness(2);
    store.getState().computeSlice();
    expect(sent).toEqual([]); // not trained: nothing to slice
    // As after training: the worker holds weights for this graph and this data.
    store.setState({
      trainedKey: modelKey(store.getState().doc),
      trainedData: dataIdentity(datasetRequest(store.getState())),
    });
    store.getState().setSliceConfig({ grid: 11, seed: 5 });
    store.getState().computeSlice();
    expect(sent.at(-1)).toEqual({
      type: 'surface',
      request: expect.objectContaining({ kind: 'random', grid: 11, seed: 5 }),
    });
    store.getState().receive({ type: 'surface', status: 'running', surface: surface(4) });
    expect(store.getState().slice).toMatchObject({ phase: 'running', surface: { done: 4 } });
    store.getState().cancelSlice();
    expect(sent.at(-1)).toEqual({ type: 'cancel-surface' });
    store.getState().receive({ type: 'surface', status: 'cancelled', surface: surface(5) });
    expect(store.getState().slice).toMatchObject({ phase: 'cancelled', key: modelKey(store.getState().doc) });
  });

  it('on two cores compares one network after the other in one worker: train, slice, train, slice', () => {
    const { store, sides } = harness(2);
    store.getState().setComparePair('residual-twin');
    store.getState().startComparison();
    expect(sides).toHaveLength(1);
    const [worker] = sides;
    const c = () => store.getState().comparison;
    expect(worker!.sent.map((m) => m.type)).toEqual(['train']);
    const first = worker!.sent[0] as Extract<ToWorker, { type: 'train' }>;
    expect(first.graph.name).toBe('chain');
    worker!.reply({ type: 'epoch', report: epoch });
    worker!.reply({ type: 'finished', stopped: false });
    expect(worker!.sent.map((m) => m.type)).toEqual(['train', 'surface']);
    worker!.reply({ type: 'surface', status: 'done', surface: surface(9) });
    // The second network: the residual twin, with the same settings and seed.
    const second = worker!.sent[2] as Extract<ToWorker, { type: 'train' }>;
    expect(second.graph.name).toBe('chain (residual twin)');
    expect(second.graph.nodes.some((n) => n.kind === 'add')).toBe(true);
    expect(second.config).toEqual(first.config);
    expect(second.dataset).toEqual(first.dataset);
    worker!.reply({ type: 'finished', stopped: false });
    const slices = worker!.sent.filter((m) => m.type === 'surface');
    expect(slices[1]).toEqual(slices[0]);
    expect(c().phase).toBe('running');
    worker!.reply({ type: 'surface', status: 'done', surface: surface(9) });
    expect(c().phase).toBe('done');
    expect(comparisonProgress(c())).toBe(1);
    expect(worker!.disposed).toBe(true);
  });

  it('on four cores trains both at once in two workers, and a cancel drops them', () => {
    const { store, sides } = harness(4);
    store.getState().startComparison();
    expect(sides).toHaveLength(2);
    expect(sides.map((s) => s.sent.map((m) => m.type))).toEqual([['train'], ['train']]);
    sides[1]!.reply({ type: 'finished', stopped: false });
    expect(sides[1]!.sent.map((m) => m.type)).toEqual(['train', 'surface']);
    expect(sides[0]!.sent.map((m) => m.type)).toEqual(['train']);
    store.getState().cancelComparison();
    expect(store.getState().comparison.phase).toBe('cancelled');
    expect(sides.every((s) => s.disposed)).toBe(true);
  });
});
