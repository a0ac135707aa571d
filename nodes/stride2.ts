import { convLayers, convShort, convStats, convTailParams, inferConv, readConv2D } from './conv-common';
import type { ConvSettings } from './conv-common';
import { defineNode, err } from './define';
import { withActivation } from './keras';
import { autoInt, int } from './params';
import type { ParamValues } from './params';
import type { Shape } from './shape';

const params = {
  filters: autoInt(
    1,
    2048,
    'How many kernels, so how many output channels.',
    'auto: twice the input channels, the usual trade when H and W halve.',
  ),
  kernel: int(3, 1, 15, 'Kernel height and width; 1×1 makes a cheap projection.', 'kernel size'),
  ...convTailParams,
};

type P = ParamValues<typeof params>;

const settings = (inputs: readonly Shape[], p: P): ConvSettings => ({
  ...p,
  filters: p.filters === 'auto' ? 2 * (inputs[0]?.[2] ?? 1) : p.filters,
  stride: 2,
  dilation: 1,
  border: p.padding,
});

export default defineNode({
  kind: 'stride2',
  label: 'Stride-2 conv',
  category: 'Convolution',
  summary: 'A downsampling convolution: H and W halve, channels usually double.',
  doc: 'A convolution that moves its kernel two pixels at a time, so the output has half the height and half the width of the input. Networks usually double the channels at the same moment, keeping the amount of work per layer roughly even while each output pixel sees a wider part of the image. Filters set to auto take twice the input channels.',
  inputs: { min: 1, max: 1 },
  params,
  // The label already says stride 2, so the short form leaves out "s2".
  short: (p) =>
    convShort(
      { ...p, filters: 0, stride: 1, dilation: 1, border: p.padding },
      p.filters === 'auto' ? '2C' : String(p.filters),
    ),
  infer: (inputs, p) => {
    const doubled = settings(inputs, p).filters;
    if (p.filters === 'auto' && doubled > params.filters.max)
      return err(
        `Filters on auto would double the ${inputs[0]![2]!.toLocaleString('en-US')} input channels to ${doubled.toLocaleString('en-US')}, more than the ${params.filters.max.toLocaleString('en-US')} a convolution may have: set filters to a number (at most ${params.filters.max.toLocaleString('en-US')}).`,
      );
    return inferConv('Stride-2 conv', inputs, settings(inputs, p));
  },
  stats: (inputs, output, p) => convStats(inputs, output, settings(inputs, p)),
  layers: (inputs, p) => convLayers(inputs, settings(inputs, p)),
  fromKeras: {
    classNames: ['Conv2D'],
    // A stride-2 convolution that doubles the channels is what this node is for (filters "auto").
    when: ({ config }, [x]) => {
      const { filters, stride, dilation } = readConv2D(config);
      return (
        stride === 2 &&
        dilation === 1 &&
        x !== undefined &&
        filters === 2 * (x[2] ?? Number.NaN) &&
        filters <= params.filters.max
      );
    },
    read: ({ config }) => {
      const { kernel, padding, bias, trainable } = readConv2D(config);
      return withActivation('stride2', { filters: 'auto', kernel, padding, bias, trainable }, config);
    },
  },
});
