import type { ChoiceOption } from './params';

/** How a border is filled, named as in NumPy's pad where they coincide. */
export type PadMode = 'zero' | 'reflect' | 'symmetric' | 'circular' | 'replicate';
/** Modes realised by ConvCanvas' own padding layer (zero uses the stock ZeroPadding2D). */
export type CustomPadMode = Exclude<PadMode, 'zero'>;

export const padModeOptions: readonly ChoiceOption<PadMode>[] = [
  { value: 'zero', label: 'zeros' },
  { value: 'reflect', label: 'reflect (mirror, edge not repeated)' },
  { value: 'symmetric', label: 'symmetric (mirror, edge repeated)' },
  { value: 'circular', label: 'circular (wrap around)' },
  { value: 'replicate', label: 'replicate (repeat the edge)' },
];

/** Pads as [[top, bottom], [left, right]]. */
export type Pads2D = readonly [readonly [number, number], readonly [number, number]];

const limit = (mode: PadMode, length: number): number => {
  switch (mode) {
    case 'reflect':
      return length - 1;
    case 'symmetric':
    case 'circular':
      return length;
    case 'zero':
    case 'replicate':
      return Number.POSITIVE_INFINITY;
  }
};

const why: Record<PadMode, string> = {
  zero: '',
  reflect: 'reflect padding mirrors the rows next to the edge, so it can add at most one less than the size',
  symmetric: 'symmetric padding mirrors the edge itself, so it can add at most the size',
  circular: 'circular padding wraps the opposite side around, so it can add at most the size',
  replicate: '',
};

/** Why these pads cannot be applied to an h×w input in this mode, or null when they can. */
export function padsProblem(mode: PadMode, h: number, w: number, pads: Pads2D): string | null {
  const [[top, bottom], [left, right]] = pads;
  const rows = Math.max(top, bottom);
  const cols = Math.max(left, right);
  if (rows > limit(mode, h))
    return `${mode} padding of ${rows} does not fit an input only ${h} high: ${why[mode]}. Use less padding or zero padding.`;
  if (cols > limit(mode, w))
    return `${mode} padding of ${cols} does not fit an input only ${w} wide: ${why[mode]}. Use less padding or zero padding.`;
  return null;
}
