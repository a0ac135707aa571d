/**
 * A saved Keras / TensorFlow.js layers model -> a ConvCanvas graph. Each layer is read by the node
 * kinds that declare its class (nodes/, `fromKeras`); named passes then fold pairs that one node
 * realises back into it, so exporting a graph and importing it again gives the same graph. Params
 * are checked against the kinds' declarations last, and every problem names its layer.
 */
import { getNodeDef } from '../../nodes';
import type { ParamValuesLoose } from '../../nodes/define';
import type { GraphDocument, GraphEdge, GraphNode } from '../core/document';
import { SCHEMA_VERSION, handleId, isNodeId } from '../core/document';
import type { DocError } from '../core/issues';
import { layoutPositions } from '../core/layout';
import { loadGraph } from '../core/load';
import { checkParams } from '../core/params';
import { convertLayers } from './convert';
import type { DraftGraph } from './drafts';
import { modelFacts, passes } from './passes';
import type { SavedModel } from './topology';

export interface GraphFromModel {
  readonly doc: GraphDocument;
  /** For each layer that became a node, that node's id (its compiled layer name). */
  readonly nodeOfLayer: ReadonlyMap<string, string>;
  /** What the person should know: changes made, things left for them to do. */
  readonly notes: readonly string[];
}

export type GraphFromModelResult =
  ({ readonly ok: true } & GraphFromModel) | { readonly ok: false; readonly errors: readonly DocError[] };

/** A valid node id from a layer name, not yet taken. */
function nodeIdFor(name: string, taken: ReadonlySet<string>): string {
  let base = name.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  if (!/^[A-Za-z]/.test(base)) base = `layer_${base}`;
  base = base.slice(0, 60);
  if (!isNodeId(base)) base = 'layer';
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
  return id;
}

/** Every draft's params against its kind's declarations, in the order of the layers they came from. */
function paramErrors(graph: DraftGraph): DocError[] {
  const errors: DocError[] = [];
  for (const d of graph.drafts.values()) {
    const check = checkParams(getNodeDef(d.kind)!, d.params);
    if (!check.ok)
      for (const p of check.problems)
        errors.push({ path: d.layer.path, layer: d.layer.name, message: `${p.key} ${p.message}` });
  }
  return errors;
}

/** The drafts as a laid-out, validated document, with ids made from the layer names. */
function toDocument(model: SavedModel, graph: DraftGraph): GraphFromModelResult {
  const taken = new Set<string>();
  const ids = new Map<number, string>();
  const nodeOfLayer = new Map<string, string>();
  for (const [key, d] of graph.drafts) {
    const id = nodeIdFor(d.suffix === undefined ? d.layer.name : `${d.layer.name}_${d.suffix}`, taken);
    taken.add(id);
    ids.set(key, id);
    // A layer's weights belong to the first node it became.
    if (!nodeOfLayer.has(d.layer.name)) nodeOfLayer.set(d.layer.name, id);
  }
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  for (const [key, d] of graph.drafts) {
    const id = ids.get(key)!;
    nodes.push({ id, kind: d.kind, params: d.params as ParamValuesLoose, position: { x: 0, y: 0 } });
    d.inputs.forEach((input, slot) => {
      const source = ids.get(input)!;
      edges.push({ id: `${source}-${id}-${slot}`, source, target: id, targetHandle: handleId(slot) });
    });
  }
  // Checked before it is laid out, so a graph the loader refuses (too big, say) costs no layout.
  const loaded = loadGraph({ schemaVersion: SCHEMA_VERSION, name: model.name, nodes, edges });
  if (!loaded.ok) return { ok: false, errors: loaded.errors };
  const positions = layoutPositions(loaded.doc);
  const doc = {
    ...loaded.doc,
    nodes: loaded.doc.nodes.map((n) => ({ ...n, position: positions.get(n.id)! })),
  };
  const notes = nodes.some((n) => n.kind === 'output')
    ? []
    : ['The model does not end in a dense softmax classifier, so the graph has no Output node yet: add one.'];
  return { ok: true, doc, nodeOfLayer, notes };
}

export function graphFromModel(model: SavedModel): GraphFromModelResult {
  for (const [ends, path] of [
    [model.inputs, 'input_layers'],
    [model.outputs, 'output_layers'],
  ] as const)
    if (ends.length !== 1) {
      const what = path === 'input_layers' ? 'inputs' : 'outputs';
      return {
        ok: false,
        errors: [{ path, message: `the model has ${ends.length} ${what}; a ConvCanvas graph has one` }],
      };
    }
  const read = convertLayers(model);
  const facts = modelFacts(model);
  const graph = passes.reduce((g, pass) => pass(g, facts), read.graph);
  const order = new Map(model.layers.map((l, i) => [l.name, i]));
  const errors = [...read.errors, ...paramErrors(graph)].sort(
    (a, b) => order.get(a.layer ?? '')! - order.get(b.layer ?? '')!,
  );
  return errors.length > 0 ? { ok: false, errors } : toDocument(model, graph);
}
