/**
 * Slice settings, declared as data like the training settings: the surface panel draws its fields
 * from them and the CLI parses its flags with them.
 */
import type { ParamValues } from '../../../nodes/params';
import { bool, defaultParams, float, int } from '../../../nodes/params';

export const sliceSettings = {
  grid: int(
    21,
    11,
    51,
    'Points per side of the grid; a line gets as many (from initial to trained: rounded up so both ends are on it). A plane costs the square.',
  ),
  range: float(
    1,
    0.05,
    10,
    0.05,
    'The grid spans −range … +range along each random direction; 1 is a step as long as each filter.',
  ),
  samples: int(
    256,
    16,
    5000,
    'Validation images each point is measured on: the first ones, the same for every point.',
  ),
  seed: int(
    1,
    1,
    1_000_000,
    'Draws the random directions: the same seed gives the same slice.',
    'direction seed',
  ),
  includeBiasBn: bool(
    false,
    'Also move biases and batch-norm scales and shifts. Off (as in Li et al. 2018) they stay as trained.',
    'move biases and batch norm',
  ),
};

export type SliceConfig = ParamValues<typeof sliceSettings>;
export type SliceSettingKey = keyof SliceConfig;

export const defaultSliceConfig: SliceConfig = defaultParams(sliceSettings);

/** The command-line flag of each slice setting. */
export const sliceSettingFlags: Readonly<Record<SliceSettingKey, string>> = {
  grid: 'grid',
  range: 'range',
  samples: 'samples',
  seed: 'direction-seed',
  includeBiasBn: 'include-bias-bn',
};

/** Grid sides the panel offers (the settings allow any from 11 to 51). */
export const GRID_CHOICES: readonly number[] = [11, 21, 31, 51];
