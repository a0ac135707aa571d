/** Turns a node's LayerSpec (plain data from its nodes/ file) into a tfjs layer. */
import * as tfl from '@tensorflow/tfjs-layers';
import { layerName } from '../../nodes/define';
import type { LayerKind, LayerSpec } from '../../nodes/define';
import type { CustomPadMode, Pads2D } from '../../nodes/padding-modes';
import { Padding2D } from './padding-layer';

type Config = Record<string, unknown>;
// Each config object comes from the node file, written in that factory's own option names.
const factories: Record<Exclude<LayerKind, 'input'>, (config: Config) => tfl.layers.Layer> = {
  conv2d: (c) => tfl.layers.conv2d(c as never),
  dense: (c) => tfl.layers.dense(c as never),
  maxPooling2d: (c) => tfl.layers.maxPooling2d(c as never),
  averagePooling2d: (c) => tfl.layers.averagePooling2d(c as never),
  globalAveragePooling2d: (c) => tfl.layers.globalAveragePooling2d(c as never),
  globalMaxPooling2d: (c) => tfl.layers.globalMaxPooling2d(c as never),
  batchNormalization: (c) => tfl.layers.batchNormalization(c as never),
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

export function createLayer(nodeId: string, spec: Exclude<LayerSpec, { layer: 'input' }>): tfl.layers.Layer {
  if (spec.layer === 'input') throw new Error('input layers are created with tf.input');
  return factories[spec.layer]({ ...spec.config, name: layerName(nodeId, spec) });
}
