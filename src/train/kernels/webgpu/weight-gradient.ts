/**
 * Conv2DBackpropFilter (a convolution's weight gradient) on WebGPU as a tiled matrix product.
 *
 * tfjs-webgpu gives each weight one thread that walks the whole batch alone: a 3×3×16×16 filter
 * is 2,304 threads each summing 131,072 products at batch 128, with no reuse of what neighbouring
 * threads read. Here the gradient is the product of the im2col matrix of x (built on the fly, never
 * stored) and dy:
 *
 *   dW[r, co] = Σ_p A[r, p] · dy[p, co],  r = (kh, kw, ci),  p = (b, oh, ow),
 *   A[r, p] = x[b, oh·sh + kh − padTop, ow·sw + kw − padLeft, ci]  (0 outside the image).
 *
 * Each workgroup computes a 64 × TN tile of dW, staging 16 positions of A and dy at a time in
 * workgroup memory; each thread keeps 4 × TN/16 sums. The positions are split among workgroups
 * (split-K) so that small filters still fill the GPU, and a second pass adds the splits up.
 */
import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { forwardConvInfo } from '../compose';

/** Rows of dW (filter positions × input channels) per workgroup. */
const TILE_ROWS = 64;
/** Positions (b, oh, ow) staged per step through the sum. */
const TILE_INNER = 16;
/** Threads per workgroup: 16 × 16. */
const SIDE = 16;
/** About this many workgroups in all, so that a GPU with a hundred compute units has work for each. */
const TARGET_WORKGROUPS = 512;
/** No split sums fewer positions than this (the partial sums must be worth writing). */
const MIN_POSITIONS_PER_SPLIT = 8 * TILE_INNER;

export type TileColumns = 16 | 32 | 64;

/** The output-channel tile: as wide as the channels need, up to 64. */
export function tileColumns(outChannels: number): TileColumns {
  return outChannels > 32 ? 64 : outChannels > 16 ? 32 : 16;
}

export interface SplitPlan {
  /** Workgroups summing separate ranges of positions. */
  readonly splits: number;
  /** Positions each split sums (a multiple of the staging depth). */
  readonly chunk: number;
}

/** How many ways to split the sum over `positions` for a dW of `rows` × `columns`. */
export function planSplits(rows: number, columns: number, positions: number): SplitPlan {
  const tiles = Math.ceil(rows / TILE_ROWS) * Math.ceil(columns / tileColumns(columns));
  const wanted = Math.ceil(TARGET_WORKGROUPS / tiles);
  const most = Math.max(1, Math.floor(positions / MIN_POSITIONS_PER_SPLIT));
  const splits = Math.max(1, Math.min(wanted, most));
  const chunk = Math.ceil(positions / splits / TILE_INNER) * TILE_INNER;
  return { splits: Math.ceil(positions / chunk), chunk };
}

class WeightGradientProgram implements WebGPUProgram {
  readonly variableNames = ['x', 'dy'];
  readonly uniforms =
    'kernelWidth : i32, strides : vec2<i32>, pads : vec2<i32>, rows : i32, positions : i32, chunk : i32,';
  readonly workgroupSize: [number, number, number] = [SIDE, SIDE, 1];
  readonly dispatchLayout = { x: [0], y: [1], z: [2] };
  readonly dispatch: [number, number, number];
  shaderKey: string;

  constructor(
    readonly outputShape: number[],
    rows: number,
    columns: number,
    splits: number,
    private readonly tileCols: TileColumns,
  ) {
    this.dispatch = [Math.ceil(columns / tileCols), Math.ceil(rows / TILE_ROWS), splits];
    this.shaderKey = `convcanvasWeightGradient_${tileCols}`;
  }

