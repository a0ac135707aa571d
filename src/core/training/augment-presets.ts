/**
 * Ready-made augmentation settings for common kinds of images, the advice shown beside each setting,
 * and a check of settings that came from outside (a file, the worker protocol, the command line).
 */
import type { AugmentConfig } from './augment';
import { noAugmentation } from './augment';

export type AugmentPresetId = 'none' | 'photos' | 'satellite' | 'digits';

export interface AugmentPreset {
  readonly id: AugmentPresetId;
  readonly label: string;
  /** When to use it, in a sentence. */
  readonly blurb: string;
  readonly config: AugmentConfig;
}

export const AUGMENT_PRESETS: readonly AugmentPreset[] = [
  { id: 'none', label: 'None', blurb: 'Every training image is used as it is.', config: noAugmentation },
  {
    id: 'photos',
    label: 'Photos',
    blurb:
      'Natural photos of things that have an up and a down: mirrored left-right, tilted a little, zoomed in a little, mild changes of light and colour.',
    config: {
      flipHorizontal: true,
      flipVertical: false,
      rotation: 10,
      zoom: [1, 1.1],
      shift: 0,
      fill: 'reflect',
      brightness: [0.8, 1.2],
      contrast: [0.8, 1.2],
      saturation: [0.8, 1.2],
    },
  },
  {
    id: 'satellite',
    label: 'Satellite or microscope',
    blurb:
      'Images seen from above, with no up or down: flipped both ways and turned to any angle, with slight changes of light.',
    config: {
      flipHorizontal: true,
      flipVertical: true,
      rotation: 180,
      zoom: [1, 1],
      shift: 0,
      fill: 'reflect',
      brightness: [0.9, 1.1],
      contrast: [0.9, 1.1],
      saturation: [1, 1],
    },
  },
  {
    id: 'digits',
    label: 'Digits and text',
    blurb:
      'Handwriting on a plain background: never flipped (a mirrored 2 is not a 2), moved and tilted a little, new borders black like the background.',
    config: {
      flipHorizontal: false,
      flipVertical: false,
      rotation: 10,
      zoom: [1, 1],
      shift: 0.1,
      fill: 'zero',
      brightness: [1, 1],
      contrast: [1, 1],
      saturation: [1, 1],
    },
  },
];

/** Advice beside each setting: what it does and when it helps or hurts. */
export const AUGMENT_GUIDANCE: { readonly [K in keyof AugmentConfig]: string } = {
  flipHorizontal:
    'Mirrors half the images left to right. Right for natural photos (a cat facing left is still a cat); wrong for digits, letters and anything whose meaning changes in a mirror.',
  flipVertical:
    'Turns half the images upside down. Only for images with no up or down, such as satellite and microscope images; a photo of a room upside down teaches nothing true.',
  rotation:
    'Turns each image by a random angle up to this many degrees either way. A few degrees helps with tilted photos and handwriting; up to 180 only when any orientation can occur.',
  zoom: 'Scales each image by a random factor in this range (above 1 zooms in and cuts off the edges; below 1 shrinks it and fills a border).',
  shift:
    'Moves each image by up to this fraction of its size in each direction, so the network does not learn where in the frame things sit.',
  fill: 'What fills the corners a rotation, shift or shrink uncovers: black (zero), the image mirrored about its edge pixel (reflect), or mirrored with the edge repeated (symmetric). Reflection looks most like a photo; black suits images on a black background, such as digits.',
  brightness:
    'Multiplies every value by a random factor in this range. Watch the previews: below about 0.5 or above 1.5 many images stop showing what they are.',
  contrast:
    'Pulls every value towards (below 1) or pushes it away from (above 1) the image’s mean grey by a random factor in this range. Far from 1, detail washes out or clips.',
  saturation:
    'Moves colours towards grey (0 is fully grey) or makes them stronger (above 1). Keep it near 1 when colour tells the classes apart, for example ripe and unripe fruit.',
};

/** Problems of settings from outside, each naming its field; empty when the settings are usable. */
export function augmentConfigProblems(config: AugmentConfig): string[] {
  const problems: string[] = [];
  const number = (field: string, v: unknown, lo: number, hi: number) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi)
      problems.push(`${field} must be a number from ${lo} to ${hi}`);
  };
  const range = (field: string, v: unknown, lo: number, hi: number) => {
    if (!Array.isArray(v) || v.length !== 2) {
      problems.push(`${field} must be a pair [low, high]`);
      return;
    }
    number(`${field}[0]`, v[0], lo, hi);
    number(`${field}[1]`, v[1], lo, hi);
    if (typeof v[0] === 'number' && typeof v[1] === 'number' && v[0] > v[1])
      problems.push(`${field}: the low end ${v[0]} is above the high end ${v[1]}`);
  };
  for (const flag of ['flipHorizontal', 'flipVertical'] as const)
    if (typeof config[flag] !== 'boolean') problems.push(`${flag} must be true or false`);
  number('rotation', config.rotation, 0, 180);
  range('zoom', config.zoom, 0.5, 2);
  number('shift', config.shift, 0, 0.5);
  if (!['zero', 'reflect', 'symmetric'].includes(config.fill as string))
    problems.push("fill must be 'zero', 'reflect' or 'symmetric'");
  range('brightness', config.brightness, 0, 3);
  range('contrast', config.contrast, 0, 3);
  range('saturation', config.saturation, 0, 3);
  return problems;
}
