/**
 * Hand-set kernels for convolutions, kept in the graph document as a node's `kernels`: one k×k grid
 * per output channel, counted from the first, rows top to bottom. A grid is spread equally over the
 * input channels (each input channel's slice is the grid divided by their number), so it acts on the
 * mean of the input channels: a top-edge grid finds edges in the brightness of a colour image. Output
 * channels without a grid keep their own weights, and the bias of a hand-set channel is zero; the
 * node's `trainable` switch decides whether training may change any of them.
 */

export type KernelGrid = readonly number[];

/** The most grids a node may carry, and the largest grid side (the kernel param's own maximum). */
export const HAND_KERNEL_LIMITS = { channels: 256, side: 15, magnitude: 1e4 } as const;

export interface KernelPreset {
  readonly id: string;
  readonly label: string;
  /** What it responds to, in a few words. */
  readonly help: string;
  /** 3×3, rows top to bottom. */
  readonly grid: KernelGrid;
}

// Convolutions here are cross-correlations (as in every framework): the output at a pixel is the sum of
// the grid times the 3×3 window around it, so the grid reads the way the picture looks.
export const KERNEL_PRESETS: readonly KernelPreset[] = [
  {
    id: 'top-edge',
    label: 'Top edge',
    help: 'light above dark (Sobel): horizontal edges',
    grid: [1, 2, 1, 0, 0, 0, -1, -2, -1],
  },
  {
    id: 'left-edge',
    label: 'Left edge',
    help: 'light left of dark (Sobel): vertical edges',
    grid: [1, 0, -1, 2, 0, -2, 1, 0, -1],
  },
  {
    id: 'bottom-right-corner',
    label: 'Bottom-right corner',
    help: 'light up and to the left, dark below and to the right',
    grid: [1, 1, 0, 1, 1, -2, 0, -2, 0],
  },
  {
    id: 'blur',
    label: 'Blur',
    help: 'a weighted mean of the window (weights sum to 1)',
    grid: [1, 2, 1, 2, 4, 2, 1, 2, 1].map((v) => v / 16),
  },
  {
    id: 'sharpen',
    label: 'Sharpen',
    help: 'the pixel minus its neighbours’ difference from it',
    grid: [0, -1, 0, -1, 5, -1, 0, -1, 0],
  },
  {
    id: 'identity',
    label: 'Identity',
    help: 'copies the pixel: the output is the input (the channels’ mean)',
    grid: [0, 0, 0, 0, 1, 0, 0, 0, 0],
  },
];

const PRESET_SIDE = 3;

/** A preset's grid for a side×side kernel (the 3×3 grid in the middle, zeros around); undefined when it does not fit. */
export function presetGrid(preset: KernelPreset, side: number): number[] | undefined {
  if (side < PRESET_SIDE || side % 2 === 0) return undefined;
  const margin = (side - PRESET_SIDE) / 2;
  const out = new Array<number>(side * side).fill(0);
  for (let y = 0; y < PRESET_SIDE; y++)
    for (let x = 0; x < PRESET_SIDE; x++)
      out[(y + margin) * side + x + margin] = preset.grid[y * PRESET_SIDE + x]!;
  return out;
}

/** The preset a grid is, if it is one. */
export function presetOf(grid: KernelGrid): KernelPreset | undefined {
  const side = Math.round(Math.sqrt(grid.length));
  return KERNEL_PRESETS.find((p) => {
    const own = presetGrid(p, side);
    return own !== undefined && own.every((v, i) => v === grid[i]);
  });
}

/** Why these grids do not fit a convolution with this kernel side and filter count; null when they do. */
export function handKernelsProblem(
  kernels: readonly KernelGrid[],
  side: number,
  filters: number,
): string | null {
  if (kernels.length > filters)
    return `It has ${kernels.length} hand-set kernels but only ${filters} filters: raise the filters to ${kernels.length} or clear the hand-set kernels.`;
  const wrong = kernels.findIndex((g) => g.length !== side * side);
  if (wrong >= 0) {
    const have = Math.round(Math.sqrt(kernels[wrong]!.length));
    return `Its hand-set kernels are ${have}×${have} but the kernel size is ${side}×${side}: set the kernel size to ${have} or clear the hand-set kernels.`;
  }
  return null;
}
