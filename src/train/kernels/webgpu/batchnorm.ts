/**
 * Batch norm in training on WebGPU: three dispatches forward and three back, where tfjs-layers'
 * moments, FusedBatchNorm and their gradients take about thirty (and upload a full-size tensor of
 * ones for each mean's gradient).
 *
 * Forward: per-channel statistics of row chunks (Welford within a thread, Chan's formula across
 * threads and chunks, so no sum of squares loses the variance to cancellation); the chunks
 * combined into the mean, the biased variance and a scale and shift per channel; y = x·scale +
 * shift. Backward: per-channel Σdy and Σdy·(x − mean) over row chunks; the chunks combined into
 * dScale, dOffset and the three coefficients of dx = a·dy + b·x + d (src/train/kernels/
 * batchnorm-training.ts derives them); dx. Same inputs, outputs and attributes as the cpu and wasm
 * kernels there.
 */
import { getKernel } from '@tensorflow/tfjs-core';
import type { KernelConfig, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { BATCH_NORM_TRAINING } from '../../../compile/batch-norm-layer';
import { BATCH_NORM_TRAINING_GRAD } from '../batchnorm-training';
import { elementwise, elementwiseDispatch, runShader, type ShaderKernel } from './shader';

const THREADS = 256;
/** About this many workgroups per reduction pass. */
const TARGET_WORKGROUPS = 512;

interface Plan {
  readonly channels: number;
  readonly rows: number;
  /** Channels per workgroup (the rest of its threads are lanes over rows). */
  readonly tile: 16 | 32 | 64;
  readonly chunks: number;
  readonly chunkRows: number;
}

export function planChunks(rows: number, channels: number): Plan {
  const tile = channels > 32 ? 64 : channels > 16 ? 32 : 16;
  const lanes = THREADS / tile;
  const tiles = Math.ceil(channels / tile);
  // Each thread takes at least eight rows of its chunk.
  const most = Math.max(1, Math.floor(rows / (8 * lanes)));
  const wanted = Math.max(1, Math.min(most, Math.ceil(TARGET_WORKGROUPS / tiles)));
  const chunkRows = Math.ceil(rows / wanted);
  return { channels, rows, tile, chunks: Math.ceil(rows / chunkRows), chunkRows };
}

const int = (name: string) => ({ name, type: 'i32' as const });
const float = (name: string) => ({ name, type: 'f32' as const });

/**
 * A pass over row chunks: each workgroup covers `tile` channels of one chunk, `THREADS / tile`
 * lanes walking its rows; `accumulate` runs per element (value at `at`, channel `c`), `combine`
 * merges the lanes two at a time in workgroup memory, and lane 0 writes the chunk's pair.
 */
function chunkPass(
  name: string,
  tile: number,
  inputs: readonly string[],
  state: { declarations: string; init: string; accumulate: string; store: string; combine: string },
  write: [string, string],
): ShaderKernel {
  const lanes = THREADS / tile;
  return {
    name: `${name}_${tile}`,
    inputs,
    outputs: ['partial'],
    uniforms: [int('channels'), int('rows'), int('chunkRows')],
    workgroupSize: [tile, lanes, 1],
    declarations: state.declarations,
    main: `
      let c = i32(workgroupId.x) * ${tile} + i32(localId.x);
      let lane = localId.y;
      let chunk = i32(workgroupId.y);
      let start = chunk * uniforms.chunkRows;
      let end = min(start + uniforms.chunkRows, uniforms.rows);
      let channels = uniforms.channels;
      ${state.init}
      if (c < channels) {
        for (var r = start + i32(lane); r < end; r += ${lanes}) {
          let at = r * channels + c;
          ${state.accumulate}
        }
      }
      let me = localIndex;
      ${state.store}
      workgroupBarrier();
      for (var half = ${lanes / 2}u; half > 0u; half = half / 2u) {
        if (lane < half) {
          let other = me + half * ${tile}u;
          ${state.combine}
        }
        workgroupBarrier();
      }
      if (lane == 0u && c < channels) {
        partial[(chunk * 2) * channels + c] = ${write[0]};
        partial[(chunk * 2 + 1) * channels + c] = ${write[1]};
      }
    `,
  };
}

/** Per chunk and channel: the mean and Σ(x − mean)² of the chunk's rows. */
const statistics = (tile: number) =>
  chunkPass(
    'convcanvasBatchNormStatistics',
    tile,
    ['x'],
    {
      declarations: `
        var<workgroup> counts : array<f32, ${THREADS}>;
        var<workgroup> means : array<f32, ${THREADS}>;
        var<workgroup> squares : array<f32, ${THREADS}>;
      `,
      init: 'var n = 0.0; var mu = 0.0; var m2 = 0.0;',
      accumulate: `
        let v = x[at];
        n = n + 1.0;
        let d = v - mu;
        mu = mu + d / n;
        m2 = m2 + d * (v - mu);
      `,
      store: 'counts[me] = n; means[me] = mu; squares[me] = m2;',
      combine: `
        let nb = counts[other];
        if (nb > 0.0) {
          let na = counts[me];
          let total = na + nb;
          let delta = means[other] - means[me];
          means[me] = means[me] + delta * (nb / total);
          squares[me] = squares[me] + squares[other] + delta * delta * (na * nb / total);
          counts[me] = total;
        }
      `,
    },
    ['means[me]', 'squares[me]'],
  );

/** The chunks' statistics combined: mean, biased variance, and y = x·coefficients[c] + coefficients[C + c]. */
const moments: ShaderKernel = {
  name: 'convcanvasBatchNormMoments',
  inputs: ['partial', 'scale', 'offset'],
  outputs: ['mean', 'variance', 'coefficients'],
  uniforms: [int('channels'), int('rows'), int('chunkRows'), int('chunks'), float('epsilon')],
  workgroupSize: [64, 1, 1],
  main: `
    let c = i32(globalId.x);
    let channels = uniforms.channels;
    if (c >= channels) {
      return;
    }
    var n = 0.0;
    var mu = 0.0;
    var m2 = 0.0;
    for (var k = 0; k < uniforms.chunks; k++) {
      let nb = f32(min(uniforms.chunkRows, uniforms.rows - k * uniforms.chunkRows));
      let total = n + nb;
      let delta = partial[(k * 2) * channels + c] - mu;
      mu = mu + delta * (nb / total);
      m2 = m2 + partial[(k * 2 + 1) * channels + c] + delta * delta * (n * nb / total);
      n = total;
    }
    let v = m2 / n;
    mean[c] = mu;
    variance[c] = v;
    let k = scale[c] / sqrt(v + uniforms.epsilon);
    coefficients[c] = k;
    coefficients[channels + c] = offset[c] - mu * k;
  `,
};

const normalize = elementwise({
  name: 'convcanvasBatchNormApply',
  inputs: ['x', 'coefficients'],
  outputs: ['y'],
  uniforms: [int('channels')],
  body: `
    let c = i % uniforms.channels;
    y[i] = x[i] * coefficients[c] + coefficients[uniforms.channels + c];
  `,
});

/** Per chunk and channel: Σdy and Σdy·(x − mean). */
const gradientSums = (tile: number) =>
  chunkPass(
    'convcanvasBatchNormGradientSums',
    tile,
    ['dy', 'x', 'mean'],
    {
      declarations: `
        var<workgroup> sums : array<f32, ${THREADS}>;
        var<workgroup> centred : array<f32, ${THREADS}>;
      `,
      init: 'var s = 0.0; var t = 0.0; let m = select(0.0, mean[min(c, channels - 1)], c < channels);',
      accumulate: `
        let g = dy[at];
        s = s + g;
        t = t + g * (x[at] - m);
      `,
      store: 'sums[me] = s; centred[me] = t;',
      combine: `
        sums[me] = sums[me] + sums[other];
        centred[me] = centred[me] + centred[other];
      `,
    },
    ['sums[me]', 'centred[me]'],
  );

/**
 * dScale, dOffset and dx's coefficients a, b, d; with `extra`, also the gradients that arrive at
 * the mean and variance outputs themselves, as one [2, C] input (a shader may bind only eight
 * storage buffers).
 */
const gradientCoefficients = (extra: boolean): ShaderKernel => ({
  name: `convcanvasBatchNormGradientCoefficients${extra ? 'WithStatistics' : ''}`,
  inputs: ['partial', 'mean', 'variance', 'scale', ...(extra ? ['statisticsGradients'] : [])],
  outputs: ['dScale', 'dOffset', 'coefficients'],
  uniforms: [int('channels'), int('rows'), int('chunks'), float('epsilon')],
  workgroupSize: [64, 1, 1],
  main: `
    let c = i32(globalId.x);
    let channels = uniforms.channels;
    if (c >= channels) {
      return;
    }
    var sumDy = 0.0;
    var sumDyCentred = 0.0;
    for (var k = 0; k < uniforms.chunks; k++) {
      sumDy = sumDy + partial[(k * 2) * channels + c];
      sumDyCentred = sumDyCentred + partial[(k * 2 + 1) * channels + c];
    }
    let inverseStd = 1.0 / sqrt(variance[c] + uniforms.epsilon);
    let dHat = sumDyCentred * inverseStd;
    dOffset[c] = sumDy;
    dScale[c] = dHat;
    let g = scale[c] * inverseStd;
    let m = mean[c];
    let n = f32(uniforms.rows);
    let dm = ${extra ? 'statisticsGradients[c]' : '0.0'};
    let twoDVar = ${extra ? '2.0 * statisticsGradients[channels + c]' : '0.0'};
    coefficients[c] = g;
    coefficients[channels + c] = (-g * inverseStd * dHat + twoDVar) / n;
    coefficients[2 * channels + c] = (-g * sumDy + g * inverseStd * dHat * m + dm - twoDVar * m) / n;
  `,
});

const gradient = elementwise({
  name: 'convcanvasBatchNormGradientApply',
  inputs: ['dy', 'x', 'coefficients'],
  outputs: ['dx'],
  uniforms: [int('channels')],
  body: `
    let c = i % uniforms.channels;
    let channels = uniforms.channels;
    dx[i] = coefficients[c] * dy[i] + coefficients[channels + c] * x[i] + coefficients[2 * channels + c];
  `,
});

const sizeOf = (t: TensorInfo) => t.shape.reduce((a, b) => a * b, 1);

function planFor(x: TensorInfo): Plan {
  const channels = x.shape[x.shape.length - 1]!;
  return planChunks(sizeOf(x) / channels, channels);
}

/** The engine hands a kernel zeros it made on the CPU for unused output gradients: drop those. */
function unlessZeroOnCpu(backend: WebGPUBackend, t: TensorInfo | undefined): TensorInfo | undefined {
  if (t === undefined) return undefined;
  const values = backend.tensorMap.get(t.dataId)?.values as ArrayLike<number> | null | undefined;
  if (values === null || values === undefined) return t;
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) return t;
  return undefined;
}

