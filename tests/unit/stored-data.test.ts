/**
 * The person's own datasets: whether they fit the graph (class count, channels, memory, split), and a
 * real folder of PNG files loaded, trained on, fitted again when the Input's size changes, and tied
 * to the weights trained on it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../src/core/builder';
import type { GraphDocument } from '../../src/core/document';
import { modelKey } from '../../src/core/structure';
import { noAugmentation } from '../../src/core/training/augment';
import { blockingProblems, DATASET_BYTES_LIMIT } from '../../src/core/training/data';
import type { StoredRequest } from '../../src/core/training/data';
import { defaultTrainConfig } from '../../src/core/training/settings';
import type { StoredDatasetInfo } from '../../src/core/training/stored-data';
import { dataProblems, splitCounts } from '../../src/core/training/stored-data';
import { nodeImageDecoder } from '../../src/data/node/decode';
import { folderEntries } from '../../src/data/node/files';
import { seededRandom } from '../../src/data/random';
import { stratifiedSplit } from '../../src/data/split';
import { DataLibrary } from '../../src/session/data-library';
import { memoryShelf } from '../../src/session/data-shelf';
import { ModelSession } from '../../src/session/model-session';
import { memoryWeights } from '../../src/session/weight-store';
import { useNodeBackend } from '../../src/train/node-backend';
import type { FromWorker } from '../../src/worker/protocol';
import { writeStripesFolder } from './support/stripes';

function graph(input: { height: number; width: number; channels: number }, classes = 2): GraphDocument {
  const g = new GraphBuilder('stripes');
  const x = g.node('input', input, [], { id: 'image' });
  const c = g.node('conv', { filters: 8 }, x, { id: 'conv' });
  g.node('output', { classes }, g.node('gap', {}, g.node('activation', {}, c)), { id: 'out' });
  return g.build();
}

const info = (patch: Partial<StoredDatasetInfo> = {}): StoredDatasetInfo => ({
  id: '0123456789abcdef',
  name: 'pets',
  format: 'folder',
  classes: ['cat', 'dog'],
  counts: [40, 60],
  grey: false,
  files: 100,
  bytes: 1e6,
  skipped: [],
  skippedCount: 0,
  kept: true,
  ...patch,
});
const stored: StoredRequest = {
  kind: 'stored',
  id: '0123456789abcdef',
  fit: 'centre-crop',
  validationShare: 0.2,
  seed: 1,
};
const rgb = { height: 16, width: 16, channels: 3 };

describe('whether a stored dataset fits the graph', () => {
  it('fits when classes, channels and memory agree', () => {
    expect(dataProblems(graph(rgb), stored, info())).toEqual([]);
  });

  it('names the Output with another number of classes, and sets it in one click', () => {
    const problems = dataProblems(graph(rgb, 10), stored, info());
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ nodeId: 'out', fix: { params: { classes: 2 } } });
    expect(problems[0]!.message).toContain('pets has 2 (cat, dog)');
    expect(blockingProblems(problems)).toHaveLength(1);
  });

  it('offers 1 channel for grey images on a colour Input, and 3 for colour ones on a grey Input, without blocking', () => {
    const grey = dataProblems(graph(rgb), stored, info({ grey: true }));
    expect(grey).toMatchObject([{ nodeId: 'image', advisory: true, fix: { params: { channels: 1 } } }]);
    const colour = dataProblems(graph({ ...rgb, channels: 1 }), stored, info());
    expect(colour).toMatchObject([{ nodeId: 'image', advisory: true, fix: { params: { channels: 3 } } }]);
    expect(blockingProblems([...grey, ...colour])).toEqual([]);
    const four = dataProblems(graph({ ...rgb, channels: 4 }), stored, info({ grey: true }));
    expect(blockingProblems(four)).toMatchObject([{ nodeId: 'image', fix: { params: { channels: 1 } } }]);
  });

  it('refuses more images than memory holds at the Input’s size, with the number that fit', () => {
    const side = 512;
    const fit = Math.floor(DATASET_BYTES_LIMIT / (side * side * 3));
    const problems = dataProblems(
      graph({ height: side, width: side, channels: 3 }),
      stored,
      info({ counts: [fit, 1] }),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toContain(`${fit.toLocaleString('en-US')} fit`);
    expect(
      dataProblems(graph({ height: side, width: side, channels: 3 }), stored, info({ counts: [fit - 1, 1] })),
    ).toEqual([]);
  });

  it('says when the dataset is gone, unusable, or the split leaves no validation image', () => {
    expect(dataProblems(graph(rgb), stored, undefined)[0]!.message).toMatch(/not in this browser/);
    expect(
      dataProblems(graph(rgb), stored, info({ unusable: 'only one class so far' }))[0]!.message,
    ).toContain('only one class');
    expect(
      dataProblems(graph(rgb), { ...stored, validationShare: 0.05 }, info({ counts: [3, 4] }))[0]!.message,
    ).toMatch(/keeps no image aside/);
  });

  it('counts the split as the stratified split makes it', () => {
    const random = seededRandom(3);
    const labels = Array.from({ length: 157 }, () => Math.floor(random() * 4));
    const counts = [0, 1, 2, 3].map((c) => labels.filter((l) => l === c).length);
    for (const share of [0.05, 0.2, 0.35, 0.5]) {
      const split = stratifiedSplit(labels, share, 9);
      const validation = [0, 1, 2, 3].map(
        (c) => Array.from(split.validation).filter((i) => labels[i] === c).length,
      );
      expect(splitCounts({ counts }, share)).toEqual({
        train: counts.map((n, c) => n - validation[c]!),
        validation,
      });
    }
    expect(splitCounts({ counts: [10, 10], ownValidation: [3, 1] }, 0.5)).toEqual({
      train: [7, 9],
      validation: [3, 1],
    });
  });
});

describe('a folder of PNG files, loaded, trained on and fitted again', () => {
  let root: string;
  let folder: string;
  beforeAll(async () => {
    await useNodeBackend('wasm');
    root = await mkdtemp(join(tmpdir(), 'convcanvas-stored-'));
    folder = await writeStripesFolder(root, { perClass: 40, side: 12, corrupt: true });
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const setUp = () => {
    const posts: FromWorker[] = [];
    const post = (m: FromWorker) => void posts.push(m);
    const library = new DataLibrary({ post, decode: nodeImageDecoder, shelf: memoryShelf() });
    const weights = memoryWeights();
    const session = new ModelSession({ post, library, weights });
    return { posts, library, session, weights };
  };
  const loadOptions = {
    target: { height: 8, width: 8, channels: 3 },
    config: { fit: 'stretch', validationShare: 0.25 },
    seed: 4,
  } as const;

  it('loads the classes, counts and skipped file, trains to a high accuracy, and keeps the run tied to the data', async () => {
    const { posts, library, session, weights } = setUp();
    const loaded = await library.load(await folderEntries(folder), loadOptions);
    expect(loaded).toBeDefined();
    const data = loaded!;
    expect(data.classes).toEqual(['horizontal', 'vertical']);
    expect(data.counts).toEqual([40, 40]);
    expect(data.grey).toBe(false);
    expect(data.kept).toBe(true);
    expect(data.skipped.map((s) => [s.file, s.message])).toEqual([
      ['stripes/vertical/broken.png', expect.stringMatching(/^the PNG data is damaged/)],
    ]);
    expect(posts.some((p) => p.type === 'data-progress' && p.what === 'decoding' && p.done === p.total)).toBe(
      true,
    );
    expect(posts.filter((p) => p.type === 'data-loaded')).toHaveLength(1);

    const request: StoredRequest = {
      kind: 'stored',
      id: data.id,
      fit: 'stretch',
      validationShare: 0.25,
      seed: 4,
    };
    const augment = { ...noAugmentation, flipHorizontal: true };
    const doc = graph({ height: 8, width: 8, channels: 3 });
    const outcome = await session.train(
      { graph: doc, dataset: request },
      { ...defaultTrainConfig, epochs: 6, batchSize: 8, learningRate: 0.01 },
      augment,
    );
    expect(outcome?.status).toBe('done');
    const held = session.model!.data!;
    expect([held.train.count, held.validation.count]).toEqual([60, 20]);
    // Stripes one way or the other: chance is 50%.
    expect(outcome!.epochs.at(-1)!.valAccuracy).toBeGreaterThanOrEqual(0.9);
    const results = posts.find((p) => p.type === 'results');
    expect(results?.type === 'results' && results.results.classes).toEqual(['horizontal', 'vertical']);

    // Saved under the graph and this data, with the data and the augmentation in the run's meta.
    const saved = await weights.fetch(modelKey(doc), request);
    expect(saved?.meta.dataset).toEqual(request);
    expect(saved?.meta.augment).toEqual(augment);
    expect(
      await weights.fetch(modelKey(doc), { kind: 'shapes', seed: 1, trainCount: 64, validationCount: 20 }),
    ).toBeUndefined();
    session.dispose();
  });

  it('fits the same files again when the Input changes size or channels', async () => {
    const { posts, library, session } = setUp();
    const loaded = (await library.load(await folderEntries(folder), loadOptions))!;
    const request: StoredRequest = {
      kind: 'stored',
      id: loaded.id,
      fit: 'letterbox',
      validationShare: 0.25,
      seed: 4,
    };
    posts.length = 0;
    await session.preview({ graph: graph({ height: 20, width: 14, channels: 1 }), dataset: request }, 2);
    const preview = posts.find((p) => p.type === 'preview');
    expect(
      preview?.type === 'preview' && [
        preview.preview.height,
        preview.preview.width,
        preview.preview.channels,
      ],
    ).toEqual([20, 14, 1]);
    expect(preview?.type === 'preview' && preview.preview.trainPerClass).toEqual([30, 30]);
    expect(preview?.type === 'preview' && preview.preview.validationPerClass).toEqual([10, 10]);
    expect(posts.some((p) => p.type === 'data-progress')).toBe(true);
    session.dispose();
  });

  it('collects loose images class by class, usable once a second class arrives', async () => {
    const { library } = setUp();
    const entries = await folderEntries(folder);
    const horizontal = entries.filter((e) => e.path.includes('/horizontal/'));
    const vertical = entries.filter((e) => e.path.includes('/vertical/'));
    const first = (await library.load(horizontal, { ...loadOptions, loose: { className: 'across' } }))!;
    expect(first.unusable).toMatch(/only one class/);
    const second = (await library.load(vertical, {
      ...loadOptions,
      loose: { className: 'down', into: first.id },
    }))!;
    expect(second.unusable).toBeUndefined();
    expect(second.collection).toBe(true);
    expect(second.name).toBe('My images');
    expect(second.classes).toEqual(['across', 'down']);
    expect(second.counts).toEqual([40, 40]);
    expect(second.skippedCount).toBe(1);
    expect(library.list().map((d) => d.id)).toEqual([second.id]);
  });
});
