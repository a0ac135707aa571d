/**
 * The order a saved model's layers are read in (inputs first), refusing what no graph can be:
 * two layers of one name, a layer that reads itself, layers that feed each other in a loop, and
 * models too big to show.
 */
import type { DocError } from '../core/issues';

/** Most layers an import reads: a graph holds at most 10,000 nodes. */
export const MAX_LAYERS = 10_000;
/** Most links between layers an import reads: a graph holds at most 40,000 links. */
export const MAX_LAYER_LINKS = 40_000;
/** How many problems of one sort are located one by one before the rest are counted. */
const FEW = 5;

interface Layer {
  readonly name: string;
  /** Names of the layers whose outputs feed this one. */
  readonly inputs: readonly string[];
  /** Where it sits in the file, e.g. `layers[3]`. */
  readonly path: string;
}

export type LayerOrder<L> =
  { readonly ok: true; readonly layers: readonly L[] } | { readonly ok: false; readonly errors: DocError[] };

const moreLayers = (n: number): string => (n === 1 ? '1 more layer' : `${n} more layers`);

const quoted = (name: string): string => JSON.stringify(name.length > 60 ? `${name.slice(0, 60)}…` : name);

/** The first few problems located one by one, then one that counts the rest. */
function fewThenCount(errors: readonly DocError[], where: string, rest: (n: number) => string): DocError[] {
  if (errors.length <= FEW) return [...errors];
  return [...errors.slice(0, FEW), { path: where, message: rest(errors.length - FEW) }];
}

/** Layers that share a name: Keras refuses them too, and a layer's weights are found by its name. */
function sameNames(layers: readonly Layer[], where: string): DocError[] {
  const first = new Map<string, Layer>();
  const errors: DocError[] = [];
  for (const l of layers) {
    const earlier = first.get(l.name);
    if (earlier === undefined) first.set(l.name, l);
    else
      errors.push({
        path: l.path,
        layer: l.name,
        message: `has the same name as ${earlier.path}: each layer of a model needs its own name`,
      });
  }
  return fewThenCount(
    errors,
    where,
    (n) => `${moreLayers(n)} ${n === 1 ? 'shares' : 'share'} a name with another layer`,
  );
}

function selfReaders(layers: readonly Layer[], where: string): DocError[] {
  const errors = layers
    .filter((l) => l.inputs.includes(l.name))
    .map((l) => ({
      path: `${l.path}.inbound_nodes`,
      layer: l.name,
      message: 'takes its own output as its input: data must flow one way, from the input to the output',
    }));
  return fewThenCount(
    errors,
    where,
    (n) => `${moreLayers(n)} ${n === 1 ? 'takes its' : 'take their'} own output as input`,
  );
}

/**
 * Inputs first. Layers come in file order, except that a layer waits for its inputs: as tfjs'
 * sweep would read them, each layer goes in the first sweep through the file in which all its
 * inputs are already read (`round`), and within a sweep in file order.
 */
function sweepOrder<L extends Layer>(layers: readonly L[]): { order: L[]; blocked: L[] } {
  const index = new Map(layers.map((l, i) => [l.name, i]));
  const readers = layers.map(() => [] as number[]);
  const waiting = layers.map(() => 0);
  layers.forEach((l, i) => {
    for (const name of l.inputs) {
      const j = index.get(name);
      // An input that is no layer is reported when the layer is read.
      if (j === undefined) continue;
      readers[j]!.push(i);
      waiting[i]!++;
    }
  });
  const round = layers.map(() => 0);
  const queue = layers.flatMap((_, i) => (waiting[i] === 0 ? [i] : []));
  for (let head = 0; head < queue.length; head++) {
    const j = queue[head]!;
    for (const i of readers[j]!) {
      // An input later in the file is read in the sweep after its own.
      round[i] = Math.max(round[i]!, round[j]! + (j > i ? 1 : 0));
      if (--waiting[i]! === 0) queue.push(i);
    }
  }
  const done = new Set(queue);
  const order = [...done].sort((a, b) => round[a]! - round[b]! || a - b).map((i) => layers[i]!);
  return { order, blocked: layers.filter((_, i) => !done.has(i)) };
}

/** One loop among layers that cannot be ordered, in the direction data flows. */
function findLoop(blocked: readonly Layer[]): Layer[] {
  const byName = new Map(blocked.map((l) => [l.name, l]));
  const seenAt = new Map<string, number>();
  const path: Layer[] = [];
  // Each blocked layer reads another blocked layer, so walking up the inputs must come round.
  let at: Layer | undefined = blocked[0];
  while (at !== undefined && !seenAt.has(at.name)) {
    seenAt.set(at.name, path.length);
    path.push(at);
    at = at.inputs.map((n) => byName.get(n)).find((l) => l !== undefined);
  }
  if (at === undefined) return [];
  const loop = path.slice(seenAt.get(at.name)).reverse();
  // Start at the loop's first layer in the file, still in the direction data flows.
  const order = new Map(blocked.map((l, i) => [l.name, i]));
  const start = loop.reduce(
    (best, l, i) => (order.get(l.name)! < order.get(loop[best]!.name)! ? i : best),
    0,
  );
  return [...loop.slice(start), ...loop.slice(0, start)];
}

/**
 * The layers inputs first, or why they cannot be: duplicate names, layers reading themselves,
 * loops. `where` locates problems of the whole list (e.g. `modelTopology.config.layers`).
 */
export function orderLayers<L extends Layer>(layers: readonly L[], where: string): LayerOrder<L> {
  const named = sameNames(layers, where);
  if (named.length > 0) return { ok: false, errors: named };
  const self = selfReaders(layers, where);
  if (self.length > 0) return { ok: false, errors: self };
  const { order, blocked } = sweepOrder(layers);
  if (blocked.length === 0) return { ok: true, layers: order };
  const loop = findLoop(blocked);
  const first = loop[0] ?? blocked[0]!;
  const names = loop.map((l) => quoted(l.name));
  const through =
    names.length > FEW
      ? `${names.length} layers: ${names.slice(0, FEW).join(' → ')} → …`
      : [...names, quoted(first.name)].join(' → ');
  const after = blocked.length - loop.length;
  return {
    ok: false,
    errors: [
      {
        path: `${first.path}.inbound_nodes`,
        layer: first.name,
        message: `the layers form a loop through ${through}${after > 0 ? ` (${moreLayers(after)} ${after === 1 ? 'depends' : 'depend'} on a loop)` : ''}: data must flow one way, from the input to the output`,
      },
    ],
  };
}

/** Why a model of this many layers is not read, before any work is done on them. */
export function tooManyLayers(count: number, where: string): DocError | undefined {
  return count > MAX_LAYERS
    ? {
        path: where,
        message: `the model has ${count} layers; ConvCanvas opens models of at most ${MAX_LAYERS}`,
      }
    : undefined;
}

/** Why a model whose layers have this many inputs in all is not read. */
export function tooManyLinks(layers: readonly Layer[], where: string): DocError | undefined {
  const links = layers.reduce((n, l) => n + l.inputs.length, 0);
  return links > MAX_LAYER_LINKS
    ? {
        path: where,
        message: `the layers have ${links} inputs in all; ConvCanvas opens models of at most ${MAX_LAYER_LINKS} links`,
      }
    : undefined;
}
