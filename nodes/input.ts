import { defineNode, noStats, ok } from './define';
import { imageShape } from './keras';
import { int } from './params';

export default defineNode({
  kind: 'input',
  label: 'Input',
  category: 'Data',
  summary: 'Where images enter the network: height × width × channels.',
  doc: 'The images the network sees, as a grid of H rows by W columns with C numbers per pixel (3 for colour, 1 for greyscale). Every shape below it follows from this one. When a dataset is chosen, its image size fills these in.',
  inputs: { min: 0, max: 0 },
  params: {
    height: int(32, 1, 1024, 'Image height in pixels.'),
    width: int(32, 1, 1024, 'Image width in pixels.'),
    channels: int(3, 1, 64, 'Numbers per pixel: 3 for RGB colour, 1 for greyscale.'),
  },
  short: (p) =>
    p.channels === 3 ? 'RGB images' : p.channels === 1 ? 'greyscale images' : `${p.channels}-channel images`,
  infer: (_inputs, p) => ok([p.height, p.width, p.channels]),
  stats: () => noStats,
  layers: (_inputs, p) => [{ layer: 'input', config: { shape: [p.height, p.width, p.channels] } }],
  fromKeras: {
    classNames: ['InputLayer'],
    read: ({ config }) => {
      const [height, width, channels] = imageShape(config);
      return [{ kind: 'input', params: { height, width, channels } }];
    },
  },
});
