/**
 * Reads every layer of a saved model into drafts, each by the node kinds that declare its class
 * (src/import/readers.ts). Layers come inputs first; a layer whose input could not be read is left
 * out, as the problem upstream is already reported.
 */
import type { DocError } from '../core/issues';
import type { Draft, DraftGraph } from './drafts';
import { inferDraft } from './drafts';
import { readLayer } from './readers';
import type { SavedModel } from './topology';

export interface Conversion {
  readonly graph: DraftGraph;
  readonly errors: readonly DocError[];
}

export function convertLayers(model: SavedModel): Conversion {
  const names = new Set(model.layers.map((l) => l.name));
  const drafts = new Map<number, Draft>();
  const outputOf = new Map<string, number>();
  const errors: DocError[] = [];

  for (const layer of model.layers) {
    const fail = (message: string) => errors.push({ path: layer.path, layer: layer.name, message });
    const sources: number[] = [];
    for (const name of layer.inputs) {
      const source = outputOf.get(name);
      if (source !== undefined) sources.push(source);
      else if (!names.has(name)) fail(`takes its input from "${name}", which is not a layer of this model`);
    }
    if (sources.length !== layer.inputs.length) continue;

    const reading = readLayer(
      layer,
      sources.map((s) => drafts.get(s)!.shape),
    );
    if (!reading.ok) {
      fail(reading.reason);
      continue;
    }
    // A layer that becomes no node passes its input through.
    let out = sources[0];
    let from = sources;
    for (const node of reading.nodes) {
      const key = drafts.size;
      const inputs = from.map((s) => drafts.get(s)!.shape);
      drafts.set(key, {
        kind: node.kind,
        params: node.params,
        inputs: from,
        layer,
        ...(node.suffix === undefined ? {} : { suffix: node.suffix }),
        shape: inferDraft(node.kind, node.params, inputs),
      });
      out = key;
      from = [key];
    }
    if (out !== undefined) outputOf.set(layer.name, out);
  }
  return { graph: { drafts, outputOf }, errors };
}
