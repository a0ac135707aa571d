/**
 * What each tfjs layer of a LayerSpec becomes in PyTorch: the nn.Module it keeps (if any) and the
 * expressions of its forward step, with TensorFlow's exact semantics: 'same' padding that pads the
 * odd row and column after the image, pooling whose padding never counts, batch norm with the
 * app's momentum, flattening in TensorFlow's H, W, C order. Keyed by every layer kind, so a new
 * kind does not type-check until it has a PyTorch form here (the compiler's factory table works
 * the same way).
 */
import type { LayerKind } from '../../../nodes/define';
import type { Pads2D } from '../../../nodes/padding-modes';
import type { Shape } from '../../../nodes/shape';
import { samePadding } from '../../../nodes/shape';
import { pyLiteral, pyTuple } from './python';

/** Python definitions model.py includes only when a layer uses them. */
export type Helper = 'BatchNorm' | 'symmetric_pad' | 'avg_pool_same';

export interface LayerContext {
  readonly config: Readonly<Record<string, unknown>>;
  /** Input shapes, H×W×C or N, without the batch (tfjs' layout). */
  readonly inputs: readonly Shape[];
  /** Flatten only: every consumer is a dense layer, whose rows the weights loader reorders. */
  readonly feedsOnlyDense: boolean;
}

/** One statement of forward(): an expression of its inputs (and `self.<attr>`) and its output shape. */
export interface TorchStep {
  code(inputs: readonly string[], self: string): string;
  /** The step's output shape in tfjs' layout (the printer writes it as NCHW); undefined: the node's. */
  readonly shape?: Shape;
}

export interface TorchLayer {
  /** The nn.Module constructor kept as an attribute named after the layer, if the layer has one. */
  readonly module?: string;
  readonly steps: readonly TorchStep[];
  readonly helpers?: readonly Helper[];
}

type Translate = (ctx: LayerContext) => TorchLayer;

const num = (c: Readonly<Record<string, unknown>>, key: string): number => c[key] as number;
const one = (x: readonly string[]): string => x[0]!;

/** tfjs activation identifiers as PyTorch expressions (channels or features are dim 1 in NCHW). */
const activations: Readonly<Record<string, { call(x: string): string; module: string }>> = {
  linear: { call: (x) => x, module: 'nn.Identity()' },
  relu: { call: (x) => `F.relu(${x})`, module: 'nn.ReLU()' },
  elu: { call: (x) => `F.elu(${x})`, module: 'nn.ELU()' },
  // tfjs-layers' gelu is the exact x·Φ(x) with erf, PyTorch's default; not the tanh approximation.
  gelu: { call: (x) => `F.gelu(${x})`, module: 'nn.GELU()' },
  sigmoid: { call: (x) => `torch.sigmoid(${x})`, module: 'nn.Sigmoid()' },
  tanh: { call: (x) => `torch.tanh(${x})`, module: 'nn.Tanh()' },
  softmax: { call: (x) => `F.softmax(${x}, dim=1)`, module: 'nn.Softmax(dim=1)' },
};

function activation(name: unknown) {
  const a = typeof name === 'string' && Object.hasOwn(activations, name) ? activations[name] : undefined;
  if (a === undefined) throw new Error(`the activation ${String(name)} has no PyTorch form`);
  return a;
}

/** F.pad's order: (left, right, top, bottom). */
const padTuple = ([[top, bottom], [left, right]]: Pads2D): string => pyTuple([left, right, top, bottom]);
const anyPad = (p: Pads2D): boolean => p.some(([a, b]) => a > 0 || b > 0);
const evenPad = (p: Pads2D): boolean => p.every(([a, b]) => a === b);
const padded = (x: Shape, [[t, b], [l, r]]: Pads2D): Shape => [x[0]! + t + b, x[1]! + l + r, x[2]!];

/** A kernel size, stride or padding argument: `3` when both axes agree, else `(3, 1)`. */
const pair = (h: number, w: number): string => (h === w ? String(h) : pyTuple([h, w]));

/** TensorFlow's 'same' padding for a window on an H×W×C input; zeros for 'valid'. */
function tfPads(x: Shape, padding: unknown, kernel: number, stride: number, dilation: number): Pads2D {
  if (padding !== 'same')
    return [
      [0, 0],
      [0, 0],
    ];
  return [samePadding(x[0]!, kernel, stride, dilation), samePadding(x[1]!, kernel, stride, dilation)];
}

const args = (parts: readonly (string | false)[]): string => parts.filter((p) => p !== false).join(', ');

const conv2d: Translate = ({ config: c, inputs: [x] }) => {
  const k = num(c, 'kernelSize');
  const s = num(c, 'strides');
  const d = num(c, 'dilationRate');
  const pads = tfPads(x!, c['padding'], k, s, d);
  const inside = evenPad(pads) && anyPad(pads);
  const module = `nn.Conv2d(${args([
    String(x![2]),
    String(num(c, 'filters')),
    String(k),
    s !== 1 && `stride=${s}`,
    inside && `padding=${pair(pads[0][0], pads[1][0])}`,
    d !== 1 && `dilation=${d}`,
    c['useBias'] === false && 'bias=False',
  ])})${c['trainable'] === false ? '.requires_grad_(False)' : ''}`;
  const act = activation(c['activation'] ?? 'linear');
  const conv: TorchStep = { code: (i, self) => act.call(`${self}(${one(i)})`) };
  if (inside || !anyPad(pads)) return { module, steps: [conv] };
  // PyTorch pads both sides alike; TensorFlow puts the odd row and column after the image.
  return {
    module,
    steps: [{ code: (i) => `F.pad(${one(i)}, ${padTuple(pads)})`, shape: padded(x!, pads) }, conv],
  };
};

