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

export default defineConfig({
  plugins: [react()],
  server: { headers: isolation },
  preview: { headers: securityHeaders },
  build: { target: 'es2022', sourcemap: true },
  // Module workers can load the GPU backends on demand.
  worker: { format: 'es' },
});
