import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { themedAxis } from '../chart-axes';

export interface LineSeries {
  readonly label: string;
  readonly colour: string;
  readonly y: readonly (number | null)[];
  readonly points?: boolean;
}

export interface LineChartProps {
  readonly x: readonly number[];
  readonly series: readonly LineSeries[];
  readonly xLabel: string;
  readonly yLabel: string;
  readonly width: number;
  readonly height: number;
  readonly yRange?: readonly [number, number];
}

/** Lines over a shared x axis (uPlot), with a legend: 1-D slices and compared training curves. */
export function LineChart({ x, series, xLabel, yLabel, width, height, yRange }: LineChartProps) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = host.current;
    if (element === null) return;
    const axis = themedAxis();
    const plot = new uPlot(
      {
        width,
        height,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: false }, y: yRange ? { range: [yRange[0], yRange[1]] } : {} },
        axes: [
          { ...axis, label: xLabel },
          { ...axis, label: yLabel, size: 50 },
        ],
        series: [
          { label: xLabel },
          ...series.map((s) => ({
            label: s.label,
            stroke: s.colour,
            width: 2,
            spanGaps: true,
            points: { show: s.points ?? false, size: 6 },
          })),
        ],
      },
      [[...x], ...series.map((s) => [...s.y])] as uPlot.AlignedData,
      element,
    );
    return () => plot.destroy();
  }, [x, series, xLabel, yLabel, width, height, yRange]);
  return <div ref={host} className="line-chart" />;
}
