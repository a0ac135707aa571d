/**
 * Reads the layer topology of a saved Keras or TensorFlow.js layers model (model.json as written by
 * tfjs `model.save` or the Keras converter; Keras 2 and Keras 3 styles) into one plain form.
 */
import type { KerasLayer } from '../../nodes/keras';
import { shown } from '../../nodes/keras';
import type { DocError } from '../core/issues';
import { orderLayers, tooManyLayers, tooManyLinks } from './layer-order';

/** One layer of a saved model. */
export interface SavedLayer extends KerasLayer {
  /** Names of the layers whose outputs feed this one, in order. */
  readonly inputs: readonly string[];
  /** Where it sits in the file, e.g. `layers[3]`. */
  readonly path: string;
}

export interface SavedModel {
  readonly name: string;
  /** Inputs before the layers that read them. */
  readonly layers: readonly SavedLayer[];
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

export type TopologyResult =
  | { readonly ok: true; readonly model: SavedModel }
  | { readonly ok: false; readonly errors: readonly DocError[] };

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const MODEL_CLASSES = ['Model', 'Functional', 'Sequential'];
const MAX_ARGS_DEPTH = 16;

/** The topology object ({class_name, config}) inside a model.json, wherever that format keeps it. */
function topologyOf(json: Json): { value: Json; path: string } | undefined {
  const top = json['modelTopology'];
  if (isObject(top)) {
    if (isObject(top['model_config']))
      return { value: top['model_config'], path: 'modelTopology.model_config' };
    return { value: top, path: 'modelTopology' };
  }
  if (typeof json['class_name'] === 'string') return { value: json, path: '(document)' };
  return undefined;
}

/** Whether a parsed JSON value looks like a saved model rather than a ConvCanvas graph. */
export function isModelJson(value: unknown): boolean {
  if (!isObject(value)) return false;
  if (Object.hasOwn(value, 'modelTopology') || Object.hasOwn(value, 'weightsManifest')) return true;
  return typeof value['class_name'] === 'string' && MODEL_CLASSES.includes(value['class_name']);
}

/** Layer names in an inbound node entry, for the Keras 2/tfjs and Keras 3 formats. */
function inboundNames(node: unknown): string[] | undefined {
  // Keras 2 and tfjs: [[name, nodeIndex, tensorIndex, kwargs], ...]
  if (Array.isArray(node)) {
    const names: string[] = [];
    for (const entry of node) {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string') return undefined;
      names.push(entry[0]);
    }
    return names;
  }
  // Keras 3: {args: [...], kwargs: {...}} with tensors as {config: {keras_history: [name, 0, 0]}}.
  if (isObject(node)) {
    const names: string[] = [];
    // Keras nests tensors a few lists deep at most; anything deeper is not a Keras file.
    const visit = (v: unknown, depth: number): boolean => {
      if (depth > MAX_ARGS_DEPTH) return false;
      if (Array.isArray(v)) return v.every((x) => visit(x, depth + 1));
      if (!isObject(v)) return true;
      const history = isObject(v['config']) ? v['config']['keras_history'] : undefined;
      if (Array.isArray(history) && typeof history[0] === 'string') {
        names.push(history[0]);
        return true;
      }
      return Object.values(v).every((x) => visit(x, depth + 1));
    };
    return visit(node['args'], 0) ? names : undefined;
  }
  return undefined;
}

/** ["name", 0, 0] or [["name", 0, 0], ...] -> names. */
function endpointNames(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  if (typeof value[0] === 'string') return [value[0]];
  const names: string[] = [];
  for (const v of value) {
    if (!Array.isArray(v) || typeof v[0] !== 'string') return undefined;
    names.push(v[0]);
  }
  return names;
}

export function readTopology(json: unknown): TopologyResult {
  const fail = (path: string, message: string): TopologyResult => ({
    ok: false,
    errors: [{ path, message }],
  });
  if (!isObject(json)) return fail('(document)', 'a model.json must hold one JSON object');
  if (json['format'] === 'graph-model')
    return fail(
      'format',
      'this is a TensorFlow.js graph model (converted from a SavedModel or frozen graph); only layers models (Keras or tfjs model.save) can be opened',
    );
  const found = topologyOf(json);
  if (found === undefined)
    return fail(
      'modelTopology',
      'there is no model topology: is this a model.json from tfjs model.save or the Keras converter?',
    );
  const { value: topology, path: at } = found;
  const className = topology['class_name'];
  if (typeof className !== 'string' || !MODEL_CLASSES.includes(className))
    return fail(
      `${at}.class_name`,
      `must be Model, Functional or Sequential, not ${typeof className === 'string' ? JSON.stringify(shown(className)) : shown(className ?? null)}`,
    );
  const config = topology['config'];
  const rawLayers = Array.isArray(config) ? config : isObject(config) ? config['layers'] : undefined;
  if (!Array.isArray(rawLayers)) return fail(`${at}.config.layers`, 'must be a list of layers');
  const tooMany = tooManyLayers(rawLayers.length, `${at}.config.layers`);
  if (tooMany !== undefined) return { ok: false, errors: [tooMany] };
  const name = isObject(config) && typeof config['name'] === 'string' ? config['name'] : 'imported model';

  const errors: DocError[] = [];
  const layers: SavedLayer[] = [];
  rawLayers.forEach((raw, i) => {
    const path = `layers[${i}]`;
    if (!isObject(raw) || typeof raw['class_name'] !== 'string' || !isObject(raw['config'])) {
      errors.push({ path, message: 'must be an object with class_name and config' });
      return;
    }
    const layerConfig = raw['config'];
    const layerName = typeof raw['name'] === 'string' ? raw['name'] : layerConfig['name'];
    if (typeof layerName !== 'string' || layerName === '') {
      errors.push({ path, message: 'has no name' });
      return;
    }
    let inputs: string[] = [];
    if (className === 'Sequential') {
      const previous = layers.at(-1);
      inputs = previous === undefined ? [] : [previous.name];
    } else {
      const inbound = raw['inbound_nodes'];
      if (!Array.isArray(inbound)) {
        errors.push({ path: `${path}.inbound_nodes`, layer: layerName, message: 'must be a list' });
        return;
      }
      if (inbound.length > 1) {
        errors.push({
          path: `${path}.inbound_nodes`,
          layer: layerName,
          message:
            'is applied more than once (a shared layer); a ConvCanvas graph gives every use its own node',
        });
        return;
      }
      const names = inbound.length === 0 ? [] : inboundNames(inbound[0]);
      if (names === undefined) {
        errors.push({
          path: `${path}.inbound_nodes`,
          layer: layerName,
          message: 'is not in a format ConvCanvas knows',
        });
        return;
      }
      inputs = names;
    }
    layers.push({ className: raw['class_name'], name: layerName, config: layerConfig, inputs, path });
  });
  if (errors.length > 0) return { ok: false, errors };
  const linked = tooManyLinks(layers, `${at}.config.layers`);
  if (linked !== undefined) return { ok: false, errors: [linked] };
  const ordered = orderLayers(layers, `${at}.config.layers`);
  if (!ordered.ok) return ordered;

  if (className === 'Sequential') {
    const first = layers[0];
    if (first === undefined) return fail(`${at}.config.layers`, 'the model has no layers');
    if (first.className === 'InputLayer')
      return { ok: true, model: { name, layers, inputs: [first.name], outputs: [layers.at(-1)!.name] } };
    // Without an InputLayer, the first layer carries the input shape in its own config.
    const taken = new Set(layers.map((l) => l.name));
    let inputName = 'input';
    for (let n = 2; taken.has(inputName); n++) inputName = `input_${n}`;
    const input: SavedLayer = {
      className: 'InputLayer',
      name: inputName,
      config: first.config,
      inputs: [],
      path: first.path,
    };
    return {
      ok: true,
      model: {
        name,
        layers: [input, { ...first, inputs: [inputName] }, ...layers.slice(1)],
        inputs: [inputName],
        outputs: [layers.at(-1)!.name],
      },
    };
  }
  const modelConfig = config as Json;
  const inputs = endpointNames(modelConfig['input_layers']);
  const outputs = endpointNames(modelConfig['output_layers']);
  if (inputs === undefined) return fail(`${at}.config.input_layers`, 'must list the input layers');
  if (outputs === undefined) return fail(`${at}.config.output_layers`, 'must list the output layers');
  return { ok: true, model: { name, layers: ordered.layers, inputs, outputs } };
}
