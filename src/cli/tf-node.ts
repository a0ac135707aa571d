/** TensorFlow.js set-up for Node entry points (CLI, bench): the pure-JS cpu backend, quietly. */
import * as tfc from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

export async function useCpuBackend(): Promise<void> {
  // PROD drops the "install tfjs-node" banner, which cannot be installed here anyway.
  tfc.env().set('PROD', true);
  await tfc.setBackend('cpu');
  await tfc.ready();
}
