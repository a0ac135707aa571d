/**
 * Training and inference throughput in Node against PyTorch on the same CPU, in the same run:
 * `npm run bench:training` (its Node part: `tsx bench/training.ts`). Batch 32, Adam, images per
 * second after warm-up, per backend and network, with and without the added kernels; PyTorch
 * (bench/torch_training.py, Debian's python3-torch) trains the same networks on one and on two
 * threads. Every configuration runs in a fresh process (kernel registrations cannot leak between
 * them), the tfjs and PyTorch runs interleaved, three rounds, best of each: noise on a shared
 * machine only ever slows a run down. `--nets starter-cnn,resnet-20` keeps those networks' rows.
 */
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { renderTable } from '../src/cli/table';
import { defaultTrainConfig } from '../src/core/training/settings';
import { shapesDataset } from '../src/data/shapes';
import { useNodeBackend } from '../src/train/node-backend';
import type { NodeBackend } from '../src/train/node-backend';
import { trainModel } from '../src/train/trainer';
import { modelFor, type Net } from './nets';

const BATCH = 32;
const ROUNDS = 3;
const PYTHON = '/usr/bin/python3';
const TORCH_SCRIPT = fileURLToPath(new URL('./torch_training.py', import.meta.url));

type Mode = 'train' | 'infer';
type Result = number | string;

/** Images per second of `steps` training steps (or forward passes), in this process. */
async function measureHere(
  backend: NodeBackend,
  net: Net,
  kernels: boolean,
  steps: number,
  mode: Mode,
): Promise<Result> {
  await useNodeBackend(backend, { kernels });
  const data = shapesDataset({ trainCount: BATCH * steps, validationCount: 0 });
  const model = modelFor(net, data);
  try {
    if (mode === 'infer') {
      const x = tf.randomUniform([BATCH, 32, 32, 3]);
      const pass = () => tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync());
      pass();
      pass();
      const t = performance.now();
      for (let i = 0; i < steps; i++) pass();
      return (BATCH * steps) / ((performance.now() - t) / 1000);
    }
    const config = { ...defaultTrainConfig, batchSize: BATCH, epochs: 1 };
    // Warm-up: the first steps allocate and (on wasm) set up XNNPACK operators.
    await trainModel(model, shapesDataset({ trainCount: BATCH * 2, validationCount: 0 }), config);
    const t = performance.now();
    await trainModel(model, data, config);
    return (BATCH * steps) / ((performance.now() - t) / 1000);
  } catch (e) {
    const text = e instanceof Error ? e.message : String(e);
    const kernel = /Kernel '(\w+)' not registered/.exec(text);
    return kernel ? `fails: no ${kernel[1]} kernel` : `fails: ${text.slice(0, 40)}`;
  }
}

interface TfjsRun {
  readonly backend: NodeBackend;
  readonly net: Net;
  readonly kernels: boolean;
  readonly steps: number;
  readonly mode: Mode;
}

