/**
 * Looking inside, timed in Node: `npm run bench:inspect`. Per backend and network: one plain forward
 * pass (the reference), every node's output with the thumbnails the panel gets, and one Grad-CAM;
 * then the training slow-down with live thumbnails on. Rounds are interleaved and the best of each is
 * kept: noise on a shared machine only ever slows a run down.
 */
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs-core';
import { renderTable } from '../src/cli/table';
import type { GraphDocument } from '../src/core/document';
import { loadGraph } from '../src/core/load';
import { defaultTrainConfig } from '../src/core/training/settings';
import { shapesDataset } from '../src/data/shapes';
import { glancesOf } from '../src/inspect/activations';
import { activationsOf, liveNodes } from '../src/inspect/forward';
import { heatmapsOf, lastSpatialNode } from '../src/inspect/gradcam';
import { ModelSession } from '../src/session/model-session';
import { prepareModel } from '../src/session/prepare';
import { useNodeBackend } from '../src/train/node-backend';
import type { NodeBackend } from '../src/train/node-backend';
import { findTemplate } from '../templates';

const ROUNDS = 5;

function template(name: string): GraphDocument {
  const loaded = loadGraph(findTemplate(name)!.document);
  if (!loaded.ok) throw new Error(name);
  return loaded.doc;
}

const best = (xs: readonly number[]) => Math.min(...xs);

/** Milliseconds of each: plain forward, all activations with thumbnails, one Grad-CAM (best of ROUNDS). */
async function activationTimes(name: string, rounds: number): Promise<[number, number, number, number]> {
  const graph = template(name);
  const input = graph.nodes.find((n) => n.kind === 'input')!.params;
  const size = Number(input['height']);
  const data = shapesDataset({ size, trainCount: 1, validationCount: 1 });
  const prepared = prepareModel(graph, data, { seed: 1, anyClasses: true });
  if (!prepared.ok) throw new Error(prepared.errors[0]!.message);
  const { model, compiled } = prepared.prepared;
  const x = tf.tensor4d(data.validation.images, [1, size, size, 3]);
  const ids = liveNodes(compiled);
  const node = lastSpatialNode(compiled)!;
  const plain = async () => {
    const t = performance.now();
    const y = model.predict(x) as tf.Tensor;
    await y.data();
    y.dispose();
    return performance.now() - t;
  };
  const all = async () => {
    const t = performance.now();
    const acts = activationsOf(compiled, x);
    await glancesOf(ids, acts, compiled.analysis.inputId);
    const ms = performance.now() - t;
    tf.dispose([...acts.values()]);
    return ms;
  };
  const acts = activationsOf(compiled, x);
  const gradCam = async () => {
    const t = performance.now();
    const maps = heatmapsOf(compiled, acts, node, 0);
    await maps.gradCam.data();
    const ms = performance.now() - t;
    tf.dispose([maps.mean, maps.gradCam, maps.score]);
    return ms;
  };
  // Warm-up: kernels compile, buffers are allocated.
  await plain();
  await all();
  await gradCam();
  const times: number[][] = [[], [], []];
  for (let i = 0; i < rounds; i++) {
    times[0]!.push(await plain());
    times[1]!.push(await all());
    times[2]!.push(await gradCam());
  }
  tf.dispose([...acts.values(), x]);
  model.dispose();
  return [best(times[0]!), best(times[1]!), best(times[2]!), ids.length];
}

/**
 * One epoch through the session with live thumbnails on or off: its seconds, how many refreshes came
 * while it trained, and the milliseconds they took (each overview says how long its forward pass and
 * thumbnails took), which under any load is the share of the run they cost.
 */
async function trainingRun(name: string, images: number, live: boolean): Promise<[number, number, number]> {
  let refreshes = 0;
  let spent = 0;
  let training = false;
  const session = new ModelSession({
    post: (m) => {
      if (m.type === 'compiled') training = true;
      if (m.type === 'finished') training = false;
      if (training && m.type === 'inspected' && m.reply.kind === 'overview') {
        refreshes++;
        spent += m.reply.milliseconds;
      }
    },
  });
  const graph = template(name);
  const dataset = { kind: 'shapes', seed: 1, trainCount: images, validationCount: 32 } as const;
  const config = { ...defaultTrainConfig, epochs: 1, batchSize: 32 };
  const sample = { source: 'dataset', split: 'validation', classIndex: 0, nth: 0 } as const;
  await session.inspect({ kind: 'look', graph, dataset, config, sample });
  await session.inspect({ kind: 'live', on: live });
  const t = performance.now();
  await session.train({ graph, dataset }, config);
  const seconds = (performance.now() - t) / 1000;
  session.dispose();
  return [seconds, refreshes, spent];
}

async function main(): Promise<void> {
  const rows: string[][] = [];
  const cases: [NodeBackend, string][] = [
    ['wasm', 'starter-cnn'],
    ['wasm', 'resnet-20'],
    ['wasm', 'lesson-resnet34-pets'],
    ['cpu', 'starter-cnn'],
    ['cpu', 'resnet-20'],
  ];
  for (const [backend, name] of cases) {
    await useNodeBackend(backend);
    const rounds = name.startsWith('lesson') ? 3 : ROUNDS;
    const [plain, all, gradCam, nodes] = await activationTimes(name, rounds);
    rows.push([
      backend,
      name,
      String(nodes),
      plain.toFixed(1),
      all.toFixed(1),
      (all / plain).toFixed(2),
      gradCam.toFixed(1),
    ]);
  }
  console.log(`\nLooking inside one image in Node (ms, best of ${ROUNDS}, 3 for the 352 px lesson network)`);
  console.log(
    renderTable(
      ['backend', 'network', 'nodes', 'forward pass', 'every node + thumbnails', 'ratio', 'one Grad-CAM'],
      rows,
      ['left', 'left', 'right', 'right', 'right', 'right', 'right'],
    ),
  );

  await useNodeBackend('wasm');
  const slow: string[][] = [];
  for (const [name, images] of [
    ['starter-cnn', 1600],
    ['resnet-20', 480],
  ] as const) {
    const off: number[] = [];
    const on: number[] = [];
    const shares: number[] = [];
    let refreshes = 0;
    for (let i = 0; i < 3; i++) {
      off.push((await trainingRun(name, images, false))[0]);
      const [seconds, count, spent] = await trainingRun(name, images, true);
      on.push(seconds);
      refreshes = Math.max(refreshes, count);
      shares.push(spent / 1000 / seconds);
    }
    slow.push([
      name,
      String(images),
      best(off).toFixed(2),
      best(on).toFixed(2),
      `${((100 * (best(on) - best(off))) / best(off)).toFixed(1)}%`,
      String(refreshes),
      `${(100 * Math.max(...shares)).toFixed(1)}%`,
    ]);
  }
  console.log(
    '\nOne epoch through the session on wasm, live thumbnails off and on (seconds, best of 3, interleaved)',
  );
  console.log(
    renderTable(
      ['network', 'images', 'off', 'on', 'wall-clock slow-down', 'refreshes', 'time in refreshes'],
      slow,
      ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
    ),
  );
  console.log(
    'The wall-clock difference is noise-bound on a shared machine; the time the refreshes took, out of the same run, is not.',
  );
}

await main();
