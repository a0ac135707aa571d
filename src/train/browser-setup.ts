/**
 * TensorFlow.js set-up for the browser worker: where the bundler put the wasm binaries, and which
 * wasm flavour may run. (Node entry points use node-backend.ts instead.)
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
// Gradients: tfjs-layers registers every op's gradient when it loads.
import '@tensorflow/tfjs-layers';

export function setUpBrowserTfjs(): void {
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlain,
    'tfjs-backend-wasm-simd.wasm': wasmSimd,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
  });
  // Threaded wasm hangs in production builds (its helper workers die): one thread is what we get anyway.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  tf.env().set('PROD', true);
}
