import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Cross-origin isolation lets the wasm backend use SharedArrayBuffer where it helps.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// The built app runs only its own code: no inline scripts, no other origins; 'wasm-unsafe-eval' is
// what WebAssembly compilation needs, and blob: the scripts threaded wasm hands its pthread workers
// (made by the app's own worker). (The dev server injects an inline script, so it goes without.)
const securityHeaders = {
  ...isolation,
  'Content-Security-Policy': [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval' blob:",
    "worker-src 'self' blob:",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
  ].join('; '),
};

// Source maps triple the size of what is served (tens of MB for a few MB of app), so they are made
// only on request: `SOURCEMAP=1 npm run build`.
const sourcemap = process.env['SOURCEMAP'] === '1';

export default defineConfig({
  plugins: [react()],
  server: { headers: isolation },
  preview: { headers: securityHeaders },
  build: {
    target: 'es2022',
    sourcemap,
    rolldownOptions: {
      output: {
        // The page's own start-up code, split by library so none is over 500 kB and each caches on
        // its own when the app changes.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            { name: 'canvas', test: /node_modules[\\/](@xyflow|d3-[a-z]+|classcat|zustand|zundo)[\\/]/ },
            { name: 'schema', test: /node_modules[\\/](zod|jsonc-parser|lz-string)[\\/]/ },
          ],
        },
      },
    },
    // Some chunks are bigger than Vite's 500 kB default, and whole by nature: the Monaco editor
    // (about 2.7 MB, fetched only when the code panel first opens), TensorFlow.js in the training
    // worker (about 1 MB, fetched by the worker) and the WebGL and WebGPU backends (about 0.5 MB
    // each, fetched by the worker only when it tries that backend). What the page needs to start
    // stays split below 500 kB a chunk.
    chunkSizeWarningLimit: 2900,
  },
  // Module workers can load the GPU backends on demand.
  worker: { format: 'es' },
});
