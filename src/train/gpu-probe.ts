/**
 * Is there a real GPU behind WebGPU or WebGL? Browsers without one fall back to a CPU emulation
 * (SwiftShader in Chromium, llvmpipe or softpipe in Mesa) that is several times slower than
 * WebAssembly, so the automatic choice skips them.
 */

export interface GpuProbe {
  readonly usable: boolean;
  /** The device in words, or why it is not used. */
  readonly what: string;
  /** The device's name, when there is one. */
  readonly device?: string;
}

const SOFTWARE = /swiftshader|llvmpipe|softpipe|lavapipe|software|basic render|warp/i;

/** Classifies what a WebGPU adapter says about itself. */
export function classifyAdapter(info: {
  vendor?: string;
  architecture?: string;
  description?: string;
  device?: string;
  isFallbackAdapter?: boolean;
}): GpuProbe {
  const name =
    [info.vendor, info.architecture, info.description || info.device].filter((s) => s).join(' ') ||
    'an unnamed adapter';
  if (info.isFallbackAdapter === true || SOFTWARE.test(name))
    return {
      usable: false,
      what: `WebGPU skipped: its adapter (${name}) is a software emulation`,
      device: `${name}, a software emulation`,
    };
  return { usable: true, what: name, device: name };
}

/** Classifies a WebGL renderer string. */
export function classifyRenderer(renderer: string | null): GpuProbe {
  if (renderer === null) return { usable: false, what: 'WebGL 2 is not available' };
  if (SOFTWARE.test(renderer))
    return {
      usable: false,
      what: `WebGL skipped: it renders in software (${renderer})`,
      device: `${renderer}, in software`,
    };
  return { usable: true, what: renderer, device: renderer };
}

interface AdapterLike {
  readonly info?: Record<string, unknown>;
  readonly isFallbackAdapter?: boolean;
  requestAdapterInfo?(): Promise<Record<string, unknown>>;
}
interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<AdapterLike | null>;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export async function describeAdapter(): Promise<GpuProbe> {
  const gpu = (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu;
  if (gpu === undefined) return { usable: false, what: 'this browser has no WebGPU' };
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter === null) return { usable: false, what: 'WebGPU found no adapter' };
  const info = adapter.info ?? (await adapter.requestAdapterInfo?.()) ?? {};
  const fallback = info['isFallbackAdapter'] ?? adapter.isFallbackAdapter;
  return classifyAdapter({
    vendor: text(info['vendor']),
    architecture: text(info['architecture']),
    description: text(info['description']),
    device: text(info['device']),
    ...(typeof fallback === 'boolean' ? { isFallbackAdapter: fallback } : {}),
  });
}

export function describeWebGl(): GpuProbe {
  if (typeof OffscreenCanvas === 'undefined') return { usable: false, what: 'WebGL 2 is not available' };
  const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
  if (gl === null) return classifyRenderer(null);
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER) as unknown;
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return classifyRenderer(typeof renderer === 'string' ? renderer : 'an unnamed renderer');
}
