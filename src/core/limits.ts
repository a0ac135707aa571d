/**
 * How big anything may get, in one place: the editor, the loader, share links, file imports, the
 * compiler and the CLI all read these, so nothing one part makes is refused by another.
 */

/** Most nodes a graph may hold. */
export const MAX_NODES = 10_000;
/** Most links a graph may hold (four per node on average: merges take many). */
export const MAX_LINKS = 40_000;

/**
 * Most characters of JSON read as a graph or a model.json (files, links, browser storage). A
 * 10,000-node graph made by copying ResNet-34 is 4 M characters as saved, 6 M with a 200-character
 * label on every node, 16 M with every label character escaped; 32 Mi leaves room and parses in well
 * under a second.
 */
export const MAX_JSON_CHARS = 32 * 2 ** 20;

/**
 * Deepest nesting of brackets in JSON text. A graph nests 4 levels; a Keras model.json about 12, a
 * few more per nested model. Parsers recurse per level, so this is checked before any parsing.
 */
export const MAX_JSON_DEPTH = 64;

/** Longest share link fragment: Chromium opens URLs of at most 2 MiB. */
export const MAX_LINK_CHARS = 2 * 2 ** 20;

/**
 * Most bytes of weights (float32, trainable and not) a model may have: 2 GiB, 537 M parameters,
 * 25 times the biggest template (ResNet-34, 21.8 M). Training keeps at least four copies (weights,
 * gradients and Adam's two moments), which already fills the 4 GiB that the wasm backend can
 * address, and the weights download as one buffer.
 */
export const MAX_WEIGHT_BYTES = 2 ** 31;

/**
 * Most bytes of activations (every node's float32 output) for one example: 1 GiB, 8 times the pets
 * lesson ResNet-34 at 352×352 (136 MB). Training holds them and their gradients for every example
 * of a batch, so one example at this size already takes half of what the wasm backend addresses.
 */
export const MAX_ACTIVATION_BYTES = 2 ** 30;

const count = (n: number): string => n.toLocaleString('en-US');

/** Why a graph with these counts is too big, or null when it fits. */
export function graphSizeProblem(nodes: number, links: number): string | null {
  if (nodes > MAX_NODES)
    return `a graph holds at most ${count(MAX_NODES)} nodes, and this one would have ${count(nodes)}`;
  if (links > MAX_LINKS)
    return `a graph holds at most ${count(MAX_LINKS)} links, and this one would have ${count(links)}`;
  return null;
}
