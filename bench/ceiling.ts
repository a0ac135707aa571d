/**
 * How close WebAssembly can come to PyTorch on this CPU: `npx tsx bench/ceiling.ts`. Prints GFLOP/s,
 * measured in the same run and interleaved (three rounds, best of each):
 *
 * - ResNet-20's 3×3 convolutions (batch 32) on the wasm backend as training runs them: the forward
 *   pass (XNNPACK), the input gradient and the weight gradient (the added kernels), against
 *   PyTorch 1 thread (bench/torch_ceiling.py) on the same shapes;
 * - the machine's peak for WebAssembly SIMD: sixteen independent f32x4 multiply-add chains,
 *   compiled here with AssemblyScript, against PyTorch's best convolution in the table.
 *
 * WebAssembly SIMD is 128 bits wide and has no fused multiply-add; PyTorch's oneDNN uses whatever
 * the CPU has (AVX-512 with FMA on the machines this was written on). The last column, the SIMD
 * peak over PyTorch's figure, bounds what any WebAssembly kernel could reach on that convolution.
 */
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import asc from 'assemblyscript/asc';
import { renderTable } from '../src/cli/table';
import { useNodeBackend } from '../src/train/node-backend';

const BATCH = 32;
const ROUNDS = 3;
const PYTHON = '/usr/bin/python3';
const TORCH_SCRIPT = fileURLToPath(new URL('./torch_ceiling.py', import.meta.url));
const LAYERS = [
  { size: 32, channels: 16 },
  { size: 16, channels: 32 },
  { size: 8, channels: 64 },
] as const;

interface ConvFigures {
  readonly size: number;
  readonly channels: number;
  readonly forward: number;
  readonly input: number;
  readonly filter: number;
}

interface Figures {
  readonly conv: readonly ConvFigures[];
  /** wasm: the SIMD peak; PyTorch: its best convolution figure. */
  readonly peak: number;
}

const CHAINS = Array.from({ length: 16 }, (_, i) => `a${i}`);
const PEAK_SOURCE = `
export function peak(n: i32): f32 {
  const m = f32x4.splat(0.9999999);
  const c = f32x4.splat(0.0000001);
  ${CHAINS.map((a, i) => `let ${a} = f32x4.splat(${1 + i / 16});`).join('\n  ')}
  for (let i = 0; i < n; i++) {
    ${CHAINS.map((a) => `${a} = f32x4.add(f32x4.mul(${a}, m), c);`).join('\n    ')}
  }
  const s = ${CHAINS.slice(1).reduce((sum, a) => `f32x4.add(${sum}, ${a})`, CHAINS[0]!)};
  return f32x4.extract_lane(s, 0);
}`;

/** GFLOP/s of 16 chains × (4 multiplies + 4 adds) per iteration in WebAssembly SIMD. */
async function wasmPeak(): Promise<number> {
  const result = await asc.compileString({ 'peak.ts': PEAK_SOURCE }, {
    optimizeLevel: 3,
    runtime: 'stub',
    enable: ['simd'],
    use: ['abort='],
  } as never);
  if (result.error || result.binary === null) throw new Error(result.stderr.toString());
  const instance = await WebAssembly.instantiate(new WebAssembly.Module(new Uint8Array(result.binary)), {});
  const peak = instance.exports.peak as (n: number) => number;
  const n = 20_000_000;
  peak(1000);
  let best = Infinity;
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    peak(n);
    best = Math.min(best, (performance.now() - t) / 1000);
  }
  return (n * 16 * 8) / best / 1e9;
}

/** Best seconds per call of `fn` (which reads its result back, so the work is done). */
function bestSeconds(fn: () => void, inner: number): number {
  fn();
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    for (let i = 0; i < inner; i++) fn();
    best = Math.min(best, (performance.now() - t) / 1000 / inner);
  }
  return best;
}

