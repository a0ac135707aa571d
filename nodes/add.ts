import { defineNode, err, ok } from './define';
import type { Shape } from './shape';
import { elementCount, formatShape, isImage, sameShape } from './shape';

/** A concrete way to make `from` match `to`, when there is a standard one. */
function projectionHint(from: Shape, to: Shape): string {
  if (isImage(from) && isImage(to)) {
    const [fh, fw] = from;
    const [th, tw, tc] = to;
    if (Math.ceil(fh / 2) === th && Math.ceil(fw / 2) === tw)
      return `Put a 1×1 stride-2 conv with ${tc} filters on the ${formatShape(from)} branch (the shortcut): it halves H and W and makes ${tc} channels, so both become ${formatShape(to)}.`;
    if (fh === th && fw === tw)
      return `Put a 1×1 conv with ${tc} filters on the ${formatShape(from)} branch so both have ${tc} channels.`;
  }
  return 'Change the layers on one branch so both end in the same shape.';
}

/** Order two shapes as (the one to change, the one to match): match the smaller image, the wider channels. */
function pickTarget(a: Shape, b: Shape): [from: Shape, to: Shape] {
  if (isImage(a) && isImage(b)) {
    if (a[0] * a[1] !== b[0] * b[1]) return a[0] * a[1] > b[0] * b[1] ? [a, b] : [b, a];
    return a[2] < b[2] ? [a, b] : [b, a];
  }
  return [a, b];
}

export default defineNode({
  kind: 'add',
  label: 'Add (skip)',
  category: 'Merge',
  summary: 'Adds tensors of the same shape element by element: the skip connection of a ResNet.',
  doc: 'Adds two or more tensors number by number, so they must have exactly the same shape. In a residual block one input is the block’s own input carried around the layers (the shortcut, or skip connection) and the other is what the layers computed; the layers then only need to learn a correction. This is what lets very deep networks train.',
  inputs: { min: 2, max: Number.POSITIVE_INFINITY },
  params: {},
  short: () => '',
  infer: (inputs) => {
    const first = inputs[0];
    if (first === undefined || inputs.length < 2)
      return err('Add needs at least two inputs of the same shape: connect a second link into it.');
    for (let i = 1; i < inputs.length; i++) {
      const other = inputs[i]!;
      if (!sameShape(first, other)) {
        const [from, to] = pickTarget(first, other);
        return err(
          `Add needs inputs of one shape, but input 1 is ${formatShape(first)} and input ${i + 1} is ${formatShape(other)}. ${projectionHint(from, to)}`,
        );
      }
    }
    return ok(first);
  },
  stats: (inputs, output) => ({
    trainable: 0,
    nonTrainable: 0,
    flops: (inputs.length - 1) * elementCount(output),
  }),
  layers: () => [{ layer: 'add', config: {} }],
  fromKeras: { classNames: ['Add'], read: () => [{ kind: 'add', params: {} }] },
});
