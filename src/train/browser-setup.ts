/**
 * TensorFlow.js set-up for the browser worker: where the bundler put the wasm binaries, and which
 * wasm flavour may run. (Node entry points use node-backend.ts instead.)
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as threadedGlue from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js';
import threadedGlueSource from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js?raw';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
// Gradients: tfjs-layers registers every op's gradient when it loads.
import '@tensorflow/tfjs-layers';
import { configureWasmThreads, wasmThreadsFor } from './wasm-threads';

/**
 * Each pthread worker of threaded wasm evaluates `"var WasmBackendModuleThreadedSimd = " +
 * factory.toString()`. Bundled and minified, that function's text refers to variables renamed or
 * left outside it, so every pthread worker died and the backend's start hung. The glue file's own
 * text, unbundled, defines the same factory by itself.
 */
function makeThreadedGlueStandalone(): void {
  const imported = threadedGlue as unknown as { default?: object };
  const factory = imported.default ?? imported;
  const source = `(function () {\n${threadedGlueSource}\nreturn WasmBackendModuleThreadedSimd;\n})()`;
  Object.defineProperty(factory, 'toString', { value: () => source });
}

export function setUpBrowserTfjs(): void {
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlain,
    'tfjs-backend-wasm-simd.wasm': wasmSimd,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
  });
  // VITE_WASM_THREADS (at build time) sets the count, for measuring; by default tfjs' own choice.
  const requested = import.meta.env['VITE_WASM_THREADS'] as string | undefined;
  const threads = wasmThreadsFor(self, requested === undefined ? undefined : Number(requested));
  if (threads > 1) {
    makeThreadedGlueStandalone();
    // A pthread worker that dies reports its error here, and emscripten throws it again here; both
    // would reach the page, which would take this worker for crashed and restart it, over and over.
    // Keep them here: the threaded start then runs out of time and falls back to one thread.
    self.addEventListener('error', (e) => {
      if (e.filename.startsWith('blob:') || e.error instanceof ErrorEvent) e.preventDefault();
    });
  }
  configureWasmThreads(threads, self);
  tf.env().set('PROD', true);
}
