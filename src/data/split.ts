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

/** The share of a dataset kept for validation when it brings no split of its own. */
export const DEFAULT_VALIDATION_SHARE = 0.2;

/**
 * `items` in a training and a validation part, stratified by `labelOf`, with the chosen share and
 * seed (20% and 1 unless given); both parts keep the items' order.
 */
export function splitItems<T>(
  items: readonly T[],
  labelOf: (item: T) => number,
  options: { readonly validationShare?: number; readonly seed?: number },
): { train: T[]; validation: T[] } {
  const split = stratifiedSplit(
    items.map(labelOf),
    options.validationShare ?? DEFAULT_VALIDATION_SHARE,
    options.seed ?? 1,
  );
  return {
    train: Array.from(split.train, (i) => items[i]!),
    validation: Array.from(split.validation, (i) => items[i]!),
  };
}
