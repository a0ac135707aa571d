import { cssGradient } from '../../core/inspect/colormap';
import type { ColormapName, ValueRange } from '../../core/inspect/colormap';
import { formatValue } from './format';

/** The colour map as a bar, with the values at its ends. */
export function ColorLegend({
  range,
  colormap = 'viridis',
  label,
}: {
  range: ValueRange;
  colormap?: ColormapName;
  label?: string;
}) {
  return (
    <div className="color-legend" aria-label={label ?? 'Colour scale'}>
      <span>{formatValue(range.lo)}</span>
      <span className="legend-bar" style={{ background: cssGradient(colormap) }} />
      <span>{formatValue(range.hi)}</span>
    </div>
  );
}
