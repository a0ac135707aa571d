/**
 * Reading the config of a layer saved by Keras or TensorFlow.js (model.json), for the node kinds'
 * `fromKeras` declarations. Every value comes from a file, so nothing here trusts a type: a setting
 * that a node cannot hold throws `Unsupported` with the reason, and the importer locates it.
 */
import { fusedActivations, standaloneActivations } from './activations';

/** A saved layer as a node kind's reader sees it. */
export interface KerasLayer {
  /** `class_name` in the file, e.g. `Conv2D`. */
  readonly className: string;
  readonly name: string;
  readonly config: KerasConfig;
}

export type KerasConfig = Readonly<Record<string, unknown>>;

/** One node a layer becomes; its params are checked against the kind's declarations afterwards. */
export interface NodeReading {
  readonly kind: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** Appended to the layer's name for the node id when a layer becomes more than one node. */
  readonly suffix?: string;
}

/** A layer setting that no node can express; the message says which and why. */
export class Unsupported extends Error {}

export function unsupported(reason: string): never {
  throw new Unsupported(reason);
}

/** A config value in a message, as String() would print it, without walking into large or deep values. */
export function shown(v: unknown): string {
  if (typeof v === 'string') return v.length > 80 ? `${v.slice(0, 80)}…` : v;
  if (v === null || typeof v !== 'object') return String(v);
  if (!Array.isArray(v)) return 'an object';
  const flat: unknown[] = [];
  const walk = (x: unknown, depth: number): boolean => {
    if (!Array.isArray(x)) return (x === null || typeof x !== 'object') && flat.push(x) <= 16;
    return depth < 4 && x.every((y) => walk(y, depth + 1));
  };
  // Array.prototype.toString prints null and undefined as nothing.
  return walk(v, 0)
    ? flat.map((x) => (x === null || x === undefined ? '' : shown(x))).join(',')
    : 'a long or nested list';
}

/** `3` or `[3, 3]` -> 3; different sizes per axis cannot be a ConvCanvas node. */
export function square(config: KerasConfig, key: string, what: string, fallback?: number): number {
  const v = config[key] ?? fallback;
  if (typeof v === 'number') return v;
  if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && v[0] === v[1]) return v[0];
  if (Array.isArray(v) && v.length === 2)
    unsupported(
      `${what} ${shown(v[0])}×${shown(v[1])} differs between height and width; only square ones can be shown`,
    );
  unsupported(`${key} is missing or not a number`);
}

/** The layer's activation as a tfjs identifier (Keras' `swish` is tfjs' `silu`). */
export function activationName(config: KerasConfig): string {
  const a = config['activation'] ?? 'linear';
  if (typeof a === 'string') return a === 'swish' ? 'silu' : a;
  // Keras 3 may save the activation as a serialized object.
  if (typeof a === 'object' && a !== null && !Array.isArray(a)) {
    const named = (a as KerasConfig)['config'];
    if (typeof named === 'string') return named;
    const className = (a as KerasConfig)['class_name'];
    if (typeof className === 'string') return className.toLowerCase();
  }
  unsupported('its activation is not one ConvCanvas knows');
}

export function channelsLast(config: KerasConfig): void {
  const f = config['data_format'];
  if (f !== undefined && f !== null && f !== 'channels_last')
    unsupported(`data_format ${shown(f)} is not supported: ConvCanvas works in channels_last (NHWC)`);
}

/** Keras' padding amounts (`1`, `[1, 2]` or `[[1, 1], [2, 2]]`) as [[top, bottom], [left, right]]. */
export function pads(config: KerasConfig): [[number, number], [number, number]] {
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
  unsupported('its padding is not [[top, bottom], [left, right]]');
}

/** Height × width × channels of an input layer (from its batch shape, or a first layer's input_shape). */
export function imageShape(config: KerasConfig): [number, number, number] {
  const shape = config['batch_input_shape'] ?? config['batch_shape'];
  const dims = Array.isArray(shape)
    ? shape.slice(1)
    : Array.isArray(config['input_shape'])
      ? (config['input_shape'] as unknown[])
      : undefined;
  if (dims === undefined) unsupported('the input has no shape');
  if (dims.length !== 3 || !dims.every((d) => typeof d === 'number'))
    unsupported(
      `the input shape is [${dims.map((d) => (d === null ? 'any' : shown(d))).join(', ')}]; ConvCanvas needs images of a fixed height × width × channels`,
    );
  return dims as [number, number, number];
}

const fused: readonly string[] = fusedActivations.map((a) => a.value);
const standalone: readonly string[] = standaloneActivations.map((a) => a.value);

/** Activation node params for a standalone activation function, or why there is none. */
export function activationNode(fn: string, alpha?: unknown): NodeReading {
  if (!standalone.includes(fn)) unsupported(`the ${fn} activation is not one ConvCanvas has`);
  return { kind: 'activation', params: alpha === undefined ? { fn } : { fn, alpha } };
}

/**
 * A layer with its own activation: fused into the node when the node can apply it, otherwise the
 * node without one followed by an Activation node.
 */
export function withActivation(
  kind: string,
  params: Readonly<Record<string, unknown>>,
  config: KerasConfig,
): NodeReading[] {
  const activation = activationName(config);
  if (fused.includes(activation)) return [{ kind, params: { ...params, activation } }];
  // Keras' leaky_relu function has a slope of 0.2, as the Activation node's default.
  const after = activationNode(activation, activation === 'leaky_relu' ? 0.2 : undefined);
  return [
    { kind, params: { ...params, activation: 'linear' } },
    { ...after, suffix: 'act' },
  ];
}
