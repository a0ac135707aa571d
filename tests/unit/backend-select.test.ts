import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/train/backend-select';
import { classifyAdapter, classifyRenderer } from '../../src/train/gpu-probe';

describe('telling a real GPU from a software one', () => {
  it('skips fallback adapters and SwiftShader, takes real adapters', () => {
    // What Chromium reports with --enable-unsafe-webgpu and no GPU.
    expect(
      classifyAdapter({ vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true }).usable,
    ).toBe(false);
    expect(classifyAdapter({ vendor: 'google', architecture: 'swiftshader' }).usable).toBe(false);
    expect(classifyAdapter({ vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' }).usable).toBe(
      false,
    );
    const nvidia = classifyAdapter({ vendor: 'nvidia', architecture: 'hopper', isFallbackAdapter: false });
    expect(nvidia).toEqual({ usable: true, what: 'nvidia hopper', device: 'nvidia hopper' });
    expect(classifyAdapter({ vendor: 'apple', architecture: 'metal-3' }).usable).toBe(true);
  });
  it('reads WebGL renderer strings', () => {
    expect(
      classifyRenderer(
        'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)',
      ).usable,
    ).toBe(false);
    expect(classifyRenderer('Mesa llvmpipe (LLVM 15)').usable).toBe(false);
    expect(classifyRenderer('ANGLE (NVIDIA, NVIDIA GeForce RTX 4090 Direct3D11 vs_5_0 ps_5_0)').usable).toBe(
      true,
    );
    expect(classifyRenderer(null)).toMatchObject({ usable: false, what: 'WebGL 2 is not available' });
  });
});

describe('backend policy', () => {
  const none = {
    webgpu: () => Promise.resolve({ usable: false, what: 'this browser has no WebGPU' }),
    webgl: () => ({ usable: false, what: 'WebGL 2 is not available' }),
  };
  it('falls through to WebAssembly and says why the GPUs were passed over', async () => {
    tf.env().set('PROD', true);
    const selected = await selectBackend('auto', none);
    expect(selected.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(selected.reason).toMatch(/WebAssembly.*no WebGPU.*WebGL 2 is not available/);
  });
  it('a chosen backend that cannot start falls back, and says so', async () => {
    // Node has no WebGPU device: the backend registers but cannot start.
    const selected = await selectBackend('webgpu', none);
    expect(selected.name).toBe('wasm');
    expect(selected.reason).toMatch(/^WebAssembly.*webgpu was chosen but did not start/);
  });
  it('a chosen CPU backend is used as asked', async () => {
    const selected = await selectBackend('cpu', none);
    expect(selected).toEqual({ name: 'cpu', reason: 'cpu was chosen' });
  });
});
