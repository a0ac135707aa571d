/**
 * The grid of a slice: its coordinates, the order its points are computed in (coarse to fine, each
 * point once), and a filled-in view of a grid that is still refining.
 */

/** `n` evenly spaced values from `lo` to `hi` (both included). */
export function axis(lo: number, hi: number, n: number): number[] {
  if (n === 1) return [(lo + hi) / 2];
  return Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

/** Lattice steps from coarse to fine; the coarsest is what appears first. */
const STEPS = [8, 4, 2, 1];

/** Whether index `i` of an axis of `n` lies on the lattice of step `s` (the last index always does). */
const onLattice = (i: number, n: number, s: number) => i % s === 0 || i === n - 1;

/** The coarsest step whose lattice holds (i, j). */
export function levelOf(i: number, j: number, nx: number, ny: number): number {
  for (const s of STEPS) if (onLattice(i, nx, s) && onLattice(j, ny, s)) return s;
  return 1;
}

/**
 * Flat indices (y·nx + x) of every point once, coarse lattices first: every 8th point of each axis
 * (and the last), then every 4th, 2nd, then the rest. Refining costs nothing extra.
 */
export function refinementOrder(nx: number, ny: number): Int32Array {
  const order = new Int32Array(nx * ny);
  let k = 0;
  for (const s of STEPS)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) if (levelOf(i, j, nx, ny) === s) order[k++] = j * nx + i;
  return order;
}

/** The neighbours of `i` on the lattice of step `s`: the lattice point at or below and the next. */
function bracket(i: number, n: number, s: number): [number, number] {
  const lo = Math.min(Math.floor(i / s) * s, n - 1);
  return [lo, Math.min(lo + s, n - 1)];
}

/**
 * A refining grid with its gaps filled: each missing point is interpolated (bilinearly) from the
 * finest lattice whose points are all known. Known points stay as they are; with no complete
 * lattice yet the gaps stay NaN.
 */
export function filled(values: Float32Array, nx: number, ny: number): Float32Array {
  const known = (i: number, j: number) => !Number.isNaN(values[j * nx + i]!);
  let step: number | undefined;
  for (const s of STEPS) {
    let complete = true;
    for (let j = 0; j < ny && complete; j++)
      for (let i = 0; i < nx && complete; i++)
        if (onLattice(i, nx, s) && onLattice(j, ny, s)) complete = known(i, j);
    if (!complete) break;
    step = s;
  }
  if (step === undefined || step === 1) return values;
  const out = Float32Array.from(values);
  for (let j = 0; j < ny; j++)
    for (let i = 0; i < nx; i++) {
      if (known(i, j)) continue;
      const [x0, x1] = bracket(i, nx, step);
      const [y0, y1] = bracket(j, ny, step);
      const tx = x1 === x0 ? 0 : (i - x0) / (x1 - x0);
      const ty = y1 === y0 ? 0 : (j - y0) / (y1 - y0);
      const v = (x: number, y: number) => values[y * nx + x]!;
      out[j * nx + i] =
        (1 - ty) * ((1 - tx) * v(x0, y0) + tx * v(x1, y0)) + ty * ((1 - tx) * v(x0, y1) + tx * v(x1, y1));
    }
  return out;
}
