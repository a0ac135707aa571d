/** A seeded training/validation split that keeps each class's share (stratified). */
import { seededRandom, shuffle } from './random';

export interface SplitIndices {
  readonly train: Int32Array;
  readonly validation: Int32Array;
}

/**
 * Sends round(share × n) of each class's n examples to validation, chosen by a generator seeded with
 * `seed`; both lists keep the examples' original order.
 */
export function stratifiedSplit(labels: ArrayLike<number>, share: number, seed: number): SplitIndices {
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const members = byClass.get(labels[i]!);
    if (members === undefined) byClass.set(labels[i]!, [i]);
    else members.push(i);
  }
  const random = seededRandom(seed);
  const toValidation = new Uint8Array(labels.length);
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    const members = shuffle(byClass.get(label)!, random);
    const take = Math.round(share * members.length);
    for (let k = 0; k < take; k++) toValidation[members[k]!] = 1;
  }
  const train: number[] = [];
  const validation: number[] = [];
  for (let i = 0; i < labels.length; i++) (toValidation[i] === 1 ? validation : train).push(i);
  return { train: Int32Array.from(train), validation: Int32Array.from(validation) };
}