export const webgpuBatchNormTrainingKernel: KernelConfig = {
  kernelName: BATCH_NORM_TRAINING,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const gpu = backend as unknown as WebGPUBackend;
    const { x, scale, offset } = inputs as Record<'x' | 'scale' | 'offset', TensorInfo>;
    const epsilon = attrs!['epsilon'] as number;
    const p = planFor(x);
    const [partial] = runShader(
      gpu,
      statistics(p.tile),
      [x],
      [[p.chunks, 2, p.channels]],
      [p.channels, p.rows, p.chunkRows],
      [Math.ceil(p.channels / p.tile), p.chunks, 1],
    );
    const [mean, variance, coefficients] = runShader(
      gpu,
      moments,
      [partial!, scale, offset],
      [[p.channels], [p.channels], [2, p.channels]],
      [p.channels, p.rows, p.chunkRows, p.chunks, epsilon],
      [Math.ceil(p.channels / 64), 1, 1],
    );
    const [y] = runShader(
      gpu,
      normalize,
      [x, coefficients!],
      [x.shape],
      [p.channels],
      elementwiseDispatch(gpu, sizeOf(x)),
    );
    gpu.disposeData(partial!.dataId);
    gpu.disposeData(coefficients!.dataId);
    return [y!, mean!, variance!];
  },
};

