/**
 * The data layer's speed and memory: `npm run bench:data`. Prints
 * 1. images per second of folder decoding with the Node decoders, per format and size, fitted to 32×32×3;
 * 2. milliseconds per batch (32 × 32×32×3) of the augmentation pipeline per preset, against the batch
 *    copy alone and against one training step of the Starter CNN on wasm in the same run;
 * 3. peak memory while loading 50,000 32×32×3 images, from a folder of PNGs and from CIFAR batches,
 *    each in a fresh process;
 * 4. training throughput of the Starter CNN on wasm with augmentation off and on (byte-stored images,
 *    as a loaded folder has them), runs interleaved in the same process.
 * Timings are the best of interleaved rounds.
 */
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { renderTable } from '../src/cli/table';
import { loadGraph } from '../src/core/load';
import type { AugmentConfig } from '../src/core/training/augment';
import { AUGMENT_PRESETS } from '../src/core/training/augment-presets';
import { defaultTrainConfig } from '../src/core/training/settings';
import { augmentBatch } from '../src/data/augment';
import { loadCifarDataset } from '../src/data/cifar';
import type { ImageDataset, Split } from '../src/data/dataset';
import { batchPixels } from '../src/data/dataset';
import type { FolderEntry } from '../src/data/files';
import { loadFolderDataset } from '../src/data/folder';
import { formatBytes } from '../src/data/limits';
import { nodeImageDecoder } from '../src/data/node/decode';
import { seededRandom } from '../src/data/random';
import { shapesDataset } from '../src/data/shapes';
import { prepareModel } from '../src/session/prepare';
import { useNodeBackend } from '../src/train/node-backend';
import { trainModel } from '../src/train/trainer';
import { findTemplate } from '../templates';
import { bmpFile, gifFile, jpegFile, pngFile, webpFile } from '../tests/unit/support/images';

const fit = { shape: { height: 32, width: 32, channels: 3 as const }, mode: 'centre-crop' as const };

/** A photo-like RGBA picture: smooth colour gradients with grain, different for each seed. */
function picture(width: number, height: number, seed: number): Uint8Array {
  const random = seededRandom(seed);
  const [a, b, c] = [random(), random(), random()];
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const grain = (random() - 0.5) * 30;
      data[i] = 128 + 100 * Math.sin(x / (width * a + 4)) + grain;
      data[i + 1] = 128 + 100 * Math.cos(y / (height * b + 4)) + grain;
      data[i + 2] = 128 + 100 * Math.sin((x + y) / (width * c + 4)) + grain;
      data[i + 3] = 255;
    }
  return data;
}

const entries = (files: readonly Uint8Array[]): FolderEntry[] =>
  files.map((bytes, i) => ({
    path: `bench/class${i % 2}/${i}.img`,
    size: bytes.length,
    bytes: async () => bytes,
  }));

async function decodingRows(): Promise<string[][]> {
  const kinds: {
    label: string;
    side: number;
    count: number;
    encode: (w: number, h: number, rgba: Uint8Array) => Uint8Array | Promise<Uint8Array>;
  }[] = [
    { label: 'PNG', side: 32, count: 600, encode: pngFile },
    { label: 'JPEG', side: 32, count: 600, encode: (w, h, d) => jpegFile(w, h, d, 90) },
    { label: 'BMP', side: 32, count: 600, encode: bmpFile },
    { label: 'GIF', side: 32, count: 600, encode: (w, h) => gifFile(w, h, [0x336699, 0xffffff], 0) },
    { label: 'WebP', side: 32, count: 600, encode: webpFile },
    { label: 'PNG', side: 256, count: 60, encode: pngFile },
    { label: 'JPEG', side: 256, count: 60, encode: (w, h, d) => jpegFile(w, h, d, 90) },
    { label: 'JPEG', side: 1024, count: 8, encode: (w, h, d) => jpegFile(w, h, d, 90) },
  ];
  const sets = await Promise.all(
    kinds.map(async (k) =>
      entries(
        await Promise.all(
          Array.from({ length: k.count }, (_, i) => k.encode(k.side, k.side, picture(k.side, k.side, i))),
        ),
      ),
    ),
  );
  const best = kinds.map(() => 0);
  for (let round = 0; round < 3; round++)
    for (const [i, set] of sets.entries()) {
      const t0 = performance.now();
      const r = await loadFolderDataset(set, { fit, decode: nodeImageDecoder, validationShare: 0 });
      const seconds = (performance.now() - t0) / 1000;
      if (!r.ok || r.skipped.length > 0)
        throw new Error(`${kinds[i]!.label}: ${r.ok ? r.skipped[0]!.message : r.message}`);
      best[i] = Math.max(best[i]!, set.length / seconds);
    }
  return kinds.map((k, i) => [k.label, `${k.side}×${k.side}`, String(k.count), best[i]!.toFixed(0)]);
}

