import type { KerasLayer, NodeReading } from './keras';
import type { ParamSpecs, ParamValues } from './params';
import type { Shape } from './shape';

export type Category =
  'Data' | 'Convolution' | 'Pooling' | 'Merge' | 'Normalization' | 'Activation' | 'Regularization' | 'Dense';

/** What shape inference says about one node: its output shape, or why there is none. */
export type InferResult =
  { readonly ok: true; readonly shape: Shape } | { readonly ok: false; readonly error: string };

export const ok = (shape: Shape): InferResult => ({ ok: true, shape });
export const err = (error: string): InferResult => ({ ok: false, error });

export interface NodeStats {
  /** Weights the optimizer updates. */
  readonly trainable: number;
  /** Weights that are saved but not trained (batch-norm moving statistics, frozen layers). */
  readonly nonTrainable: number;
  /** Floating-point operations for one example: 2 per multiply-accumulate, 1 per elementwise op. */
  readonly flops: number;
}

/**
 * Layer kinds a node may ask for. All but `padding2d` are stock tfjs-layers factories (the config is
 * their own config object); `padding2d` is ConvCanvas' registered padding layer.
 */
export type LayerKind =
  | 'input'
  | 'conv2d'
  | 'dense'
  | 'maxPooling2d'
  | 'averagePooling2d'
  | 'globalAveragePooling2d'
  | 'globalMaxPooling2d'
  | 'batchNormalization'
  | 'activation'
  | 'leakyReLU'
  | 'dropout'
  | 'flatten'
  | 'add'
  | 'concatenate'
  | 'zeroPadding2d'
  | 'padding2d';

/**
 * One layer of a node's realisation, as plain data: the compiler turns it into a tfjs layer and the
 * code generator prints it, so both always agree. The layer is named after the node, plus `_suffix`.
 */
export interface LayerSpec {
  readonly layer: LayerKind;
  readonly config: Readonly<Record<string, unknown>>;
  readonly suffix?: string;
}

/** The tfjs layer name of one of a node's layers: the node id, plus `_suffix` when the spec has one. */
export const layerName = (nodeId: string, spec: LayerSpec): string =>
  spec.suffix === undefined ? nodeId : `${nodeId}_${spec.suffix}`;

/**
 * How a layer saved by Keras or TensorFlow.js (a model.json) becomes a node of this kind. The
 * importer reads every saved layer through the kinds that name its class.
 */
export interface KerasImport {
  /** The `class_name`s of saved layers this kind stands for. */
  readonly classNames: readonly string[];
  /**
   * Where several kinds read one class: this kind takes the layer only when this holds, and is asked
   * before the kind that reads the class without a condition.
   */
  readonly when?: (layer: KerasLayer, inputs: readonly (Shape | undefined)[]) => boolean;
  /**
   * The nodes the layer becomes, chained (the first takes the layer's inputs; none: the layer passes
   * its input through), from its config and its inputs' shapes (undefined where unknown). Throws
   * `Unsupported` (nodes/keras.ts) with the reason when no node can hold the layer's settings.
   */
  readonly read: (layer: KerasLayer, inputs: readonly (Shape | undefined)[]) => readonly NodeReading[];
}

/** A kind no saved layer becomes by itself; says how the importer makes it, or that it does not. */
export interface NotFromKeras {
  readonly none: string;
}

export interface InputArity {
  readonly min: number;
  /** Infinity for merge nodes that take any number of inputs. */
  readonly max: number;
}

export interface NodeDef<P extends ParamSpecs = ParamSpecs> {
  readonly kind: string;
  readonly label: string;
  readonly category: Category;
  /** One line for the palette. */
  readonly summary: string;
  /** A plain paragraph for the inspector and tooltips. */
  readonly doc: string;
  readonly inputs: InputArity;
  readonly params: P;
  /** Key params in short form for the node card, e.g. "3×3 ×64 s2". */
  short(p: ParamValues<P>): string;
  /** Output shape from input shapes, or an error in words a beginner understands. Never throws. */
  infer(inputs: readonly Shape[], p: ParamValues<P>): InferResult;
  /** Called only when infer succeeded. */
  stats(inputs: readonly Shape[], output: Shape, p: ParamValues<P>): NodeStats;
  /** The tfjs layers that realise this node, applied in order; the first receives all inputs. */
  layers(inputs: readonly Shape[], p: ParamValues<P>): readonly LayerSpec[];
  /** Which saved Keras / tfjs layers become this kind of node, and how. */
  readonly fromKeras: KerasImport | NotFromKeras;
}

/** A node kind with its parameter types erased, as the registry holds it. */
export type AnyNodeDef = NodeDef<ParamSpecs> & {
  short(p: ParamValuesLoose): string;
  infer(inputs: readonly Shape[], p: ParamValuesLoose): InferResult;
  stats(inputs: readonly Shape[], output: Shape, p: ParamValuesLoose): NodeStats;
  layers(inputs: readonly Shape[], p: ParamValuesLoose): readonly LayerSpec[];
};
export type ParamValuesLoose = Readonly<Record<string, number | string | boolean>>;

/** Declares a node kind; the typed params flow into every function. */
export function defineNode<const P extends ParamSpecs>(def: NodeDef<P>): AnyNodeDef {
  return def as unknown as AnyNodeDef;
}

export const noStats: NodeStats = { trainable: 0, nonTrainable: 0, flops: 0 };
