import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { configureWasmThreads, wasmThreadsFor } from '../../src/train/wasm-threads';

const scope = (cores: number, isolated = true) => ({
  crossOriginIsolated: isolated,
  navigator: { hardwareConcurrency: cores },
});

describe('wasm threads', () => {
  it('uses half the logical cores where the page is cross-origin isolated, else one', () => {
    expect(wasmThreadsFor(scope(8))).toBe(4);
    expect(wasmThreadsFor(scope(2))).toBe(1);
    expect(wasmThreadsFor(scope(8, false))).toBe(1);
    expect(wasmThreadsFor(scope(64))).toBe(8);
    expect(wasmThreadsFor(scope(2), 2)).toBe(2);
    expect(wasmThreadsFor(scope(2, false), 2)).toBe(1);
  });
  it('keeps the single-threaded build for one thread, and lifts tfjs’ half-the-cores cap for more', () => {
    const two = scope(2);
    configureWasmThreads(2, two);
    expect(two.navigator.hardwareConcurrency).toBe(4);
    const many = scope(16);
    configureWasmThreads(4, many);
    expect(many.navigator.hardwareConcurrency).toBe(16);
    configureWasmThreads(1, scope(2));
    expect(tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')).toBe(false);
  });
});