function convFigures(size: number, channels: number): ConvFigures {
  const flops = 2 * BATCH * size * size * channels * channels * 9;
  const x = tf.randomNormal([BATCH, size, size, channels]) as tf.Tensor4D;
  const w = tf.randomNormal([3, 3, channels, channels]) as tf.Tensor4D;
  const dy = tf.randomNormal([BATCH, size, size, channels]) as tf.Tensor4D;
  const read = (make: () => tf.Tensor) => () => {
    const t = make();
    t.dataSync();
    t.dispose();
  };
  const forward = bestSeconds(
    read(() => tf.conv2d(x, w, 1, 'same')),
    4,
  );
  const input = bestSeconds(
    read(() => tf.conv2dTranspose(dy, w, [BATCH, size, size, channels], 1, 'same')),
    4,
  );
  const filter = bestSeconds(
    read(
      () =>
        tf.engine().runKernel(
          'Conv2DBackpropFilter',
          { x, dy },
          {
            strides: [1, 1],
            pad: 'same',
            dataFormat: 'NHWC',
            dilations: [1, 1],
            filterShape: [3, 3, channels, channels],
          },
        ) as tf.Tensor,
    ),
    4,
  );
  tf.dispose([x, w, dy]);
  const g = (s: number) => flops / s / 1e9;
  return { size, channels, forward: g(forward), input: g(input), filter: g(filter) };
}

/** The wasm figures, in this process. */
async function measureHere(): Promise<Figures> {
  await useNodeBackend('wasm');
  const conv = LAYERS.map((l) => convFigures(l.size, l.channels));
  return { conv, peak: await wasmPeak() };
}

function runWasm(): Figures {
  const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), 'here'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as Figures;
}

function runTorch(): Figures | undefined {
  try {
    const out = execFileSync(PYTHON, [TORCH_SCRIPT], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const { conv } = JSON.parse(out.trim().split('\n').at(-1)!) as { conv: ConvFigures[] };
    return { conv, peak: Math.max(...conv.flatMap((c) => [c.forward, c.input, c.filter])) };
  } catch {
    return undefined;
  }
}

/** Best of each figure over the rounds. */
function best(all: readonly Figures[]): Figures {
  const conv = all[0]!.conv.map((c, i) => ({
    ...c,
    forward: Math.max(...all.map((f) => f.conv[i]!.forward)),
    input: Math.max(...all.map((f) => f.conv[i]!.input)),
    filter: Math.max(...all.map((f) => f.conv[i]!.filter)),
  }));
  return { conv, peak: Math.max(...all.map((f) => f.peak)) };
}

async function main(): Promise<void> {
  if (process.argv[2] === 'here') {
    console.log(JSON.stringify(await measureHere()));
    return;
  }
  const wasm: Figures[] = [];
  const torch: Figures[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    wasm.push(runWasm());
    const t = runTorch();
    if (t) torch.push(t);
  }
  const w = best(wasm);
  const p = torch.length > 0 ? best(torch) : undefined;
  const f = (n: number | undefined) => (n === undefined ? '–' : n.toFixed(1));
  const pct = (a: number, b: number | undefined) => (b === undefined ? '' : `${((100 * a) / b).toFixed(0)}%`);
  const rows: string[][] = [];
  for (const [i, c] of w.conv.entries()) {
    const t = p?.conv[i];
    const shape = `${c.size}×${c.size}×${c.channels} → ${c.channels}`;
    for (const [what, key] of [
      ['conv forward', 'forward'],
      ['conv input gradient', 'input'],
      ['conv weight gradient', 'filter'],
    ] as const)
      rows.push([what, shape, f(c[key]), f(t?.[key]), pct(c[key], t?.[key]), pct(w.peak, t?.[key])]);
  }
  rows.push(['peak: SIMD multiply-add / best conv', '', f(w.peak), f(p?.peak), pct(w.peak, p?.peak), '']);
  console.log(
    `\nGFLOP/s, batch ${BATCH}, 3×3 stride 1; best of ${ROUNDS} interleaved rounds${p ? '' : ' (no PyTorch found)'}`,
  );
  console.log(
    renderTable(['what', 'shape', 'wasm', 'PyTorch 1 thread', 'ratio', 'wasm at its SIMD peak'], rows, [
      'left',
      'left',
      'right',
      'right',
      'right',
      'right',
    ]),
  );
}

await main();