/** Milliseconds of one Starter CNN training step (batch 32, 32×32×3, Adam) on wasm, median after warm-up. */
async function trainingStepMs(): Promise<number> {
  await useNodeBackend('wasm');
  const data = shapesDataset({ trainCount: 32 * 12, validationCount: 32 });
  const loaded = loadGraph(findTemplate('starter-cnn')!.document);
  if (!loaded.ok) throw new Error('template');
  const prepared = prepareModel(loaded.doc, data);
  if (!prepared.ok) throw new Error(prepared.errors[0]!.message);
  const rates: number[] = [];
  await trainModel(
    prepared.prepared.model,
    data,
    { ...defaultTrainConfig, epochs: 1 },
    {
      onBatch: (b) => void rates.push(b.imagesPerSecond),
    },
  );
  prepared.prepared.model.dispose();
  const steady = rates.slice(2).sort((a, b) => a - b);
  return (32 * 1000) / steady[steady.length >> 1]!;
}

/**
 * Images/s of one epoch's fast batches (the median of its five fastest after two of warm-up): on a
 * shared machine other work slows some batches, and augmentation, which costs every batch the same,
 * still shows in the fastest.
 */
async function epochRate(data: ImageDataset, augment: AugmentConfig | undefined): Promise<number> {
  const loaded = loadGraph(findTemplate('starter-cnn')!.document);
  if (!loaded.ok) throw new Error('template');
  const prepared = prepareModel(loaded.doc, data, { seed: 1 });
  if (!prepared.ok) throw new Error(prepared.errors[0]!.message);
  const rates: number[] = [];
  await trainModel(
    prepared.prepared.model,
    data,
    { ...defaultTrainConfig, epochs: 1, ...(augment !== undefined && { augment }) },
    { onBatch: (b) => void rates.push(b.imagesPerSecond) },
  );
  prepared.prepared.model.dispose();
  const fastest = rates
    .slice(2)
    .sort((a, b) => b - a)
    .slice(0, 5);
  return fastest[fastest.length >> 1]!;
}

/** Training images/s with augmentation off and on, best of interleaved rounds, and what it costs. */
/** Every augmentation at once: the photos preset plus vertical flips, rotation, zoom and shift. */
const everything: AugmentConfig = {
  ...AUGMENT_PRESETS.find((p) => p.id === 'photos')!.config,
  flipVertical: true,
  rotation: 30,
  zoom: [0.8, 1.2],
  shift: 0.1,
};

async function trainingWithAugmentationRows(): Promise<string[][]> {
  await useNodeBackend('wasm');
  const shapes = shapesDataset({ trainCount: 32 * 16, validationCount: 32 });
  const bytes = (split: Split) => ({
    ...split,
    images: Uint8Array.from(split.images, (v) => Math.round(v * 255)),
  });
  const data: ImageDataset = { ...shapes, train: bytes(shapes.train), validation: bytes(shapes.validation) };
  const configs: { label: string; augment: AugmentConfig | undefined }[] = [
    { label: 'off', augment: undefined },
    ...AUGMENT_PRESETS.filter((p) => p.id !== 'none').map((p) => ({ label: p.label, augment: p.config })),
    { label: 'everything on', augment: everything },
    // The same as the first row: how far two runs of one setting differ here.
    { label: 'off, again (noise)', augment: undefined },
  ];
  const best = configs.map(() => 0);
  for (let round = 0; round < 4; round++)
    for (const [i, c] of configs.entries()) best[i] = Math.max(best[i]!, await epochRate(data, c.augment));
  return configs.map((c, i) => [
    c.label,
    best[i]!.toFixed(0),
    i === 0 ? '' : `${((100 * (best[0]! - best[i]!)) / best[0]!).toFixed(1)}%`,
  ]);
}

async function augmentationRows(): Promise<string[][]> {
  const count = 2048;
  const per = 32 * 32 * 3;
  const random = seededRandom(1);
  const split: Split<Uint8Array> = {
    count,
    images: Uint8Array.from({ length: count * per }, () => Math.floor(random() * 256)),
    labels: new Int32Array(count),
  };
  const configs: { label: string; config: AugmentConfig | null }[] = [
    { label: 'batch copy alone (bytes → floats)', config: null },
    ...AUGMENT_PRESETS.filter((p) => p.id !== 'none').map((p) => ({
      label: `+ ${p.label}`,
      config: p.config,
    })),
    { label: '+ everything on', config: everything },
  ];
  const shape = { height: 32, width: 32, channels: 3 };
  const best = configs.map(() => Infinity);
  for (let round = 0; round < 5; round++)
    for (const [i, c] of configs.entries()) {
      const draw = seededRandom(round);
      const t0 = performance.now();
      const batches = 40;
      for (let b = 0; b < batches; b++) {
        const indices = Array.from({ length: 32 }, () => Math.floor(draw() * count));
        const batch = batchPixels(split, indices, per);
        if (c.config !== null) augmentBatch(batch, shape, c.config, draw);
      }
      best[i] = Math.min(best[i]!, (performance.now() - t0) / batches);
    }
  const step = await trainingStepMs();
  return configs
    .map((c, i) => [
      c.label,
      best[i]!.toFixed(3),
      ((32 * 1000) / best[i]!).toFixed(0),
      `${((100 * (best[i]! - (c.config === null ? 0 : best[0]!))) / step).toFixed(2)}%`,
    ])
    .concat([
      ['Starter CNN training step, wasm (reference)', step.toFixed(1), ((32 * 1000) / step).toFixed(0), ''],
    ]);
}

