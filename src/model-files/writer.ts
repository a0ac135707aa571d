/**
 * Writes tfjs' layers-model files (model.json plus one binary weights file) without TensorFlow.js,
 * so the page can save what the worker serialised.
 */
import type { Artifacts } from './types';

export function concatBuffers(buffers: readonly ArrayBuffer[]): ArrayBuffer {
  const out = new Uint8Array(buffers.reduce((n, b) => n + b.byteLength, 0));
  let at = 0;
  for (const b of buffers) {
    out.set(new Uint8Array(b), at);
    at += b.byteLength;
  }
  return out.buffer;
}

/** The model.json text for artifacts whose weights are saved as `weightsPath` beside it. */
export function modelJson(artifacts: Artifacts, weightsPath: string): string {
  return JSON.stringify({
    format: 'layers-model',
    generatedBy: 'ConvCanvas',
    convertedBy: null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [weightsPath], weights: artifacts.weightSpecs }],
    ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
  });
}