/** One tfjs configuration in a fresh process. */
function runTfjs(run: TfjsRun): Result {
  const out = execFileSync(
    process.execPath,
    [
      ...process.execArgv,
      fileURLToPath(import.meta.url),
      run.backend,
      run.net,
      String(run.kernels),
      String(run.steps),
      run.mode,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
  return (JSON.parse(out.trim().split('\n').at(-1)!) as { result: Result }).result;
}

/** PyTorch on the CPU, `threads` threads; undefined without python3-torch. */
function runTorch(
  net: Exclude<Net, 'reference-by-hand'>,
  threads: number,
  steps: number,
  mode: Mode,
): Result {
  try {
    const out = execFileSync(PYTHON, [TORCH_SCRIPT, net, String(threads), String(steps), mode], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return (JSON.parse(out.trim().split('\n').at(-1)!) as { imagesPerSecond: number }).imagesPerSecond;
  } catch (e) {
    return `no PyTorch (${String(e).slice(0, 30)})`;
  }
}

/** Runs every thunk `ROUNDS` times, round by round (interleaved), and keeps the best of each. */
function bestOfInterleaved(thunks: readonly (() => Result)[]): Result[] {
  const results: Result[][] = thunks.map(() => []);
  for (let round = 0; round < ROUNDS; round++) thunks.forEach((run, i) => results[i]!.push(run()));
  return results.map((xs) => {
    const numbers = xs.filter((x): x is number => typeof x === 'number');
    return numbers.length > 0 ? Math.max(...numbers) : xs[0]!;
  });
}

const fmt = (r: Result | undefined) => (r === undefined ? '' : typeof r === 'number' ? r.toFixed(0) : r);
const ratio = (a: Result | undefined, b: Result | undefined) =>
  typeof a === 'number' && typeof b === 'number' ? `${((100 * a) / b).toFixed(0)}%` : '';

interface Row {
  readonly tfjs: TfjsRun;
  /** Compared with PyTorch on the same network (the hand-written twin has none of its own). */
  readonly torchSteps?: number;
}

async function main(): Promise<void> {
  const only = process.argv.indexOf('--nets');
  const nets = only >= 0 ? (process.argv[only + 1] ?? '').split(',') : undefined;
  const [backend, net, kernels, steps, mode] = only >= 0 ? [] : process.argv.slice(2);
  if (backend !== undefined) {
    const result = await measureHere(
      backend as NodeBackend,
      net as Net,
      kernels === 'true',
      Number(steps),
      (mode ?? 'train') as Mode,
    );
    console.log(JSON.stringify({ result }));
    return;
  }
  const train = (b: NodeBackend, n: Net, k: boolean, s: number): TfjsRun => ({
    backend: b,
    net: n,
    kernels: k,
    steps: s,
    mode: 'train',
  });
  const all: Row[] = [
    { tfjs: train('wasm', 'reference', true, 30), torchSteps: 60 },
    { tfjs: train('wasm', 'reference-by-hand', true, 30) },
    { tfjs: train('wasm', 'starter-cnn', true, 30), torchSteps: 60 },
    { tfjs: train('wasm', 'resnet-20', true, 8), torchSteps: 16 },
    { tfjs: train('wasm', 'reference', false, 5) },
    { tfjs: train('cpu', 'reference', true, 6) },
    { tfjs: train('cpu', 'starter-cnn', true, 6) },
    { tfjs: { ...train('wasm', 'starter-cnn', true, 40), mode: 'infer' }, torchSteps: 100 },
    { tfjs: { ...train('wasm', 'resnet-20', true, 10), mode: 'infer' }, torchSteps: 40 },
    { tfjs: { ...train('cpu', 'starter-cnn', true, 10), mode: 'infer' } },
  ];
  const rows = nets === undefined ? all : all.filter((r) => nets.includes(r.tfjs.net));
  const torchNet = (r: Row) => (r.tfjs.net === 'reference-by-hand' ? undefined : r.tfjs.net);
  // Round by round: each tfjs configuration, then PyTorch on one and two threads where compared.
  const thunks: (() => Result)[] = [];
  const slots = rows.map((row) => {
    const at = thunks.length;
    thunks.push(() => runTfjs(row.tfjs));
    const n = torchNet(row);
    if (row.torchSteps !== undefined && n !== undefined) {
      thunks.push(() => runTorch(n, 1, row.torchSteps!, row.tfjs.mode));
      thunks.push(() => runTorch(n, 2, row.torchSteps!, row.tfjs.mode));
    }
    return at;
  });
  const best = bestOfInterleaved(thunks);
  const table = rows.map((row, i) => {
    const at = slots[i]!;
    const compared = row.torchSteps !== undefined && torchNet(row) !== undefined;
    const [ours, one, two] = [
      best[at],
      compared ? best[at + 1] : undefined,
      compared ? best[at + 2] : undefined,
    ];
    return [
      row.tfjs.mode === 'train' ? 'training' : 'inference',
      row.tfjs.backend,
      row.tfjs.net,
      row.tfjs.kernels ? 'yes' : 'no',
      fmt(ours),
      fmt(one),
      ratio(ours, one),
      fmt(two),
      ratio(ours, two),
    ];
  });
  console.log(
    `\nNode (batch ${BATCH}, Adam; images per second after warm-up; best of ${ROUNDS} interleaved rounds)`,
  );
  console.log(
    renderTable(
      [
        '',
        'backend',
        'network',
        'added kernels',
        'img/s',
        'PyTorch 1 thread',
        'ratio',
        'PyTorch 2 threads',
        'ratio',
      ],
      table,
      ['left', 'left', 'left', 'left', 'right', 'right', 'right', 'right', 'right'],
    ),
  );
  const slotOf = (net: Net) => slots[rows.findIndex((r) => r.tfjs.net === net && r.tfjs.mode === 'train')];
  const [at, handAt] = [slotOf('reference'), slotOf('reference-by-hand')];
  const compiled = at === undefined ? undefined : best[at];
  const byHand = handAt === undefined ? undefined : best[handAt];
  if (typeof compiled === 'number' && typeof byHand === 'number')
    console.log(
      `compiled graph / hand-written tfjs (same network, same loop, wasm): ${(compiled / byHand).toFixed(3)}`,
    );
}

await main();
