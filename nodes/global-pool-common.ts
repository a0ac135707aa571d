import { needsImage } from './conv-common';
import type { InferResult, NodeStats } from './define';
import { err, ok } from './define';
import type { KerasConfig, NodeReading } from './keras';
import { channelsLast, unsupported } from './keras';
import type { Shape } from './shape';
import { elementCount, isImage } from './shape';

export function inferGlobalPool(what: string, [x]: readonly Shape[]): InferResult {
  const problem = needsImage(what, x);
  if (problem !== null || x === undefined || !isImage(x)) return err(problem ?? '');
  return ok([x[2]]);
}

export const globalPoolStats = (inputs: readonly Shape[]): NodeStats => ({
  trainable: 0,
  nonTrainable: 0,
  flops: inputs[0] === undefined ? 0 : elementCount(inputs[0]),
});

/** A saved Keras global pool as a node of `kind`: always a vector, so keepdims cannot be shown. */
export function readGlobalPool(kind: string, c: KerasConfig): NodeReading[] {
  channelsLast(c);
  if (c['keepdims'] === true) unsupported('keepdims is not supported: the pool gives a vector');
  return [{ kind, params: {} }];
}
