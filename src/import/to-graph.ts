/**
 * A saved Keras / TensorFlow.js layers model -> a ConvCanvas graph. Each supported layer becomes the
 * node kind that realises it (read from nodes/: the parameter declarations check every value, and
 * shape inference runs as nodes are made); pairs that one node realises are folded back into it, so
 * exporting a graph and importing it again gives the same graph.
 */
import { getNodeDef } from '../../nodes';
import type { ParamValuesLoose } from '../../nodes/define';
import type { Shape } from '../../nodes/shape';
import { isImage, samePadding } from '../../nodes/shape';
import type { GraphDocument, GraphEdge, GraphNode } from '../core/document';
import { SCHEMA_VERSION, handleId, isNodeId } from '../core/document';
import type { DocError } from '../core/issues';
import { layoutPositions } from '../core/layout';
import { loadGraph } from '../core/load';
import { checkParams } from '../core/params';
import type { SavedLayer, SavedModel } from './topology';

export interface GraphFromModel {
  readonly doc: GraphDocument;
  /** For each layer that became a node, that node's id (its compiled layer name). */
  readonly nodeOfLayer: ReadonlyMap<string, string>;
  /** What the person should know: changes made, things left for them to do. */
  readonly notes: readonly string[];
}

export type GraphFromModelResult =
  ({ readonly ok: true } & GraphFromModel) | { readonly ok: false; readonly errors: readonly DocError[] };

type Params = Record<string, number | string | boolean>;
type Config = Readonly<Record<string, unknown>>;

const SUPPORTED = [
  'InputLayer',
  'Conv2D',
  'Dense',
  'MaxPooling2D',
  'AveragePooling2D',
  'GlobalAveragePooling2D',
  'GlobalMaxPooling2D',
  'BatchNormalization',
  'Activation',
  'ReLU',
  'LeakyReLU',
  'Softmax',
  'Add',
  'Concatenate',
  'ZeroPadding2D',
  'Padding2D',
  'Flatten',
  'Dropout',
];
const FUSED = ['linear', 'relu', 'elu', 'gelu', 'sigmoid', 'tanh'];
const STANDALONE = ['relu', 'elu', 'gelu', 'sigmoid', 'tanh', 'softmax', 'leaky_relu'];
const MIRROR_MODES = ['reflect', 'symmetric', 'circular'];

/** A layer setting that cannot be expressed; the message says which and why. */
class Unsupported extends Error {}

/** `3` or `[3, 3]` -> 3; different sizes per axis cannot be a ConvCanvas node. */
function square(config: Config, key: string, what: string, fallback?: number): number {
  const v = config[key] ?? fallback;
  if (typeof v === 'number') return v;
  if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && v[0] === v[1]) return v[0];
  if (Array.isArray(v) && v.length === 2)
    throw new Unsupported(
      `${what} ${v.join('×')} differs between height and width; only square ones can be shown`,
    );
  throw new Unsupported(`${key} is missing or not a number`);
}

function activationName(config: Config): string {
  const a = config['activation'] ?? 'linear';
  if (typeof a === 'string') return a === 'swish' ? 'silu' : a;
  // Keras 3 may save the activation as a serialized object.
  if (typeof a === 'object' && a !== null) {
    const named = (a as Config)['config'];
    if (typeof named === 'string') return named;
    if (typeof (a as Config)['class_name'] === 'string')
      return String((a as Config)['class_name']).toLowerCase();
  }
  throw new Unsupported('its activation is not one ConvCanvas knows');
}

function channelsLast(config: Config): void {
  const f = config['data_format'];
  if (f !== undefined && f !== null && f !== 'channels_last')
    throw new Unsupported(
      `data_format ${String(f)} is not supported: ConvCanvas works in channels_last (NHWC)`,
    );
}

function pads(config: Config): [[number, number], [number, number]] {
  const p = config['padding'] ?? 1;
  if (typeof p === 'number')
    return [
      [p, p],
      [p, p],
    ];
  if (Array.isArray(p) && p.length === 2) {
    const [a, b] = p as unknown[];
    if (typeof a === 'number' && typeof b === 'number')
      return [
        [a, a],
        [b, b],
      ];
    if (Array.isArray(a) && Array.isArray(b) && [...a, ...b].every((n) => typeof n === 'number'))
      return [
        [a[0] as number, a[1] as number],
        [b[0] as number, b[1] as number],
      ];
  }
  throw new Unsupported('its padding is not [[top, bottom], [left, right]]');
}