/** Runs in a fresh process: loads 50,000 images one way and prints the peak memory as JSON. */
async function memory(kind: 'folder' | 'cifar'): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const base = process.memoryUsage();
  let peak = { rss: base.rss, arrayBuffers: base.arrayBuffers };
  const sample = () => {
    const m = process.memoryUsage();
    peak = { rss: Math.max(peak.rss, m.rss), arrayBuffers: Math.max(peak.arrayBuffers, m.arrayBuffers) };
  };
  const t0 = performance.now();
  let stored = 0;
  if (kind === 'folder') {
    // Ten different PNGs per class, read afresh for each of the 50,000 files.
    const pngs = Array.from({ length: 20 }, (_, i) => pngFile(32, 32, picture(32, 32, i)));
    const files: FolderEntry[] = Array.from({ length: 50_000 }, (_, i) => {
      const bytes = pngs[i % 20]!;
      return { path: `set/class${i % 2}/${i}.png`, size: bytes.length, bytes: async () => bytes.slice() };
    });
    const r = await loadFolderDataset(files, {
      fit,
      decode: nodeImageDecoder,
      onProgress: (done) => done % 500 === 0 && sample(),
    });
    if (!r.ok) throw new Error(r.message);
    stored = r.dataset.train.images.byteLength + r.dataset.validation.images.byteLength;
  } else {
    const record = 3073;
    const files = Array.from({ length: 5 }, (_, f) => {
      const bytes = new Uint8Array(10_000 * record);
      for (let n = 0; n < 10_000; n++) bytes[n * record] = (n + f) % 10;
      return { path: `cifar-10-batches-bin/data_batch_${f + 1}.bin`, bytes };
    });
    sample();
    const r = loadCifarDataset(files, { validationShare: 0.2 });
    sample();
    if (!r.ok) throw new Error(r.message);
    stored = r.dataset.train.images.byteLength + r.dataset.validation.images.byteLength;
  }
  sample();
  console.log(
    JSON.stringify({
      stored,
      rss: peak.rss - base.rss,
      arrayBuffers: peak.arrayBuffers - base.arrayBuffers,
      seconds: (performance.now() - t0) / 1000,
    }),
  );
}

function inFreshProcess(kind: 'folder' | 'cifar') {
  const out = execFileSync(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), 'memory', kind],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return JSON.parse(out.trim().split('\n').at(-1)!) as {
    stored: number;
    rss: number;
    arrayBuffers: number;
    seconds: number;
  };
}

async function main(): Promise<void> {
  const [mode, kind] = process.argv.slice(2);
  if (mode === 'memory') return memory(kind as 'folder' | 'cifar');
  const trainingTable = async () => {
    console.log(
      '\nStarter CNN training on wasm, 32×32×3 bytes, batch 32: images/s (fast batches of an epoch, best of 4 interleaved rounds)',
    );
    console.log(
      renderTable(['augmentation', 'images/s', 'cost'], await trainingWithAugmentationRows(), [
        'left',
        'right',
        'right',
      ]),
    );
  };
  // `npm run bench:data -- training`: only the training throughput with augmentation off and on.
  if (mode === 'training') return trainingTable();
  console.log(
    '\nFolder decoding with the Node decoders, fitted to 32×32×3 (centre-crop), best of 3 interleaved rounds',
  );
  console.log(
    renderTable(['format', 'size', 'files', 'images/s'], await decodingRows(), [
      'left',
      'right',
      'right',
      'right',
    ]),
  );
  console.log(
    '\nAugmentation per training batch of 32 × 32×32×3 (best of 5 interleaved rounds of 40 batches)',
  );
  console.log(
    renderTable(
      ['pipeline', 'ms/batch', 'images/s', 'added cost vs a training step'],
      await augmentationRows(),
      ['left', 'right', 'right', 'right'],
    ),
  );
  await trainingTable();
  console.log(
    '\nPeak memory loading 50,000 images of 32×32×3 (fresh process each; float32 storage would be 586 MB)',
  );
  const rows = (['folder', 'cifar'] as const).map((k) => {
    const m = inFreshProcess(k);
    return [
      k === 'folder' ? '50,000 PNG files (folder)' : '5 CIFAR-10 batches (147 MB of files)',
      formatBytes(m.stored),
      formatBytes(m.arrayBuffers),
      formatBytes(m.rss),
      m.seconds.toFixed(1),
    ];
  });
  console.log(
    renderTable(['source', 'dataset bytes', 'peak array buffers', 'peak RSS growth', 's'], rows, [
      'left',
      'right',
      'right',
      'right',
      'right',
    ]),
  );
}

await main();
