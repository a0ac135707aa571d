import { convLayers, convShort, convStats, convTailParams, inferConv, readConv2D } from './conv-common';
import type { ConvSettings } from './conv-common';
import { defineNode } from './define';
import { withActivation } from './keras';
import { int } from './params';
import type { ParamValues } from './params';

const params = {
  filters: int(16, 1, 2048, 'How many kernels, so how many output channels.'),
  kernel: int(3, 1, 15, 'Kernel height and width; 3×3 is the usual choice.', 'kernel size'),
  stride: int(1, 1, 8, 'Step between kernel positions; 2 halves H and W.'),
  dilation: int(1, 1, 8, 'Gap between kernel taps; 2 makes a 3×3 kernel cover 5×5.'),
  ...convTailParams,
};

const settings = (p: ParamValues<typeof params>): ConvSettings => ({ ...p, border: p.padding });

export default defineNode({
  kind: 'conv',
  label: 'Convolution',
  category: 'Convolution',
  summary: 'Slides learned kernels over the image; each kernel makes one output channel.',
  doc: 'A convolution slides a small window (the kernel, e.g. 3×3) across the image. At each position it multiplies the window by learned weights, over all input channels, and adds them up into one number. Each of the K kernels gives one output channel, so the output is H×W×K. The same weights are used everywhere, which is why convolutions find a pattern wherever it appears.',
  inputs: { min: 1, max: 1 },
  params,
  short: (p) => convShort(settings(p)),
  infer: (inputs, p) => inferConv('Convolution', inputs, settings(p)),
  stats: (inputs, output, p) => convStats(inputs, output, settings(p)),
  layers: (inputs, p) => convLayers(inputs, settings(p)),
  fromKeras: {
    classNames: ['Conv2D'],
    read: ({ config }) => {
      const { filters, kernel, stride, dilation, padding, bias, trainable } = readConv2D(config);
      return withActivation('conv', { filters, kernel, stride, dilation, padding, bias, trainable }, config);
    },
  },
});
