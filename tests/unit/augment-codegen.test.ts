/**
 * The augmentation travels into exported code: the generated TypeScript's augmentImages changes
 * images exactly as the app's augmentBatch does (same images, same draws), its train() runs with it,
 * and the PyTorch train.py gets the person's settings and resize mode from the page's state.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { generateModule } from '../../src/codegen';
import { generatePytorch } from '../../src/codegen/pytorch';
import { GraphBuilder } from '../../src/core/builder';
import type { AugmentConfig } from '../../src/core/training/augment';
import { noAugmentation } from '../../src/core/training/augment';
import { AUGMENT_PRESETS } from '../../src/core/training/augment-presets';
import { defaultTrainConfig } from '../../src/core/training/settings';
import { augmentBatch } from '../../src/data/augment';
import { seededRandom } from '../../src/data/random';
import { codeOptions } from '../../src/store/data-slice';
import { importModule, typeCheck } from './support/generated';
import { withCpuBackend } from './support/tf';

withCpuBackend();

interface AugmentModule {
  augmentOptions: AugmentConfig;
  augmentImages(
    images: Float32Array,
    height: number,
    width: number,
    channels: number,
    options?: AugmentConfig,
    random?: () => number,
  ): void;
  createModel(): tfl.LayersModel;
  train(
    model: tfl.LayersModel,
    xs: tfc.Tensor,
    ys: tfc.Tensor,
    options?: object,
    augment?: AugmentConfig | null,
  ): Promise<tfl.History>;
}

function tiny(channels: number) {
  const g = new GraphBuilder('tiny');
  const x = g.node('input', { height: 7, width: 9, channels });
  g.node('output', { classes: 2 }, g.node('gap', {}, g.node('conv', { filters: 2 }, x)));
  return g.build();
}

const everything: AugmentConfig = {
  flipHorizontal: true,
  flipVertical: true,
  rotation: 40,
  zoom: [0.7, 1.3],
  shift: 0.2,
  fill: 'reflect',
  brightness: [0.6, 1.4],
  contrast: [0.5, 1.5],
  saturation: [0, 2],
};

const configs: [string, AugmentConfig][] = [
  ...AUGMENT_PRESETS.filter((p) => p.id !== 'none').map((p) => [p.id, p.config] as [string, AugmentConfig]),
  ['everything, reflect', everything],
  ['everything, zero', { ...everything, fill: 'zero' }],
  ['everything, symmetric', { ...everything, fill: 'symmetric' }],
];

describe('augmentation in the generated TypeScript', () => {
  it.each(configs)(
    '%s: augmentImages equals the app’s augmentBatch on the same images and draws',
    async (_name, config) => {
      for (const channels of [1, 3]) {
        const generated = generateModule(tiny(channels), { train: defaultTrainConfig, augment: config });
        if (!generated.ok) throw new Error('generate');
        const mod = await importModule<AugmentModule>(generated.code);
        expect(mod.augmentOptions).toEqual(config);
        const source = seededRandom(11);
        const images = Float32Array.from({ length: 5 * 7 * 9 * channels }, () => source());
        const theirs = images.slice();
        augmentBatch(images, { height: 7, width: 9, channels }, config, seededRandom(3));
        mod.augmentImages(theirs, 7, 9, channels, config, seededRandom(3));
        expect(Array.from(theirs)).toEqual(Array.from(images));
      }
    },
  );

  it('type-checks strictly, and train() fits each epoch on freshly augmented images', async () => {
    const generated = generateModule(tiny(3), {
      train: { ...defaultTrainConfig, epochs: 2, batchSize: 4 },
      augment: everything,
    });
    if (!generated.ok) throw new Error('generate');
    expect(typeCheck(new Map([['augmenting', generated.code]]))).toEqual([]);
    const mod = await importModule<AugmentModule>(generated.code);
    const model = mod.createModel();
    const xs = tfc.randomUniform([8, 7, 9, 3]);
    const ys = tfc.tensor1d([0, 1, 0, 1, 0, 1, 0, 1]);
    const history = await mod.train(model, xs, ys);
    expect(history.epoch).toEqual([0, 1]);
    expect(history.history['loss']).toHaveLength(2);
    tfc.dispose([xs, ys]);
  });

  it('leaves augmentation out of a module whose settings change nothing', () => {
    const generated = generateModule(tiny(3), { train: defaultTrainConfig, augment: noAugmentation });
    expect(generated.ok && generated.code).not.toContain('augmentImages');
  });

  it('the code panel’s options carry the chosen augmentation and fit into train.py', () => {
    const options = codeOptions({
      trainConfig: defaultTrainConfig,
      augment: AUGMENT_PRESETS.find((p) => p.id === 'satellite')!.config,
      storedConfig: { fit: 'letterbox', validationShare: 0.2 },
    });
    const result = generatePytorch(tiny(3), options);
    if (!result.ok) throw new Error('generate');
    const script = result.files.find((f) => f.name === 'train.py')!.code;
    expect(script).toMatch(/'resize': 'letterbox',/);
    expect(script).toMatch(/'flip_vertical': True,/);
    expect(script).toMatch(/'rotation': 180,/);
  });
});
