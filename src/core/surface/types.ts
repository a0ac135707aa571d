/**
 * Loss-surface slices as data: what is asked for and what comes back. Pure, so the page, the worker,
 * the CLI and the image renderer share one description.
 */

/**
 * - `random`: L(θ + a·d1 + b·d2) with two Gaussian directions normalised filter by filter;
 * - `path`: the same over the plane of the training path's two main PCA directions, with the path;
 * - `line`: L along the straight line from the initial to the trained weights (α from −0.5 to 1.5);
 * - `random-line`: L(θ + α·d) along one filter-normalised random direction.
 */
export type SliceKind = 'random' | 'path' | 'line' | 'random-line';

export const SLICE_KINDS: readonly SliceKind[] = ['random', 'path', 'line', 'random-line'];

export const isPlane = (kind: SliceKind): boolean => kind === 'random' || kind === 'path';

export interface SliceRequest {
  readonly kind: SliceKind;
  /** Points per side (a plane) or along the line. */
  readonly grid: number;
  /** The grid spans −range … +range along each random direction. */
  readonly range: number;
  /** Validation images each point is measured on (the first ones, always the same). */
  readonly samples: number;
  /** Draws the random directions. */
  readonly seed: number;
  /** Move biases and batch-norm scales and shifts too (they get no direction by default). */
  readonly includeBiasBn: boolean;
}

/** The training path projected on the plane of its two main PCA directions. */
export interface ProjectedPath {
  /** Coordinates of each weight snapshot along the two directions, oldest first. */
  readonly x: readonly number[];
  readonly y: readonly number[];
  /** Epoch (fractional) of each snapshot. */
  readonly epoch: readonly number[];
  /** Share of the path's variance each direction explains. */
  readonly explained: readonly [number, number];
}

/** A slice, complete or (while it refines) partly computed. */
export interface Surface {
  readonly kind: SliceKind;
  /** Coordinates of the columns (along d1, or α); length nx. */
  readonly xs: readonly number[];
  /** Coordinates of the rows (along d2); one row (at 0) for a line. */
  readonly ys: readonly number[];
  /** Mean cross-entropy per point, row by row (index y·nx + x); NaN where not computed yet. */
  readonly loss: Float32Array;
  /** Accuracy per point, the same layout. */
  readonly accuracy: Float32Array;
  /** Points computed so far, of nx·ny. */
  readonly done: number;
  /** The images each point was measured on. */
  readonly samples: number;
  readonly seed: number;
  readonly includeBiasBn: boolean;
  /** Axis names for the plots. */
  readonly axes: readonly [string, string];
  readonly path?: ProjectedPath;
  /** Seconds spent so far, and the estimate of those still to come. */
  readonly seconds: number;
  readonly secondsLeft: number | null;
}

export type SurfaceStatus = 'running' | 'done' | 'cancelled';

export const pointCount = (s: Pick<Surface, 'xs' | 'ys'>): number => s.xs.length * s.ys.length;
