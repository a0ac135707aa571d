import type { Shape } from './shape';
import { formatShape, isVector } from './shape';

/** Why a node that needs a flat vector cannot take `x`, or null when it can. */
export function needsVector(what: string, x: Shape | undefined): string | null {
  if (x === undefined) return `${what} needs an input: connect a link into it.`;
  if (!isVector(x))
    return `${what} needs a flat vector, but its input is ${formatShape(x)}. Add a Flatten or a Global average pool before it.`;
  return null;
}
