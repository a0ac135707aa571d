import * as tfc from '@tensorflow/tfjs-core';
import { beforeAll } from 'vitest';
import { useCpuBackend } from '../../../src/train/node-backend';

/** Call at the top of a test file that runs tfjs. */
export function withCpuBackend(): void {
  beforeAll(async () => {
    await useCpuBackend();
  });
}

export { tfc };
