/**
 * Which node kinds read each saved layer class, gathered from the kinds' own `fromKeras`
 * declarations in nodes/: adding a kind that declares its classes is all an import needs.
 */
import { nodeKinds } from '../../nodes';
import type { AnyNodeDef, KerasImport } from '../../nodes/define';
import type { KerasLayer, NodeReading } from '../../nodes/keras';
import { Unsupported, shown } from '../../nodes/keras';
import type { Shape } from '../../nodes/shape';

const isImport = (from: AnyNodeDef['fromKeras']): from is KerasImport => 'classNames' in from;

/** The kinds that read one layer class: those with a condition are asked first, in registry order. */
export interface ClassReaders {
  readonly guarded: readonly KerasImport[];
  readonly fallback: readonly KerasImport[];
}

/** Per saved layer class, the kinds whose `fromKeras` names it. */
export function gatherReaders(kinds: readonly AnyNodeDef[]): ReadonlyMap<string, ClassReaders> {
  const byClass = new Map<string, { guarded: KerasImport[]; fallback: KerasImport[] }>();
  for (const def of kinds) {
    if (!isImport(def.fromKeras)) continue;
    for (const className of def.fromKeras.classNames) {
      const entry = byClass.get(className) ?? { guarded: [], fallback: [] };
      (def.fromKeras.when === undefined ? entry.fallback : entry.guarded).push(def.fromKeras);
      byClass.set(className, entry);
    }
  }
  return byClass;
}

const readers = gatherReaders(nodeKinds);

/** Every saved layer class some node kind reads, in registry order. */
export const importableClasses: readonly string[] = [...readers.keys()];

/** Layers people often try that have no node yet, with what to say. */
const notYet = new Map([
  ['DepthwiseConv2D', 'ConvCanvas has no depthwise convolution node yet'],
  ['SeparableConv2D', 'ConvCanvas has no depthwise convolution node yet'],
]);

export type LayerReading =
  | { readonly ok: true; readonly nodes: readonly NodeReading[] }
  | { readonly ok: false; readonly reason: string };

/**
 * The nodes a saved layer becomes, read by the first kind that takes it (`inputs`: the shapes of
 * the layer's inputs, undefined where unknown), or why none can.
 */
export function readLayer(layer: KerasLayer, inputs: readonly (Shape | undefined)[]): LayerReading {
  const candidates = readers.get(layer.className);
  const supported = `Supported layers: ${importableClasses.join(', ')}`;
  if (candidates === undefined) {
    const why = notYet.get(layer.className);
    const name = shown(layer.className);
    return {
      ok: false,
      reason:
        why === undefined
          ? `${name} is not supported. ${supported}`
          : `${name} is not supported: ${why}. ${supported}`,
    };
  }
  try {
    const reader = candidates.guarded.find((c) => c.when!(layer, inputs)) ?? candidates.fallback[0];
    if (reader === undefined)
      return {
        ok: false,
        reason: `${shown(layer.className)} is not supported with these settings. ${supported}`,
      };
    return { ok: true, nodes: reader.read(layer, inputs) };
  } catch (e) {
    if (e instanceof Unsupported) return { ok: false, reason: e.message };
    throw e;
  }
}
