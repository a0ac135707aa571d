import { defineNode, err, noStats, ok } from './define';
import { channelsLast } from './keras';
import { elementCount, formatShape, isImage } from './shape';

export default defineNode({
  kind: 'flatten',
  label: 'Flatten',
  category: 'Dense',
  summary: 'Unrolls H×W×C into one long vector for dense layers.',
  doc: 'Lays all the numbers of an H×W×C feature map out in one row, so that a dense layer can look at all of them. Nothing is computed or learned. The vector can get long: 7×7×512 is 25,088 numbers, which is why modern networks often use a global average pool instead.',
  inputs: { min: 1, max: 1 },
  params: {},
  short: () => '',
  infer: ([x]) => {
    if (x === undefined) return err('Flatten needs an input: connect a link into it.');
    if (!isImage(x))
      return err(`The input is already a flat vector of ${formatShape(x)}: remove this Flatten.`);
    return ok([elementCount(x)]);
  },
  stats: () => noStats,
  layers: () => [{ layer: 'flatten', config: {} }],
  fromKeras: {
    classNames: ['Flatten'],
    read: ({ config }) => {
      channelsLast(config);
      return [{ kind: 'flatten', params: {} }];
    },
  },
});
