import { describe, expect, it } from 'vitest';
import type { AugmentConfig } from '../../src/core/training/augment';
import { noAugmentation } from '../../src/core/training/augment';
import {
  AUGMENT_GUIDANCE,
  AUGMENT_PRESETS,
  augmentConfigProblems,
} from '../../src/core/training/augment-presets';
import type { FloatImage } from '../../src/data/augment';
import {
  adjustBrightness,
  adjustContrast,
  adjustSaturation,
  augmentBatch,
  fillIndex,
  flipHorizontal,
  flipVertical,
  rangePreview,
  warpImage,
} from '../../src/data/augment';
import { seededRandom } from '../../src/data/random';

const image = (height: number, width: number, channels: number, values: number[]): FloatImage => ({
  height,
  width,
  channels,
  data: Float32Array.from(values),
});
const values = (i: FloatImage) => Array.from(i.data);
/** Float32 values to compare with numbers written in decimal. */
const near = (actual: FloatImage, expected: number[]) => {
  expect(actual.data.length).toBe(expected.length);
  expected.forEach((v, k) => expect(actual.data[k]!, `value ${k}`).toBeCloseTo(v, 6));
};

// A 3×3 greyscale image:  .1 .2 .3 / .4 .5 .6 / .7 .8 .9
const nine = image(3, 3, 1, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
const still = { angle: 0, zoom: 1, dx: 0, dy: 0 };

describe('flips', () => {
  it('left-right and top-bottom, keeping each pixel’s channels together', () => {
    const rgb = image(1, 2, 3, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
    near(flipHorizontal(rgb), [0.4, 0.5, 0.6, 0.1, 0.2, 0.3]);
    near(flipHorizontal(nine), [0.3, 0.2, 0.1, 0.6, 0.5, 0.4, 0.9, 0.8, 0.7]);
    near(flipVertical(nine), [0.7, 0.8, 0.9, 0.4, 0.5, 0.6, 0.1, 0.2, 0.3]);
    expect(values(nine)[0]).toBeCloseTo(0.1); // the input is not touched
  });
});

describe('borders', () => {
  it('index rules: reflect …2 1 | 0 1 2 | 1 0…, symmetric …1 0 | 0 1 2 | 2 1…, zero outside', () => {
    expect([-2, -1, 3, 4].map((i) => fillIndex(i, 3, 'reflect'))).toEqual([2, 1, 1, 0]);
    expect([-2, -1, 3, 4].map((i) => fillIndex(i, 3, 'symmetric'))).toEqual([1, 0, 2, 1]);
    expect([-1, 0, 3].map((i) => fillIndex(i, 3, 'zero'))).toEqual([-1, 0, -1]);
    // Far outside, the mirror repeats: reflect has period 4 on 3 pixels, symmetric period 6.
    expect(fillIndex(-5, 3, 'reflect')).toBe(1);
    expect(fillIndex(7, 3, 'symmetric')).toBe(1);
  });

  it('a shift right by one pixel fills the left column by the fill rule', () => {
    // Output (x, y) takes the input at x − 1; column −1 reads column 1 (reflect), 0 (symmetric) or black.
    const right = { ...still, dx: 1 };
    near(warpImage(nine, right, 'reflect'), [0.2, 0.1, 0.2, 0.5, 0.4, 0.5, 0.8, 0.7, 0.8]);
    near(warpImage(nine, right, 'symmetric'), [0.1, 0.1, 0.2, 0.4, 0.4, 0.5, 0.7, 0.7, 0.8]);
    near(warpImage(nine, right, 'zero'), [0, 0.1, 0.2, 0, 0.4, 0.5, 0, 0.7, 0.8]);
  });

  it('a shift up by one pixel fills the bottom row', () => {
    // Output (x, y) takes the input at y + 1; row 3 reads row 1 (reflect) or row 2 (symmetric).
    const up = { ...still, dy: -1 };
    near(warpImage(nine, up, 'reflect'), [0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.4, 0.5, 0.6]);
    near(warpImage(nine, up, 'symmetric'), [0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.7, 0.8, 0.9]);
  });

  it('a quarter turn: inside a square it moves pixels exactly; on a 4×2 image the corners come from the border', () => {
    // c = (1, 1): output (x, y) takes the input at (y, 2 − x).
    near(warpImage(nine, { ...still, angle: 90 }, 'zero'), [0.7, 0.4, 0.1, 0.8, 0.5, 0.2, 0.9, 0.6, 0.3]);
    // 4 wide, 2 high:  .1 .2 .3 .4 / .5 .6 .7 .8;  c = (1.5, 0.5): output (x, y) takes the input at (y + 1, 2 − x).
    const wide = image(2, 4, 1, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]);
    // x = 0 reads row 2 (reflect → row 0, symmetric → row 1); x = 3 reads row −1 (reflect → 1, symmetric → 0).
    near(warpImage(wide, { ...still, angle: 90 }, 'reflect'), [0.2, 0.6, 0.2, 0.6, 0.3, 0.7, 0.3, 0.7]);
    near(warpImage(wide, { ...still, angle: 90 }, 'symmetric'), [0.6, 0.6, 0.2, 0.2, 0.7, 0.7, 0.3, 0.3]);
    near(warpImage(wide, { ...still, angle: 90 }, 'zero'), [0, 0.6, 0.2, 0, 0, 0.7, 0.3, 0]);
  });

  it('zoom samples between pixels bilinearly, and a half-pixel sample outside is half black with zero fill', () => {
    const row = image(1, 3, 1, [0, 0.3, 0.6]);
    // z = 2, c = 1: output x reads 1 + (x − 1) / 2 = 0.5, 1, 1.5.
    near(warpImage(row, { ...still, zoom: 2 }, 'zero'), [0.15, 0.3, 0.45]);
    // z = ½: output x reads 1 + 2(x − 1) = −1, 1, 3.
    near(warpImage(row, { ...still, zoom: 0.5 }, 'reflect'), [0.3, 0.3, 0.3]);
    near(warpImage(row, { ...still, zoom: 0.5 }, 'symmetric'), [0, 0.3, 0.6]);
    near(warpImage(row, { ...still, zoom: 0.5 }, 'zero'), [0, 0.3, 0]);
    const flat = image(1, 3, 1, [0.4, 0.4, 0.4]);
    // A shift of half a pixel: output 0 reads x = −0.5, half from the black outside.
    near(warpImage(flat, { ...still, dx: 0.5 }, 'zero'), [0.2, 0.4, 0.4]);
  });
});

describe('colour', () => {
  it('brightness multiplies and clamps', () => {
    near(adjustBrightness(image(1, 2, 1, [0.2, 0.8]), 1.5), [0.3, 1]);
  });

  it('contrast scales about the mean grey value and clamps', () => {
    // Mean 0.4: (0.2 − 0.4)·2 + 0.4 = 0 and (0.6 − 0.4)·2 + 0.4 = 0.8.
    near(adjustContrast(image(1, 2, 1, [0.2, 0.6]), 2), [0, 0.8]);
    // RGB: greys 0.299·0.5 = 0.1495 and 0.587·0.5 = 0.2935, mean m = 0.2215; k = 0 gives m everywhere.
    const rgb = image(1, 2, 3, [0.5, 0, 0, 0, 0.5, 0]);
    near(adjustContrast(rgb, 0), [0.2215, 0.2215, 0.2215, 0.2215, 0.2215, 0.2215]);
    // k = 0.5: (x − m)/2 + m.
    near(adjustContrast(rgb, 0.5), [0.36075, 0.11075, 0.11075, 0.11075, 0.36075, 0.11075]);
  });

  it('saturation moves each pixel towards or away from its own grey', () => {
    // (0.8, 0.2, 0.2): grey 0.2392 + 0.1174 + 0.0228 = 0.3794.
    const red = image(1, 1, 3, [0.8, 0.2, 0.2]);
    near(adjustSaturation(red, 0), [0.3794, 0.3794, 0.3794]);
    near(adjustSaturation(red, 2), [1, 0.0206, 0.0206]); // 2·0.8 − 0.3794 = 1.2206 clamps to 1
    near(adjustSaturation(red, 0.5), [0.5897, 0.2897, 0.2897]);
    // Greyscale images have no saturation.
    near(adjustSaturation(image(1, 1, 1, [0.3]), 0), [0.3]);
  });
});

describe('augmenting a batch', () => {
  /** A generator that returns the given draws in order. */
  const scripted = (draws: number[]) => {
    let i = 0;
    return () => {
      if (i >= draws.length) throw new Error('more draws than expected');
      return draws[i++]!;
    };
  };
  const config: AugmentConfig = { ...noAugmentation, flipHorizontal: true, brightness: [0.5, 1.5] };

  it('draws per image in the documented order: flip (< 0.5 flips), then the brightness factor', () => {
    const a = image(1, 3, 1, [0.1, 0.2, 0.3]);
    const b = image(1, 3, 1, [0.4, 0.5, 0.6]);
    const batch = Float32Array.from([...a.data, ...b.data]);
    // Image a: 0.3 flips, brightness 0.5 + 0.75 = 1.25; image b: 0.6 does not flip, brightness 0.5 + 0.1 = 0.6.
    augmentBatch(batch, { height: 1, width: 3, channels: 1 }, config, scripted([0.3, 0.75, 0.6, 0.1]));
    near({ ...a, data: batch.subarray(0, 3) }, [0.375, 0.25, 0.125]);
    near({ ...b, data: batch.subarray(3) }, [0.24, 0.3, 0.36]);
  });

  it('draws the warp as angle, zoom, x shift, y shift, each uniform over its range', () => {
    const warped: AugmentConfig = { ...noAugmentation, rotation: 0, shift: 0.5, zoom: [1, 1], fill: 'zero' };
    const batch = Float32Array.from(nine.data);
    // angle 0 (any draw), zoom 1, dx = 0.5·(2·0.8333… − 1)·3 = 1, dy = 0.5·(2·0.5 − 1)·3 = 0.
    augmentBatch(batch, nine, warped, scripted([0.9, 0.2, 5 / 6, 0.5]));
    near({ ...nine, data: batch }, [0, 0.1, 0.2, 0, 0.4, 0.5, 0, 0.7, 0.8]);
  });

  it('is the same for the same seed, differs for another, and leaves the batch alone when nothing is on', () => {
    const photos = AUGMENT_PRESETS.find((p) => p.id === 'photos')!.config;
    const shape = { height: 8, width: 8, channels: 3 };
    const start = Float32Array.from({ length: 4 * 8 * 8 * 3 }, (_, i) => (i % 17) / 17);
    const run = (seed: number) => {
      const batch = Float32Array.from(start);
      augmentBatch(batch, shape, photos, seededRandom(seed));
      return batch;
    };
    expect(run(5)).toEqual(run(5));
    expect(run(5)).not.toEqual(run(6));
    expect(run(5).every((v) => v >= 0 && v <= 1)).toBe(true);
    const untouched = Float32Array.from(start);
    augmentBatch(untouched, shape, noAugmentation, () => {
      throw new Error('no draws without augmentation');
    });
    expect(untouched).toEqual(start);
  });
});

describe('previews, presets and guidance', () => {
  it('renders a setting at the low end, the middle and the high end of its range', () => {
    const config: AugmentConfig = { ...noAugmentation, brightness: [0.5, 1.5], rotation: 90, fill: 'zero' };
    const [low, mid, high] = rangePreview(image(1, 2, 1, [0.2, 0.8]), config, 'brightness');
    near(low, [0.1, 0.4]);
    near(mid, [0.2, 0.8]);
    near(high, [0.3, 1]);
    const turns = rangePreview(nine, config, 'rotation');
    near(turns[1], values(nine));
    near(turns[2], [0.7, 0.4, 0.1, 0.8, 0.5, 0.2, 0.9, 0.6, 0.3]);
    near(turns[0], [0.3, 0.6, 0.9, 0.2, 0.5, 0.8, 0.1, 0.4, 0.7]);
  });

  it('every preset is a valid config, and every setting has advice', () => {
    for (const p of AUGMENT_PRESETS) expect(augmentConfigProblems(p.config), p.id).toEqual([]);
    expect(Object.keys(AUGMENT_GUIDANCE).sort()).toEqual(Object.keys(noAugmentation).sort());
    const digits = AUGMENT_PRESETS.find((p) => p.id === 'digits')!.config;
    expect([digits.flipHorizontal, digits.flipVertical]).toEqual([false, false]);
    const satellite = AUGMENT_PRESETS.find((p) => p.id === 'satellite')!.config;
    expect([satellite.flipHorizontal, satellite.flipVertical]).toEqual([true, true]);
  });

  it('names each field of settings from outside that is out of range', () => {
    const bad = {
      ...noAugmentation,
      rotation: 400,
      zoom: [1.5, 1.2],
      fill: 'wrap',
      brightness: [0, Number.NaN],
    } as unknown as AugmentConfig;
    expect(augmentConfigProblems(bad)).toEqual([
      'rotation must be a number from 0 to 180',
      'zoom: the low end 1.5 is above the high end 1.2',
      "fill must be 'zero', 'reflect' or 'symmetric'",
      'brightness[1] must be a number from 0 to 3',
    ]);
  });
});