  getUserCode(): string {
    const cols = this.tileCols;
    const perThread = cols / SIDE;
    const threads = SIDE * SIDE;
    const aLoads = (TILE_INNER * TILE_ROWS) / threads;
    const bLoads = (TILE_INNER * cols) / threads;
    // The loop over positions runs chunk/16 times in every workgroup (a uniform count, as the
    // barriers require); positions past the end read as zero.
    return `
      var<workgroup> tileA : array<array<f32, ${TILE_ROWS}>, ${TILE_INNER}>;
      var<workgroup> tileB : array<array<f32, ${cols}>, ${TILE_INNER}>;

      fn main() {
        let lid = i32(localIndex);
        let tx = i32(localId.x);
        let ty = i32(localId.y);
        let inH = uniforms.xShape.y;
        let inW = uniforms.xShape.z;
        let inC = uniforms.xShape.w;
        let outH = uniforms.dyShape.y;
        let outW = uniforms.dyShape.z;
        let outC = uniforms.dyShape.w;
        let rows = uniforms.rows;
        let row0 = i32(workgroupId.y) * ${TILE_ROWS};
        let col0 = i32(workgroupId.x) * ${cols};
        let split = i32(workgroupId.z);
        let begin = split * uniforms.chunk;

        // The dW row whose x values this thread stages: the same for the whole sum.
        let aCol = lid % ${TILE_ROWS};
        let aRow = lid / ${TILE_ROWS};
        let r = row0 + aCol;
        let rInside = r < rows;
        let ci = r % inC;
        let kw = (r / inC) % uniforms.kernelWidth;
        let kh = r / (inC * uniforms.kernelWidth);
        let bCol = lid % ${cols};
        let bRow = lid / ${cols};
        let c = col0 + bCol;
        let cInside = c < outC;

        var acc : array<array<f32, ${perThread}>, ${TILE_ROWS / SIDE}>;
        let steps = uniforms.chunk / ${TILE_INNER};
        for (var step = 0; step < steps; step++) {
          let p0 = begin + step * ${TILE_INNER};
          for (var i = 0; i < ${aLoads}; i++) {
            let k = aRow + i * ${threads / TILE_ROWS};
            let p = p0 + k;
            var v = 0.0;
            if (rInside && p < uniforms.positions) {
              let ow = p % outW;
              let rest = p / outW;
              let oh = rest % outH;
              let b = rest / outH;
              let ih = oh * uniforms.strides.x + kh - uniforms.pads.x;
              let iw = ow * uniforms.strides.y + kw - uniforms.pads.y;
              if (ih >= 0 && ih < inH && iw >= 0 && iw < inW) {
                v = x[((b * inH + ih) * inW + iw) * inC + ci];
              }
            }
            tileA[k][aCol] = v;
          }
          for (var i = 0; i < ${bLoads}; i++) {
            let k = bRow + i * ${threads / cols};
            let p = p0 + k;
            var v = 0.0;
            if (cInside && p < uniforms.positions) {
              v = dy[p * outC + c];
            }
            tileB[k][bCol] = v;
          }
          workgroupBarrier();
          for (var k = 0; k < ${TILE_INNER}; k++) {
            var bv : array<f32, ${perThread}>;
            for (var j = 0; j < ${perThread}; j++) {
              bv[j] = tileB[k][tx + j * ${SIDE}];
            }
            for (var i = 0; i < ${TILE_ROWS / SIDE}; i++) {
              let a = tileA[k][ty + i * ${SIDE}];
              for (var j = 0; j < ${perThread}; j++) {
                acc[i][j] = fma(a, bv[j], acc[i][j]);
              }
            }
          }
          workgroupBarrier();
        }

        for (var i = 0; i < ${TILE_ROWS / SIDE}; i++) {
          let row = row0 + ty + i * ${SIDE};
          for (var j = 0; j < ${perThread}; j++) {
            let col = col0 + tx + j * ${SIDE};
            if (row < rows && col < outC) {
              result[(split * rows + row) * outC + col] = acc[i][j];
            }
          }
        }
      }
    `;
  }
}

/** Adds the splits' partial gradients [splits, ...filterShape] into the gradient. */
class SumSplitsProgram implements WebGPUProgram {
  readonly variableNames = ['partial'];
  readonly uniforms = 'splits : i32,';
  readonly size = true;
  readonly workgroupSize: [number, number, number] = [64, 1, 1];
  readonly dispatchLayout: { x: number[] };
  readonly dispatch: [number, number, number];
  shaderKey = 'convcanvasSumSplits';

  constructor(readonly outputShape: number[]) {
    this.dispatchLayout = { x: outputShape.map((_, i) => i) };
    const size = outputShape.reduce((a, b) => a * b, 1);
    this.dispatch = [Math.ceil(size / 64), 1, 1];
  }

  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          var sum = 0.0;
          for (var s = 0; s < uniforms.splits; s++) {
            sum = sum + partial[s * uniforms.size + index];
          }
          setOutputAtIndex(index, sum);
        }
      }
    `;
  }
}

const int = (...data: number[]) => ({ type: 'int32', data });

/** dW for x and dy (NHWC, float32) as Conv2DBackpropFilter's attributes describe the convolution. */
export function weightGradient(
  backend: WebGPUBackend,
  x: TensorInfo,
  dy: TensorInfo,
  attrs: NamedAttrMap,
): TensorInfo {
  const filterShape = attrs['filterShape'] as [number, number, number, number];
  const info = forwardConvInfo('Conv2DBackpropFilter', attrs, x.shape, filterShape);
  const [kh, kw, ci, co] = filterShape;
  const rows = kh * kw * ci;
  const positions = info.batchSize * info.outHeight * info.outWidth;
  const { splits, chunk } = planSplits(rows, co, positions);
  const uniforms = [
    int(kw),
    int(info.strideHeight, info.strideWidth),
    int(info.padInfo.top, info.padInfo.left),
    int(rows),
    int(positions),
    int(chunk),
  ];
  const program = new WeightGradientProgram(
    splits === 1 ? [...filterShape] : [splits, rows, co],
    rows,
    co,
    splits,
    tileColumns(co),
  );
  const partial = backend.runWebGPUProgram(program, [x, dy], 'float32', uniforms);
  if (splits === 1) return partial;
  const total = backend.runWebGPUProgram(new SumSplitsProgram([...filterShape]), [partial], 'float32', [
    int(splits),
  ]);
  backend.disposeData(partial.dataId);
  return total;
}

export const webgpuWeightGradientKernel: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    return weightGradient(backend as unknown as WebGPUBackend, x, dy, attrs ?? {});
  },
};
