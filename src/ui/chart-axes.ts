import type uPlot from 'uplot';

/** uPlot axes in the theme's muted text and line colours (read when a chart is made). */
export function themedAxis(): uPlot.Axis {
  const style = getComputedStyle(document.documentElement);
  const text = style.getPropertyValue('--muted').trim() || '#888';
  const grid = style.getPropertyValue('--line').trim() || '#ddd';
  return { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
}
