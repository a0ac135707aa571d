import { defineNode, err, noStats, ok } from './define';
import { shown, unsupported } from './keras';
import { formatShape } from './shape';

export default defineNode({
  kind: 'concat',
  label: 'Concatenate',
  category: 'Merge',
  summary: 'Stacks inputs along the channels: 8×8×16 and 8×8×32 give 8×8×48.',
  doc: 'Puts its inputs side by side along the channel axis, so the next layer sees all of them at once. Height and width must agree; the channels add up. Inception modules and DenseNets are built this way.',
  inputs: { min: 2, max: Number.POSITIVE_INFINITY },
  params: {},
  short: () => 'channels',
  infer: (inputs) => {
    const first = inputs[0];
    if (first === undefined || inputs.length < 2)
      return err('Concatenate needs at least two inputs: connect a second link into it.');
    let channels = 0;
    for (let i = 0; i < inputs.length; i++) {
      const s = inputs[i]!;
      const head = s.slice(0, -1);
      if (s.length !== first.length || head.some((d, j) => d !== first[j]))
        return err(
          first.length === 3 && s.length === 3
            ? `Concatenate stacks channels, so height and width must agree, but input 1 is ${formatShape(first)} and input ${i + 1} is ${formatShape(s)}. Downsample the larger one first.`
            : `Concatenate cannot join ${formatShape(first)} with ${formatShape(s)}: both must be images of the same H×W, or both flat vectors.`,
        );
      channels += s[s.length - 1]!;
    }
    return ok([...first.slice(0, -1), channels]);
  },
  stats: () => noStats,
  layers: () => [{ layer: 'concatenate', config: { axis: -1 } }],
  fromKeras: {
    classNames: ['Concatenate'],
    read: ({ config: c }) => {
      const axis = c['axis'] ?? -1;
      if (axis !== -1 && axis !== 3)
        unsupported(`it joins along axis ${shown(axis)}; only the channel axis (-1) is supported`);
      return [{ kind: 'concat', params: {} }];
    },
  },
});
