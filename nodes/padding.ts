import { needsImage } from './conv-common';
import { defineNode, err, noStats, ok } from './define';
import { channelsLast, pads as kerasPads, shown } from './keras';
import { padModeOptions, padsProblem } from './padding-modes';
import type { Pads2D } from './padding-modes';
import { choice, int } from './params';
import type { ParamValues } from './params';
import { isImage } from './shape';

const params = {
  top: int(1, 0, 64, 'Rows added above.'),
  bottom: int(1, 0, 64, 'Rows added below.'),
  left: int(1, 0, 64, 'Columns added on the left.'),
  right: int(1, 0, 64, 'Columns added on the right.'),
  mode: choice(padModeOptions, 'zero', 'What the new border pixels hold.'),
};

const pads = (p: ParamValues<typeof params>): Pads2D => [
  [p.top, p.bottom],
  [p.left, p.right],
];

export default defineNode({
  kind: 'padding',
  label: 'Padding',
  category: 'Convolution',
  summary: 'Adds a border around the image: zeros, a mirror, a wrap-around or the edge repeated.',
  doc: 'Adds rows and columns around the image so that a following convolution can centre its kernel on the edge pixels too. Zeros are the usual fill; reflect and symmetric mirror the image at its border (no dark frame appears), circular wraps the opposite edge around (for images that tile), and replicate repeats the edge pixel.',
  inputs: { min: 1, max: 1 },
  params,
  short: (p) => {
    const all = [p.top, p.bottom, p.left, p.right];
    const amount = all.every((n) => n === p.top) ? `${p.top}` : all.join(',');
    return `${amount} ${p.mode}`;
  },
  infer: ([x], p) => {
    const problem = needsImage('Padding', x);
    if (problem !== null || x === undefined || !isImage(x)) return err(problem ?? '');
    const fit = padsProblem(p.mode, x[0], x[1], pads(p));
    if (fit !== null) return err(fit);
    return ok([x[0] + p.top + p.bottom, x[1] + p.left + p.right, x[2]]);
  },
  stats: () => noStats,
  layers: (_inputs, p) =>
    p.mode === 'zero'
      ? [{ layer: 'zeroPadding2d', config: { padding: pads(p) } }]
      : [{ layer: 'padding2d', config: { padding: pads(p), mode: p.mode } }],
  fromKeras: {
    // Padding2D is ConvCanvas' own layer (src/compile/padding-layer.ts), saved with its mode.
    classNames: ['ZeroPadding2D', 'Padding2D'],
    read: ({ className, config: c }) => {
      channelsLast(c);
      const [[top, bottom], [left, right]] = kerasPads(c);
      const mode = className === 'ZeroPadding2D' ? 'zero' : shown(c['mode']);
      return [{ kind: 'padding', params: { top, bottom, left, right, mode } }];
    },
  },
});
