/** Turns a node's LayerSpec (plain data from its nodes/ file) into a tfjs layer. */
import * as tfl from '@tensorflow/tfjs-layers';
import { layerName } from '../../nodes/define';
import type { LayerKind, LayerSpec } from '../../nodes/define';
import type { CustomPadMode, Pads2D } from '../../nodes/padding-modes';
import { TrainingBatchNorm } from './batch-norm-layer';
import { PlainConv2D } from './conv-layer';
import { Padding2D } from './padding-layer';

type Config = Record<string, unknown>;
// Each config object comes from the node file, written in that factory's own option names.
const factories: Record<Exclude<LayerKind, 'input'>, (config: Config) => tfl.layers.Layer> = {
  conv2d: (c) => new PlainConv2D(c as never),
  dense: (c) => tfl.layers.dense(c as never),
  maxPooling2d: (c) => tfl.layers.maxPooling2d(c as never),
  averagePooling2d: (c) => tfl.layers.averagePooling2d(c as never),
  globalAveragePooling2d: (c) => tfl.layers.globalAveragePooling2d(c as never),
  globalMaxPooling2d: (c) => tfl.layers.globalMaxPooling2d(c as never),
  batchNormalization: (c) => new TrainingBatchNorm(c as never),
  activation: (c) => tfl.layers.activation(c as never),
  leakyReLU: (c) => tfl.layers.leakyReLU(c as never),
  dropout: (c) => tfl.layers.dropout(c as never),
  flatten: (c) => tfl.layers.flatten(c as never),
  add: (c) => tfl.layers.add(c as never),
  concatenate: (c) => tfl.layers.concatenate(c as never),
  zeroPadding2d: (c) =>
    tfl.layers.zeroPadding2d({ ...c, padding: c['padding'] as [[number, number], [number, number]] }),
  padding2d: (c) =>
    new Padding2D({
      padding: c['padding'] as Pads2D,
      mode: c['mode'] as CustomPadMode,
      ...(typeof c['name'] === 'string' ? { name: c['name'] } : {}),
    }),
};

export { layerName };

/** Layers whose kernel starts random (tfjs' default for both: Glorot uniform). */
const seeded: ReadonlySet<LayerKind> = new Set(['conv2d', 'dense']);

/** A seed per layer from the run's seed and the layer's name, so adding a layer reseeds no other. */
function layerSeed(seed: number, name: string): number {
  let h = (seed * 0x9e3779b1) >>> 0;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h % 2_147_483_647;
}

/**
 * Builds one layer. With a `seed`, random initial weights are drawn from it (same distribution as
 * tfjs' default), so the same graph and seed start from the same weights.
 */
export function createLayer(
  nodeId: string,
  spec: Exclude<LayerSpec, { layer: 'input' }>,
  seed?: number,
): tfl.layers.Layer {
  if (spec.layer === 'input') throw new Error('input layers are created with tf.input');
  const name = layerName(nodeId, spec);
  const initializer =
    seed !== undefined && seeded.has(spec.layer) && spec.config['kernelInitializer'] === undefined
      ? { kernelInitializer: tfl.initializers.glorotUniform({ seed: layerSeed(seed, name) }) }
      : {};
  return factories[spec.layer]({ ...spec.config, ...initializer, name });
}
