/**
 * Where a training step's time goes, kernel by kernel: `npx tsx bench/profile.ts <backend> <net>
 * [steps]`. Runs tf.profile over a few training steps (after warm-up) and prints, per kernel, the
 * time, the share of kernel time and the calls per step; then the wall time of the same steps
 * without the profiler, whose per-kernel read-backs inflate the profiled wall time.
 */
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs-core';
import { renderTable } from '../src/cli/table';
import { defaultTrainConfig } from '../src/core/training/settings';
import { shapesDataset } from '../src/data/shapes';
import { useNodeBackend } from '../src/train/node-backend';
import type { NodeBackend } from '../src/train/node-backend';
import { trainModel } from '../src/train/trainer';
import { modelFor, type Net } from './nets';

const BATCH = 32;

export interface KernelRow {
  readonly name: string;
  readonly ms: number;
  readonly calls: number;
}

/** Per-kernel time of `steps` training steps of `net` on the current backend, slowest first. */
export async function profileSteps(
  net: Net,
  steps: number,
): Promise<{ kernels: KernelRow[]; wallMs: number; kernelMs: number }> {
  const data = shapesDataset({ trainCount: BATCH * steps, validationCount: 1 });
  const model = modelFor(net, data);
  const config = { ...defaultTrainConfig, batchSize: BATCH, epochs: 1 };
  await trainModel(model, shapesDataset({ trainCount: BATCH * 2, validationCount: 1 }), config);
  const t = performance.now();
  await trainModel(model, data, config);
  const wallMs = (performance.now() - t) / steps;
  const info = await tf.profile(() => trainModel(model, data, config) as unknown as tf.TensorContainer);
  const byName = new Map<string, { ms: number; calls: number }>();
  for (const k of info.kernels) {
    const row = byName.get(k.name) ?? { ms: 0, calls: 0 };
    row.ms += k.kernelTimeMs as number;
    row.calls += 1;
    byName.set(k.name, row);
  }
  const kernels = [...byName]
    .map(([name, { ms, calls }]) => ({ name, ms: ms / steps, calls: calls / steps }))
    .sort((a, b) => b.ms - a.ms);
  return { kernels, wallMs, kernelMs: kernels.reduce((s, k) => s + k.ms, 0) };
}

async function main(): Promise<void> {
  const [backend = 'wasm', net = 'starter-cnn', steps = '6'] = process.argv.slice(2);
  await useNodeBackend(backend as NodeBackend);
  const { kernels, wallMs, kernelMs } = await profileSteps(net as Net, Number(steps));
  const calls = kernels.reduce((s, k) => s + k.calls, 0);
  console.log(
    `\n${net} on ${backend}, batch ${BATCH}: ${wallMs.toFixed(1)} ms per step unprofiled; ` +
      `kernels ${kernelMs.toFixed(1)} ms in ${calls.toFixed(0)} calls per step`,
  );
  console.log(
    renderTable(
      ['kernel', 'ms/step', 'share', 'calls/step'],
      kernels
        .filter((k) => k.ms >= 0.05 * (kernelMs / 100))
        .map((k) => [
          k.name,
          k.ms.toFixed(2),
          `${((100 * k.ms) / kernelMs).toFixed(1)}%`,
          k.calls.toFixed(0),
        ]),
      ['left', 'right', 'right', 'right'],
    ),
  );
}

await main();
