import * as tfc from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/** Weight counts as tfjs itself reports them. */
export function countWeights(weights: readonly tfl.LayerVariable[]): number {
  return weights.reduce((n, w) => n + w.shape.reduce<number>((a, b) => a * (b ?? 0), 1), 0);
}

/** Runs `model` on zeros and returns the real output shapes without the batch dimension. */
export function runOnZeros(model: tfl.LayersModel): number[][] {
  return tfc.tidy(() => {
    const inputs = model.inputs.map((i) => tfc.zeros([1, ...(i.shape.slice(1) as number[])]));
    const out = model.predict(inputs.length === 1 ? inputs[0]! : inputs);
    return (Array.isArray(out) ? out : [out]).map((t) => t.shape.slice(1));
  });
}
