import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Progress } from '../../../train/lifecycle';

export interface ChartProps {
  readonly progress: Progress;
  readonly metric: 'loss' | 'accuracy';
}

/**
 * Live chart of one metric against training progress (in epochs): every batch for training, one
 * point per epoch for validation. Drawn with uPlot, which redraws thousands of points per frame.
 */
export function TrainingChart({ progress, metric }: ChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    const element = host.current;
    if (element === null) return;
    const style = getComputedStyle(document.documentElement);
    const text = style.getPropertyValue('--muted').trim() || '#888';
    const grid = style.getPropertyValue('--line').trim() || '#ddd';
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    plot.current = new uPlot(
      {
        width: element.clientWidth || 260,
        height: 120,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: false }, y: metric === 'accuracy' ? { range: [0, 1] } : {} },
        axes: [axis, { ...axis, size: 40 }],
        series: [
          { label: 'epoch' },
          { label: `train ${metric}`, stroke: '#4263eb', width: 1 },
          { label: `val ${metric}`, stroke: '#f76707', width: 2, points: { show: true, size: 6 } },
        ],
      },
      [[], [], []],
      element,
    );
    return () => {
      plot.current?.destroy();
      plot.current = null;
    };
  }, [metric]);

  useEffect(() => {
    const x: number[] = [];
    const train: (number | null)[] = [];
    const val: (number | null)[] = [];
    for (const b of progress.batches) {
      x.push(b.epoch - 1 + b.batch / b.batches);
      train.push(metric === 'loss' ? b.loss : b.accuracy);
      val.push(null);
    }
    for (const e of progress.epochReports) {
      const at = x.findIndex((v) => v >= e.epoch - 1e-9);
      const value = metric === 'loss' ? e.valLoss : e.valAccuracy;
      if (at >= 0) val[at] = value;
    }
    plot.current?.setData([x, train, val] as uPlot.AlignedData);
  }, [progress, metric]);

  return (
    <figure className="training-chart">
      <figcaption>
        {metric} · <span className="key-train">training</span> · <span className="key-val">validation</span>
      </figcaption>
      <div ref={host} data-testid={`chart-${metric}`} />
    </figure>
  );
}