function pool(kind: 'max' | 'avg'): Translate {
  return ({ config: c, inputs: [x] }) => {
    const k = num(c, 'poolSize');
    const s = num(c, 'strides');
    const pads = tfPads(x!, c['padding'], k, s, 1);
    const name = kind === 'max' ? 'nn.MaxPool2d' : 'nn.AvgPool2d';
    const call: TorchStep = { code: (i, self) => `${self}(${one(i)})` };
    const stride = s !== k && `stride=${s}`;
    if (!anyPad(pads)) return { module: `${name}(${args([String(k), stride])})`, steps: [call] };
    if (evenPad(pads)) {
      // Within half a window PyTorch's own padding means the same: never the maximum, never counted.
      const p = `padding=${pair(pads[0][0], pads[1][0])}`;
      const extra = kind === 'avg' && 'count_include_pad=False';
      return { module: `${name}(${args([String(k), stride, p, extra])})`, steps: [call] };
    }
    const module = `${name}(${args([String(k), stride])})`;
    if (kind === 'avg')
      return {
        module,
        helpers: ['avg_pool_same'],
        steps: [{ code: (i, self) => `avg_pool_same(${one(i)}, ${self}, ${padTuple(pads)})` }],
      };
    return {
      module,
      steps: [
        { code: (i) => `F.pad(${one(i)}, ${padTuple(pads)}, value=float('-inf'))`, shape: padded(x!, pads) },
        call,
      ],
    };
  };
}

const padding2d: Translate = ({ config: c }) => {
  const pads = c['padding'] as Pads2D;
  const mode = String(c['mode']);
  if (mode === 'symmetric')
    return {
      helpers: ['symmetric_pad'],
      steps: [{ code: (i) => `symmetric_pad(${one(i)}, ${padTuple(pads)})` }],
    };
  if (mode !== 'reflect' && mode !== 'replicate' && mode !== 'circular')
    throw new Error(`the padding mode ${mode} has no PyTorch form`);
  return { steps: [{ code: (i) => `F.pad(${one(i)}, ${padTuple(pads)}, mode=${pyLiteral(mode)})` }] };
};

export const translations: Readonly<Record<Exclude<LayerKind, 'input'>, Translate>> = {
  conv2d,
  dense: ({ config: c, inputs: [x] }) => {
    const act = activation(c['activation'] ?? 'linear');
    return {
      module: `nn.Linear(${args([String(x![0]), String(num(c, 'units')), c['useBias'] === false && 'bias=False'])})${
        c['trainable'] === false ? '.requires_grad_(False)' : ''
      }`,
      steps: [{ code: (i, self) => act.call(`${self}(${one(i)})`) }],
    };
  },
  maxPooling2d: pool('max'),
  averagePooling2d: pool('avg'),
  globalAveragePooling2d: () => ({ steps: [{ code: (i) => `${one(i)}.mean((2, 3))` }] }),
  globalMaxPooling2d: () => ({ steps: [{ code: (i) => `${one(i)}.amax((2, 3))` }] }),
  batchNormalization: ({ config: c, inputs: [x] }) => ({
    // PyTorch's momentum is the weight of the new batch, tfjs' the weight of the running value.
    module: `BatchNorm(${x!.at(-1)!}, eps=${pyLiteral(c['epsilon'] ?? 0.001)}, momentum=${pyLiteral(
      Number((1 - Number(c['momentum'] ?? 0.99)).toPrecision(12)),
    )})`,
    helpers: ['BatchNorm'],
    steps: [{ code: (i, self) => `${self}(${one(i)})` }],
  }),
  activation: ({ config: c }) => ({
    module: activation(c['activation']).module,
    steps: [{ code: (i, self) => `${self}(${one(i)})` }],
  }),
  leakyReLU: ({ config: c }) => ({
    module: `nn.LeakyReLU(${pyLiteral(c['alpha'] ?? 0.3)})`,
    steps: [{ code: (i, self) => `${self}(${one(i)})` }],
  }),
  dropout: ({ config: c }) => ({
    module: `nn.Dropout(${pyLiteral(c['rate'])})`,
    steps: [{ code: (i, self) => `${self}(${one(i)})` }],
  }),
  flatten: ({ feedsOnlyDense }) => ({
    steps: [
      {
        // A dense layer reads either order once its rows are reordered (load_tfjs_weights does);
        // anything else (add, concat, batch norm) needs the values where TensorFlow has them.
        code: (i) =>
          feedsOnlyDense ? `torch.flatten(${one(i)}, 1)` : `${one(i)}.permute(0, 2, 3, 1).flatten(1)`,
      },
    ],
  }),
  add: () => ({ steps: [{ code: (i) => i.join(' + ') }] }),
  concatenate: () => ({ steps: [{ code: (i) => `torch.cat([${i.join(', ')}], 1)` }] }),
  zeroPadding2d: ({ config: c }) => ({
    steps: [{ code: (i) => `F.pad(${one(i)}, ${padTuple(c['padding'] as Pads2D)})` }],
  }),
  padding2d,
};
