/**
 * The page's side of the person's data: the remembered choice read back defensively, the request it
 * makes, a loaded dataset becoming the one to train on, weights that stand only for their own data,
 * and augmentation sent with a run.
 */
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../src/core/builder';
import { modelKey } from '../../src/core/structure';
import { noAugmentation } from '../../src/core/training/augment';
import { AUGMENT_PRESETS } from '../../src/core/training/augment-presets';
import { defaultTrainConfig } from '../../src/core/training/settings';
import type { StoredDatasetInfo } from '../../src/core/training/stored-data';
import { defaultStoredDataConfig } from '../../src/core/training/stored-data';
import { currentDataProblems, readDataPrefs } from '../../src/store/data-slice';
import { createEditorStore } from '../../src/store/store';
import { datasetRequest, weightsMatch } from '../../src/store/training-slice';
import type { ToWorker } from '../../src/worker/protocol';

const photos = AUGMENT_PRESETS.find((p) => p.id === 'photos')!.config;

function twoClasses() {
  const g = new GraphBuilder('two');
  const x = g.node('input', { height: 16, width: 16, channels: 3 });
  g.node('output', { classes: 2 }, g.node('gap', {}, g.node('conv', { filters: 4 }, x)));
  return g.build();
}

const info: StoredDatasetInfo = {
  id: 'a1b2c3d4e5f60718',
  name: 'pets',
  format: 'folder',
  classes: ['cat', 'dog'],
  counts: [50, 50],
  grey: false,
  files: 100,
  bytes: 12345,
  skipped: [{ file: 'pets/dog/x.png', message: 'the PNG data is damaged' }],
  skippedCount: 1,
  kept: true,
};

describe('the remembered data choice', () => {
  it('reads back what was saved', () => {
    const saved = {
      dataChoice: info.id,
      storedConfig: { fit: 'letterbox', validationShare: 0.3 },
      augment: photos,
    };
    expect(readDataPrefs(JSON.stringify(saved))).toEqual(saved);
  });

  it('falls back part by part on anything damaged or hostile', () => {
    const defaults = { dataChoice: 'shapes', storedConfig: defaultStoredDataConfig, augment: noAugmentation };
    expect(readDataPrefs(null)).toEqual(defaults);
    expect(readDataPrefs('{not json')).toEqual(defaults);
    expect(readDataPrefs('[1, 2]')).toEqual(defaults);
    expect(
      readDataPrefs(
        JSON.stringify({
          dataChoice: '../../etc/passwd',
          storedConfig: { fit: 'squash', validationShare: 7 },
          augment: { ...photos, rotation: 999 },
        }),
      ),
    ).toEqual(defaults);
    expect(readDataPrefs(`{"__proto__": {"dataChoice": "${info.id}"}}`)).toEqual(defaults);
  });
});

describe('choosing and loading data on the page', () => {
  it('a loaded dataset becomes the one to train on, with its report, and its weights are asked for', () => {
    const sent: ToWorker[] = [];
    const store = createEditorStore(twoClasses(), 'light', { send: (m) => sent.push(m) });
    const s = () => store.getState();
    s().receive({ type: 'datasets', datasets: [] });
    s().receive({ type: 'data-loaded', info });
    s().receive({ type: 'datasets', datasets: [info] });
    expect(s().dataChoice).toBe(info.id);
    expect(s().dataReport?.skipped).toEqual(info.skipped);
    const request = datasetRequest(s());
    expect(request).toEqual({ kind: 'stored', id: info.id, seed: 1, ...defaultStoredDataConfig });
    expect(sent.at(-1)).toEqual({ type: 'restore', graph: s().doc, dataset: request });
    expect(currentDataProblems(s())).toEqual([]);

    s().setAugment(photos);
    s().startTraining();
    expect(sent.at(-1)).toMatchObject({ type: 'train', dataset: request, augment: photos });
  });

  it('does not call a stored choice gone before the worker has listed its datasets', () => {
    const store = createEditorStore(twoClasses(), 'light', { send: () => {} });
    store.setState({ dataChoice: info.id });
    expect(currentDataProblems(store.getState())[0]!.message).toMatch(/Looking for/);
    store.getState().receive({ type: 'datasets', datasets: [] });
    expect(currentDataProblems(store.getState())[0]!.message).toMatch(/not in this browser/);
  });

  it('weights trained on Shapes do not stand for the same graph on a stored dataset', () => {
    const store = createEditorStore(twoClasses(), 'light', { send: () => {} });
    const s = () => store.getState();
    const meta = {
      key: modelKey(s().doc),
      config: defaultTrainConfig,
      epochReports: [],
      batchesPerEpoch: 1,
      dataset: { kind: 'shapes', seed: 1, trainCount: 64, validationCount: 20 } as const,
    };
    s().receive({ type: 'restored', key: meta.key, source: 'restored', meta });
    expect(weightsMatch(s())).toBe(true);
    s().receive({ type: 'datasets', datasets: [info] });
    s().chooseData(info.id);
    expect(weightsMatch(s())).toBe(false);
    s().chooseData('shapes');
    expect(weightsMatch(s())).toBe(true);
  });
});
