/**
 * Opening saved Keras / TensorFlow.js layers models (model.json, with its .bin weights files when
 * they are given) as ConvCanvas graphs. Runs in the page: no TensorFlow.js here. The weights come
 * back by the names the compiled model gives them; src/compile/weights.ts loads them into it.
 */
import type { GraphDocument } from '../core/document';
import type { DocError } from '../core/issues';
import { MAX_JSON_CHARS } from '../core/limits';
import { formatBytes } from '../core/units';
import { loadGraph, parseJson } from '../core/load';
import { graphFromModel } from './to-graph';
import { isModelJson, readTopology } from './topology';
import { baseName, decodeWeights, manifestFiles } from '../model-files/reader';
import type { SavedWeight } from '../model-files/types';

export { isModelJson } from './topology';

export interface ImportedModel {
  readonly doc: GraphDocument;
  /** Weights by compiled weight name (`<node id>/kernel`); null when no weights files were given. */
  readonly weights: ReadonlyMap<string, SavedWeight> | null;
  readonly notes: readonly string[];
}

export type ImportResult =
  ({ readonly ok: true } & ImportedModel) | { readonly ok: false; readonly errors: readonly DocError[] };

/** Renames saved weights (`<layer>/<weight>`, maybe under a model scope) after the nodes their layers became. */
function renameWeights(
  saved: ReadonlyMap<string, SavedWeight>,
  nodeOfLayer: ReadonlyMap<string, string>,
  notes: string[],
): Map<string, SavedWeight> {
  const out = new Map<string, SavedWeight>();
  const unmatched: string[] = [];
  for (const [name, weight] of saved) {
    const parts = name.split('/');
    const leaf = parts.pop()!;
    // The layer is the longest scope that names one ("model/block/conv" tries all three parts).
    let node: string | undefined;
    for (let i = 0; i < parts.length && node === undefined; i++)
      node = nodeOfLayer.get(parts.slice(i).join('/'));
    for (let i = parts.length - 1; i >= 0 && node === undefined; i--) node = nodeOfLayer.get(parts[i]!);
    if (node === undefined) unmatched.push(name);
    else out.set(`${node}/${leaf}`, weight);
  }
  if (unmatched.length > 0)
    notes.push(
      `${unmatched.length} saved weight(s) belong to no layer of the graph and were left out: ${unmatched.slice(0, 5).join(', ')}${unmatched.length > 5 ? ', …' : ''}.`,
    );
  return out;
}

/** Most problems listed for one file; the rest are counted. */
const MAX_LISTED = 50;

function listed(errors: readonly DocError[]): readonly DocError[] {
  if (errors.length <= MAX_LISTED) return errors;
  return [
    ...errors.slice(0, MAX_LISTED),
    { path: '(file)', message: `${errors.length - MAX_LISTED} more problems are not listed` },
  ];
}

/**
 * A parsed model.json -> graph (and weights, when `files` holds the .bin files its manifest names,
 * by file name). With no files at all, the graph comes without weights. Whatever the JSON holds,
 * the answer is a graph or located errors (at most MAX_LISTED of them, then a count).
 */
export function importModel(
  json: unknown,
  files: ReadonlyMap<string, ArrayBuffer> = new Map(),
): ImportResult {
  const result = readModel(json, files);
  return result.ok ? result : { ok: false, errors: listed(result.errors) };
}

function readModel(json: unknown, files: ReadonlyMap<string, ArrayBuffer>): ImportResult {
  const topology = readTopology(json);
  if (!topology.ok) return topology;
  const graph = graphFromModel(topology.model);
  if (!graph.ok) return graph;
  const notes = [...graph.notes];
  const manifest = (json as Record<string, unknown>)['weightsManifest'];
  if (files.size === 0 || manifest === undefined) {
    if (manifestFiles(manifest).length > 0)
      notes.push(
        'Weights were not loaded: select the .bin files together with model.json to bring them along.',
      );
    return { ok: true, doc: graph.doc, weights: null, notes };
  }
  const decoded = decodeWeights(manifest, files);
  if (!decoded.ok) return decoded;
  return {
    ok: true,
    doc: graph.doc,
    weights: renameWeights(decoded.weights, graph.nodeOfLayer, notes),
    notes,
  };
}

/** What a person picked in the file dialog: `File` objects in the page. */
export interface PickedFile {
  readonly name: string;
  /** Bytes, when known (a File's): a file too big to be a graph or model.json is not read. */
  readonly size?: number;
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export type OpenResult =
  | { readonly kind: 'graph'; readonly doc: GraphDocument; readonly source: string }
  | ({ readonly kind: 'model'; readonly source: string } & ImportedModel)
  | { readonly kind: 'error'; readonly source: string; readonly errors: readonly DocError[] };

/**
 * Opens picked files: one ConvCanvas graph (.json), or one model.json with the .bin weights files
 * saved with it. Never throws; a failure says what and where, and changes nothing.
 */
export async function openFiles(picked: readonly PickedFile[]): Promise<OpenResult> {
  const jsons = picked.filter((f) => !f.name.toLowerCase().endsWith('.bin'));
  const bins = picked.filter((f) => f.name.toLowerCase().endsWith('.bin'));
  const source = jsons.length === 1 ? jsons[0]!.name : picked.map((f) => f.name).join(', ');
  if (jsons.length !== 1)
    return {
      kind: 'error',
      source: source || 'the selection',
      errors: [
        {
          path: '(files)',
          message: `select one .json file (a ConvCanvas graph or a model.json), plus the model's .bin files if it has them; this selection has ${jsons.length} .json files`,
        },
      ],
    };
  const file = jsons[0]!;
  if (file.size !== undefined && file.size > MAX_JSON_CHARS)
    return {
      kind: 'error',
      source,
      errors: [
        {
          path: '(file)',
          message: `this file is ${formatBytes(file.size)}; a graph or model.json is read only up to ${formatBytes(MAX_JSON_CHARS)} (its weights go in the .bin files), so it was not read`,
        },
      ],
    };
  let text: string;
  try {
    text = await file.text();
  } catch (e) {
    return { kind: 'error', source, errors: [{ path: '(file)', message: `cannot be read: ${String(e)}` }] };
  }
  const parsed = parseJson(text);
  if (!parsed.ok) return { kind: 'error', source, errors: [parsed.error] };
  if (!isModelJson(parsed.value)) {
    if (bins.length > 0)
      return {
        kind: 'error',
        source,
        errors: [
          {
            path: '(files)',
            message: '.bin weights files go with a model.json, and this is a ConvCanvas graph',
          },
        ],
      };
    const loaded = loadGraph(parsed.value);
    return loaded.ok
      ? { kind: 'graph', doc: loaded.doc, source }
      : { kind: 'error', source, errors: loaded.errors };
  }
  const buffers = new Map<string, ArrayBuffer>();
  for (const bin of bins) buffers.set(baseName(bin.name), await bin.arrayBuffer());
  const imported = importModel(parsed.value, buffers);
  return imported.ok
    ? { kind: 'model', source, ...imported }
    : { kind: 'error', source, errors: imported.errors };
}
