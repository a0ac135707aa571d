/**
 * WebGPU kernels written as whole WGSL shaders, with several outputs per dispatch (Adam's new value
 * and both moments; batch norm's output and statistics). tfjs-webgpu's own programs write a
 * single output, so each further output would cost a dispatch of its own reading every input again.
 *
 * The dispatch goes through the backend's own recordAndSubmit, which batches submits, keeps
 * buffers alive until the queue is done with them and times programs for tf.profile. It binds
 * [output, ...inputs, uniforms]; the outputs after the first travel as inputs that the shader
 * declares read_write. Every tensor is bound as one flat array of f32, and the uniforms start as
 * recordAndSubmit writes them: NaN, Infinity, then each bound tensor's size and stride (one i32
 * each for a flat array). This leans on tfjs-backend-webgpu 4.22's internals (the version is pinned).
 */
import type { DataType, TensorInfo } from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';

export interface ShaderKernel {
  /** Names the pipeline in the cache and in profiles. */
  readonly name: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** Scalars the code reads as `uniforms.<name>`; each tensor's length is `uniforms.<tensor>Size`. */
  readonly uniforms: readonly { readonly name: string; readonly type: 'f32' | 'i32' }[];
  readonly workgroupSize: readonly [number, number, number];
  /** Module-scope WGSL (workgroup arrays, helper functions). */
  readonly declarations?: string;
  /**
   * The entry point's body. In scope: `globalId`, `localId`, `workgroupId`, `numWorkgroups`
   * (vec3<u32>) and `localIndex` (u32).
   */
  readonly main: string;
}

type Uniform = { type: 'float32' | 'int32'; data: number[] };

/** What recordAndSubmit reads from a program. */
interface RecordedProgram {
  readonly pipeline: GPUComputePipeline;
  readonly dispatch: [number, number, number];
  /** recordAndSubmit names a timed program after its constructor. */
  readonly constructor: { readonly name: string };
}

/** The backend's members used here, which its type keeps private. */
interface Internals {
  readonly device: GPUDevice;
  uploadToGPU(dataId: object): void;
  makeTensorInfo(shape: number[], dtype: DataType): TensorInfo;
  recordAndSubmit(
    program: RecordedProgram,
    output: TensorInfo,
    inputs: TensorInfo[],
    uniforms: Uniform[],
  ): void;
}

const pipelines = new WeakMap<GPUDevice, Map<string, GPUComputePipeline>>();

/** The order recordAndSubmit binds tensors in: extra outputs, inputs, then the first output. */
const boundOrder = (k: ShaderKernel) => [...k.outputs.slice(1), ...k.inputs, k.outputs[0]!];

function source(k: ShaderKernel): string {
  const fields = [
    'nan : f32',
    'infinity : f32',
    ...boundOrder(k).flatMap((name) => [`${name}Size : i32`, `${name}Stride : i32`]),
    ...k.uniforms.map((u) => `${u.name} : ${u.type}`),
  ];
  const outputs = k.outputs.map(
    (name, i) => `@group(0) @binding(${i}) var<storage, read_write> ${name} : array<f32>;`,
  );
  const inputs = k.inputs.map(
    (name, i) => `@group(0) @binding(${k.outputs.length + i}) var<storage, read> ${name} : array<f32>;`,
  );
  const [x, y, z] = k.workgroupSize;
  return `
    struct Uniforms { ${fields.join(', ')} };
    ${outputs.join('\n')}
    ${inputs.join('\n')}
    @group(0) @binding(${k.outputs.length + k.inputs.length}) var<uniform> uniforms : Uniforms;
    ${k.declarations ?? ''}

    @compute @workgroup_size(${x}, ${y}, ${z})
    fn main(@builtin(global_invocation_id) globalId : vec3<u32>,
            @builtin(local_invocation_id) localId : vec3<u32>,
            @builtin(local_invocation_index) localIndex : u32,
            @builtin(workgroup_id) workgroupId : vec3<u32>,
            @builtin(num_workgroups) numWorkgroups : vec3<u32>) {
      ${k.main}
    }
  `;
}

function pipelineFor(device: GPUDevice, k: ShaderKernel): GPUComputePipeline {
  let cache = pipelines.get(device);
  if (cache === undefined) pipelines.set(device, (cache = new Map()));
  let pipeline = cache.get(k.name);
  if (pipeline === undefined) {
    const module = device.createShaderModule({ code: source(k), label: k.name });
    pipeline = device.createComputePipeline({
      layout: 'auto',
      compute: { module, entryPoint: 'main' },
      label: k.name,
    });
    cache.set(k.name, pipeline);
  }
  return pipeline;
}

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * Runs `k` on float32 `inputs` (in `k.inputs` order) over `dispatch` workgroups; returns new
 * float32 outputs of `outputShapes`. `uniforms` follow `k.uniforms`.
 */
export function runShader(
  backend: WebGPUBackend,
  k: ShaderKernel,
  inputs: readonly TensorInfo[],
  outputShapes: readonly (readonly number[])[],
  uniforms: readonly number[],
  dispatch: readonly [number, number, number],
): TensorInfo[] {
  const gpu = backend as unknown as Internals;
  for (const t of inputs)
    if (t.dtype !== 'float32') throw new Error(`${k.name}: inputs must be float32, got ${t.dtype}`);
  const most = gpu.device.limits.maxComputeWorkgroupsPerDimension;
  if (dispatch.some((d) => d > most))
    throw new Error(`${k.name}: ${dispatch.join('×')} workgroups is too many`);
  const outputs = outputShapes.map((shape) => gpu.makeTensorInfo([...shape], 'float32'));
  for (const t of [...outputs, ...inputs]) gpu.uploadToGPU(t.dataId);
  const flat = (t: TensorInfo): TensorInfo => ({
    dataId: t.dataId,
    shape: [sizeOf(t.shape)],
    dtype: t.dtype,
  });
  const program: RecordedProgram = {
    pipeline: pipelineFor(gpu.device, k),
    dispatch: [...dispatch],
    constructor: { name: k.name },
  };
  gpu.recordAndSubmit(
    program,
    flat(outputs[0]!),
    [...outputs.slice(1), ...inputs].map(flat),
    uniforms.map((u, i) => ({ type: k.uniforms[i]!.type === 'f32' ? 'float32' : 'int32', data: [u] })),
  );
  return outputs;
}

const ELEMENTWISE_GROUP = 64;

/** Workgroups of 64 for `size` elements (in two dimensions past the per-dimension limit). */
export function elementwiseDispatch(backend: WebGPUBackend, size: number): [number, number, number] {
  const groups = Math.ceil(size / ELEMENTWISE_GROUP);
  const most = (backend as unknown as Internals).device.limits.maxComputeWorkgroupsPerDimension;
  return groups <= most ? [groups, 1, 1] : [most, Math.ceil(groups / most), 1];
}

/**
 * A kernel run once per element of its first output: `body` reads and writes element `i`, with the
 * elements past the end already turned away.
 */
export function elementwise(
  spec: Omit<ShaderKernel, 'workgroupSize' | 'main'> & { readonly body: string },
): ShaderKernel {
  return {
    ...spec,
    workgroupSize: [ELEMENTWISE_GROUP, 1, 1],
    main: `
      let i = i32(globalId.x + globalId.y * numWorkgroups.x * ${ELEMENTWISE_GROUP}u);
      if (i >= uniforms.${spec.outputs[0]}Size) {
        return;
      }
      ${spec.body}
    `,
  };
}