function imageShape(config: Config): [number, number, number] {
  const shape = config['batch_input_shape'] ?? config['batch_shape'];
  const dims = Array.isArray(shape)
    ? shape.slice(1)
    : Array.isArray(config['input_shape'])
      ? (config['input_shape'] as unknown[])
      : undefined;
  if (dims === undefined) throw new Unsupported('the input has no shape');
  if (dims.length !== 3 || !dims.every((d) => typeof d === 'number'))
    throw new Unsupported(
      `the input shape is [${dims.map((d) => (d === null ? 'any' : String(d))).join(', ')}]; ConvCanvas needs images of a fixed height × width × channels`,
    );
  return dims as [number, number, number];
}

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

interface Draft {
  id: string;
  kind: string;
  params: Params;
  /** The layer it came from, for error locations. */
  readonly layer: SavedLayer;
}

export function graphFromModel(model: SavedModel): GraphFromModelResult {
  const errors: DocError[] = [];
  const notes: string[] = [];
  const fail = (layer: SavedLayer, message: string) =>
    errors.push({ path: layer.path, layer: layer.name, message });

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

  const layersByName = new Map(model.layers.map((l) => [l.name, l]));
  const consumers = new Map<string, number>();
  for (const l of model.layers) for (const i of l.inputs) consumers.set(i, (consumers.get(i) ?? 0) + 1);
  const outputLayer = model.outputs[0]!;

  const drafts: Draft[] = [];
  const edges: GraphEdge[] = [];
  const taken = new Set<string>();
  const shapes = new Map<string, Shape | undefined>();
  /** The node whose output stands for each layer's output. */
  const outputOf = new Map<string, string>();
  const nodeOfLayer = new Map<string, string>();

  const draftOf = (id: string) => drafts.find((d) => d.id === id);
  const inferShape = (d: Draft): void => {
    const inputs = edges.filter((e) => e.target === d.id).map((e) => shapes.get(e.source));
    const def = getNodeDef(d.kind)!;
    const check = checkParams(def, d.params);
    const known = inputs.every((s): s is Shape => s !== undefined);
    const r = check.ok && known ? def.infer(inputs, check.values) : undefined;
    shapes.set(d.id, r?.ok ? r.shape : undefined);
  };
  const addNode = (
    layer: SavedLayer,
    kind: string,
    params: Params,
    sources: readonly string[],
    id?: string,
  ) => {
    const def = getNodeDef(kind)!;
    const check = checkParams(def, params);
    if (!check.ok) {
      for (const p of check.problems) fail(layer, `${p.key} ${p.message}`);
      return undefined;
    }
    const draft: Draft = { id: id ?? nodeIdFor(layer.name, taken), kind, params, layer };
    taken.add(draft.id);
    drafts.push(draft);
    sources.forEach((source, slot) =>
      edges.push({
        id: `${source}-${draft.id}-${slot}`,
        source,
        target: draft.id,
        targetHandle: handleId(slot),
      }),
    );
    inferShape(draft);
    return draft.id;
  };
  /** Adds the node, plus an Activation node after it when the activation cannot be fused. */
  const addWithActivation = (layer: SavedLayer, kind: string, params: Params, sources: readonly string[]) => {
    const activation = activationName(layer.config);
    if (FUSED.includes(activation)) return addNode(layer, kind, { ...params, activation }, sources);
    if (!STANDALONE.includes(activation))
      throw new Unsupported(`the ${activation} activation is not one ConvCanvas has`);
    const main = addNode(layer, kind, { ...params, activation: 'linear' }, sources);
    if (main === undefined) return undefined;
    nodeOfLayer.set(layer.name, main);
    const fn: Params = activation === 'leaky_relu' ? { fn: activation, alpha: 0.2 } : { fn: activation };
    return addNode(layer, 'activation', fn, [main], nodeIdFor(`${layer.name}_act`, taken));
  };

  for (const layer of model.layers) {
    const sources: string[] = [];
    for (const name of layer.inputs) {
      const node = outputOf.get(name);
      if (node === undefined) {
        if (!layersByName.has(name))
          fail(layer, `takes its input from "${name}", which is not a layer of this model`);
      } else sources.push(node);
    }
    if (sources.length !== layer.inputs.length) continue;
    const c = layer.config;
    let out: string | undefined;
    try {
      switch (layer.className) {
        case 'InputLayer': {
          const [height, width, channels] = imageShape(c);
          out = addNode(layer, 'input', { height, width, channels }, []);
          break;
        }
        case 'Conv2D': {
          channelsLast(c);
          const groups = c['groups'];
          if (typeof groups === 'number' && groups !== 1)
            throw new Unsupported(`grouped convolutions (groups ${groups}) are not supported`);
          const filters = c['filters'] as number;
          const kernel = square(c, 'kernel_size', 'a kernel of');
          const stride = square(c, 'strides', 'a stride of', 1);
          const dilation = square(c, 'dilation_rate', 'a dilation of', 1);
          let padding = c['padding'] ?? 'valid';
          if (padding !== 'same' && padding !== 'valid')
            throw new Unsupported(`padding ${String(padding)} is not supported (only same and valid)`);
          let from = sources;
          // A mirror-padding layer made just for this valid convolution is a same-<mode> border.
          const before = draftOf(sources[0] ?? '');
          const padLayer = layersByName.get(layer.inputs[0] ?? '');
          if (padding === 'valid' && before?.kind === 'padding' && padLayer?.className === 'Padding2D') {
            const x = shapes.get(edges.find((e) => e.target === before.id)?.source ?? '');
            const p = before.params;
            if (
              x !== undefined &&
              isImage(x) &&
              MIRROR_MODES.includes(String(p['mode'])) &&
              consumers.get(padLayer.name) === 1
            ) {
              const [top, bottom] = samePadding(x[0], kernel, stride, dilation);
              const [left, right] = samePadding(x[1], kernel, stride, dilation);
              if (p['top'] === top && p['bottom'] === bottom && p['left'] === left && p['right'] === right) {
                drafts.splice(drafts.indexOf(before), 1);
                const into = edges.findIndex((e) => e.target === before.id);
                from = [edges[into]!.source];
                edges.splice(into, 1);
                taken.delete(before.id);
                padding = `same-${String(p['mode'])}`;
              }
            }
          }
          const useBias = c['use_bias'] !== false;
          const trainable = c['trainable'] !== false;
          const inChannels = shapes.get(from[0] ?? '')?.[2];
          // A stride-2 conv that doubles the channels is what the Stride-2 node is for (filters "auto").
          const strideTwo =
            stride === 2 && dilation === 1 && inChannels !== undefined && filters === 2 * inChannels;
          const params: Params = strideTwo
            ? { filters: 'auto', kernel, padding: padding as string, bias: useBias, trainable }
            : { filters, kernel, stride, dilation, padding: padding as string, bias: useBias, trainable };
          out = addWithActivation(layer, strideTwo ? 'stride2' : 'conv', params, from);
          break;
        }
        case 'Dense': {
          const units = c['units'] as number;
          const activation = activationName(c);
          const useBias = c['use_bias'] !== false;
          if (layer.name === outputLayer && activation === 'softmax' && useBias)
            out = addNode(layer, 'output', { classes: units }, sources);
          else out = addWithActivation(layer, 'dense', { units, bias: useBias }, sources);
          break;
        }
        case 'MaxPooling2D':
        case 'AveragePooling2D': {
          channelsLast(c);
          const size = square(c, 'pool_size', 'a pool of', 2);
          const strides =
            c['strides'] === null || c['strides'] === undefined ? size : square(c, 'strides', 'a stride of');
          out = addNode(
            layer,
            layer.className === 'MaxPooling2D' ? 'maxpool' : 'avgpool',
            { size, stride: strides === size ? 'auto' : strides, padding: String(c['padding'] ?? 'valid') },
            sources,
          );
          break;
        }
        case 'GlobalAveragePooling2D':
        case 'GlobalMaxPooling2D':
          channelsLast(c);
          if (c['keepdims'] === true)
            throw new Unsupported('keepdims is not supported: the pool gives a vector');
          out = addNode(layer, layer.className === 'GlobalAveragePooling2D' ? 'gap' : 'gmp', {}, sources);
          break;
        case 'BatchNormalization': {
          const axis = Array.isArray(c['axis']) ? (c['axis'] as unknown[])[0] : (c['axis'] ?? -1);
          if (axis !== -1 && axis !== 3)
            throw new Unsupported(`it normalizes axis ${String(axis)}; only channels (-1) are supported`);
          if (c['center'] === false || c['scale'] === false)
            throw new Unsupported(
              'batch norm without its learned scale and shift (center/scale off) is not supported',
            );
          out = addNode(
            layer,
            'batchnorm',
            { momentum: c['momentum'] as number, epsilon: c['epsilon'] as number },
            sources,
          );
          break;
        }
        case 'Activation':
        case 'ReLU':
        case 'LeakyReLU':
        case 'Softmax': {
          let fn: string;
          let alpha: number | undefined;
          if (layer.className === 'Activation') fn = activationName(c);
          else if (layer.className === 'Softmax') fn = 'softmax';
          else if (layer.className === 'LeakyReLU') {
            fn = 'leaky_relu';
            alpha = (c['alpha'] ?? c['negative_slope'] ?? 0.3) as number;
          } else {
            const slope = (c['negative_slope'] ?? 0) as number;
            if ((c['max_value'] ?? null) !== null || (c['threshold'] ?? 0) !== 0)
              throw new Unsupported('a ReLU with a max_value or threshold is not supported');
            fn = slope === 0 ? 'relu' : 'leaky_relu';
            if (slope !== 0) alpha = slope;
          }
          if (fn === 'linear') {
            out = sources[0];
            break;
          }
          if (!STANDALONE.includes(fn))
            throw new Unsupported(`the ${fn} activation is not one ConvCanvas has`);
          // Dense + softmax at the very end is what an Output node is.
          const previous = draftOf(sources[0] ?? '');
          if (
            fn === 'softmax' &&
            layer.name === outputLayer &&
            previous?.kind === 'dense' &&
            previous.params['activation'] === 'linear' &&
            previous.params['bias'] === true &&
            consumers.get(previous.layer.name) === 1
          ) {
            previous.kind = 'output';
            previous.params = { classes: previous.params['units'] as number };
            inferShape(previous);
            out = previous.id;
            break;
          }
          out = addNode(layer, 'activation', alpha === undefined ? { fn } : { fn, alpha }, sources);
          break;
        }
        case 'Add':
          out = addNode(layer, 'add', {}, sources);
          break;
        case 'Concatenate': {
          const axis = c['axis'] ?? -1;
          if (axis !== -1 && axis !== 3)
            throw new Unsupported(
              `it joins along axis ${String(axis)}; only the channel axis (-1) is supported`,
            );
          out = addNode(layer, 'concat', {}, sources);
          break;
        }
        case 'ZeroPadding2D':
        case 'Padding2D': {
          channelsLast(c);
          const [[top, bottom], [left, right]] = pads(c);
          const mode = layer.className === 'ZeroPadding2D' ? 'zero' : String(c['mode']);
          out = addNode(layer, 'padding', { top, bottom, left, right, mode }, sources);
          break;
        }
        case 'Flatten':
          channelsLast(c);
          out = addNode(layer, 'flatten', {}, sources);
          break;
        case 'Dropout':
          out = addNode(layer, 'dropout', { rate: c['rate'] as number }, sources);
          break;
        case 'DepthwiseConv2D':
        case 'SeparableConv2D':
          throw new Unsupported(
            `${layer.className} is not supported: ConvCanvas has no depthwise convolution node yet. Supported layers: ${SUPPORTED.join(', ')}`,
          );
        default:
          throw new Unsupported(
            `${layer.className} is not supported. Supported layers: ${SUPPORTED.join(', ')}`,
          );
      }
    } catch (e) {
      if (!(e instanceof Unsupported)) throw e;
      fail(layer, e.message);
      continue;
    }
    if (out === undefined) continue;
    outputOf.set(layer.name, out);
    if (!nodeOfLayer.has(layer.name) && out !== sources[0]) nodeOfLayer.set(layer.name, out);
  }
  if (errors.length > 0) return { ok: false, errors };

  if (!drafts.some((d) => d.kind === 'output'))
    notes.push(
      'The model does not end in a dense softmax classifier, so the graph has no Output node yet: add one.',
    );

  const nodes: GraphNode[] = drafts.map((d) => ({
    id: d.id,
    kind: d.kind,
    params: d.params as ParamValuesLoose,
    position: { x: 0, y: 0 },
  }));
  const laidOut: GraphDocument = { schemaVersion: SCHEMA_VERSION, name: model.name, nodes, edges };
  const positions = layoutPositions(laidOut);
  const loaded = loadGraph({
    ...laidOut,
    nodes: nodes.map((n) => ({ ...n, position: positions.get(n.id)! })),
  });
  if (!loaded.ok) return { ok: false, errors: loaded.errors };
  return { ok: true, doc: loaded.doc, nodeOfLayer, notes };
}
