/**
 * Training throughput in Node: `npm run bench:training`. Images per second of training steps (batch
 * 32, Adam, after warm-up) per backend and network, with and without the added kernels, and the
 * compiled graph against the same network written by hand. Each configuration runs in a fresh
 * process so kernel registrations cannot leak between them.
 */
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { renderTable } from '../src/cli/table';
import { GraphBuilder } from '../src/core/builder';
import type { GraphDocument } from '../src/core/document';
import { loadGraph } from '../src/core/load';
import { shapesDataset } from '../src/data/shapes';
import { prepareModel } from '../src/session/prepare';
import { defaultTrainConfig } from '../src/core/training/settings';
import { useNodeBackend } from '../src/train/node-backend';
import type { NodeBackend } from '../src/train/node-backend';
import { trainModel } from '../src/train/trainer';
import { findTemplate } from '../templates';

/** PyTorch 1.13 on this machine's CPU, one thread, the reference network (FACTS.md). */
const PYTORCH_REFERENCE = 2442;
const BATCH = 32;

/** The FACTS.md reference network: conv 16 → conv 32 s2 → conv 64 s2 → GAP → dense 10. */
function referenceGraph(): GraphDocument {
  const g = new GraphBuilder('reference');
  let x = g.node('input', { height: 32, width: 32, channels: 3 }, [], { id: 'image' });
  x = g.node('conv', { filters: 16, activation: 'relu' }, x, { id: 'c1' });
  x = g.node('conv', { filters: 32, stride: 2, activation: 'relu' }, x, { id: 'c2' });
  x = g.node('conv', { filters: 64, stride: 2, activation: 'relu' }, x, { id: 'c3' });
  x = g.node('gap', {}, x, { id: 'pool' });
  g.node('output', { classes: 10 }, x, { id: 'classes' });
  return g.build();
}

/** The same network as a tfjs user writes it. */
function referenceByHand(): tfl.LayersModel {
  const m = tfl.sequential();
  m.add(
    tfl.layers.conv2d({
      inputShape: [32, 32, 3],
      filters: 16,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
    }),
  );
  m.add(tfl.layers.conv2d({ filters: 32, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }));
  m.add(tfl.layers.conv2d({ filters: 64, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }));
  m.add(tfl.layers.globalAveragePooling2d({}));
  m.add(tfl.layers.dense({ units: 10, activation: 'softmax' }));
  return m;
}

type Net = 'reference' | 'reference-by-hand' | 'starter-cnn' | 'resnet-20';

function modelFor(net: Net, data: ReturnType<typeof shapesDataset>): tfl.LayersModel {
  if (net === 'reference-by-hand') return referenceByHand();
  const doc = net === 'reference' ? referenceGraph() : loadGraph(findTemplate(net)!.document);
  const graph = 'ok' in doc ? (doc.ok ? doc.doc : undefined) : doc;
  if (graph === undefined) throw new Error(net);
  const prepared = prepareModel(graph, data);
  if (!prepared.ok) throw new Error(prepared.errors[0]!.message);
  return prepared.prepared.model;
}

/** One configuration, in this process: prints a JSON line with images per second. */
async function measure(backend: NodeBackend, net: Net, kernels: boolean, steps: number): Promise<void> {
  await useNodeBackend(backend, { kernels });
  const data = shapesDataset({ trainCount: BATCH * steps, validationCount: 1 });
  const model = modelFor(net, data);
  const config = { ...defaultTrainConfig, batchSize: BATCH, epochs: 1 };
  let result: number | string;
  try {
    // Warm-up: the first steps allocate and (on wasm) set up XNNPACK operators.
    await trainModel(model, shapesDataset({ trainCount: BATCH * 2, validationCount: 1 }), config);
    const t = performance.now();
    await trainModel(model, data, config);
    result = (BATCH * steps) / ((performance.now() - t) / 1000);
  } catch (e) {
    const text = e instanceof Error ? e.message : String(e);
    const kernel = /Kernel '(\w+)' not registered/.exec(text);
    result = kernel ? `fails: no ${kernel[1]} kernel` : `fails: ${text.slice(0, 40)}`;
  }
  console.log(JSON.stringify({ result }));
}

interface Row {
  backend: NodeBackend;
  net: Net;
  kernels: boolean;
  steps: number;
}

function run(row: Row): number | string {
  const out = execFileSync(
    process.execPath,
    [
      ...process.execArgv,
      fileURLToPath(import.meta.url),
      row.backend,
      row.net,
      String(row.kernels),
      String(row.steps),
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const line = out.trim().split('\n').at(-1)!;
  return (JSON.parse(line) as { result: number | string }).result;
}

const fmt = (r: number | string) => (typeof r === 'number' ? r.toFixed(0) : r);

async function main(): Promise<void> {
  const [backend, net, kernels, steps] = process.argv.slice(2);
  if (backend !== undefined) {
    await measure(backend as NodeBackend, net as Net, kernels === 'true', Number(steps));
    return;
  }
  const rows: Row[] = [
    { backend: 'wasm', net: 'reference', kernels: true, steps: 30 },
    { backend: 'wasm', net: 'reference-by-hand', kernels: true, steps: 30 },
    { backend: 'wasm', net: 'reference', kernels: false, steps: 5 },
    { backend: 'wasm', net: 'starter-cnn', kernels: true, steps: 30 },
    { backend: 'wasm', net: 'resnet-20', kernels: true, steps: 8 },
    { backend: 'cpu', net: 'reference', kernels: true, steps: 6 },
    { backend: 'cpu', net: 'reference', kernels: false, steps: 2 },
    { backend: 'cpu', net: 'starter-cnn', kernels: true, steps: 6 },
  ];
  // The compiled/hand-written pair runs three times, interleaved, best of each: noise on a shared
  // machine only ever slows a run down.
  const pair = rows.slice(0, 2);
  const pairResults: (number | string)[][] = [[], []];
  for (let i = 0; i < 3; i++) pair.forEach((row, j) => pairResults[j]!.push(run(row)));
  const top = (xs: (number | string)[]) =>
    xs.every((x) => typeof x === 'number') ? Math.max(...(xs as number[])) : xs[0]!;
  const results = rows.map((row, i) => ({ row, result: i < 2 ? top(pairResults[i]!) : run(row) }));
  console.log(`\nTraining throughput in Node (batch ${BATCH}, Adam, images per second after warm-up)`);
  console.log(
    renderTable(
      ['backend', 'network', 'added kernels', 'img/s', 'vs PyTorch 1 thread'],
      results.map(({ row, result }) => [
        row.backend,
        row.net,
        row.kernels ? 'yes' : 'no',
        fmt(result),
        typeof result === 'number' && row.net.startsWith('reference')
          ? `${((100 * result) / PYTORCH_REFERENCE).toFixed(1)}%`
          : '',
      ]),
      ['left', 'left', 'left', 'right', 'right'],
    ),
  );
  const compiled = results.find(
    (r) => r.row.net === 'reference' && r.row.backend === 'wasm' && r.row.kernels,
  )!;
  const byHand = results.find((r) => r.row.net === 'reference-by-hand')!;
  if (typeof compiled.result === 'number' && typeof byHand.result === 'number')
    console.log(
      `compiled graph / hand-written tfjs (same network, same loop, wasm): ${(compiled.result / byHand.result).toFixed(3)}`,
    );
  void tf;
}

await main();