export const webgpuBatchNormTrainingGradKernel: KernelConfig = {
  kernelName: BATCH_NORM_TRAINING_GRAD,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const gpu = backend as unknown as WebGPUBackend;
    const { dy, x, mean, variance, scale } = inputs as Record<string, TensorInfo>;
    const dMean = unlessZeroOnCpu(gpu, inputs['dMean'] as TensorInfo | undefined);
    const dVariance = unlessZeroOnCpu(gpu, inputs['dVariance'] as TensorInfo | undefined);
    const epsilon = attrs!['epsilon'] as number;
    const p = planFor(x!);
    const [partial] = runShader(
      gpu,
      gradientSums(p.tile),
      [dy!, x!, mean!],
      [[p.chunks, 2, p.channels]],
      [p.channels, p.rows, p.chunkRows],
      [Math.ceil(p.channels / p.tile), p.chunks, 1],
    );
    const extra = dMean !== undefined || dVariance !== undefined;
    const made: TensorInfo[] = [partial!];
    const statisticsGradients: TensorInfo[] = [];
    if (extra) {
      const zeros = () => gpu.makeTensorInfo([p.channels], 'float32', new Float32Array(p.channels));
      const pair = [dMean ?? zeros(), dVariance ?? zeros()];
      made.push(...pair.filter((t) => t !== dMean && t !== dVariance));
      const concat = getKernel('Concat', 'webgpu')!.kernelFunc;
      const joined = concat({
        inputs: pair as unknown as NamedTensorInfoMap,
        backend: gpu,
        attrs: { axis: 0 },
      }) as TensorInfo;
      made.push(joined);
      statisticsGradients.push(joined);
    }
    const [dScale, dOffset, coefficients] = runShader(
      gpu,
      gradientCoefficients(extra),
      [partial!, mean!, variance!, scale!, ...statisticsGradients],
      [[p.channels], [p.channels], [3, p.channels]],
      [p.channels, p.rows, p.chunks, epsilon],
      [Math.ceil(p.channels / 64), 1, 1],
    );
    const [dx] = runShader(
      gpu,
      gradient,
      [dy!, x!, coefficients!],
      [x!.shape],
      [p.channels],
      elementwiseDispatch(gpu, sizeOf(x!)),
    );
    for (const t of [coefficients!, ...made]) gpu.disposeData(t.dataId);
    return [dx!, dScale!, dOffset!];
  },
};
