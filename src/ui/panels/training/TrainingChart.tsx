import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { themedAxis } from '../../chart-axes';
import type { Progress } from '../../../store/lifecycle';

export interface ChartProps {
  readonly progress: Progress;
  readonly metric: 'loss' | 'accuracy';
}

/**
 * Live chart of one metric against training progress (in epochs): every batch for training (or the
 * epoch means when the batches are not known), one point per epoch for validation. Drawn with uPlot, which redraws thousands of points per frame.
 */
export function TrainingChart({ progress, metric }: ChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    const element = host.current;
    if (element === null) return;
    const axis = themedAxis();
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
    const points: { x: number; train: number | null; val: number | null }[] = progress.batches.map((b) => ({
      x: b.epoch - 1 + b.batch / b.batches,
      train: metric === 'loss' ? b.loss : b.accuracy,
      val: null,
    }));
    // Validation sits on the epoch's last batch; without it (a restored run, a thinned history) the
    // epoch gets a point of its own, with the epoch's mean training figure.
    for (const e of progress.epochReports) {
      const val = metric === 'loss' ? e.valLoss : e.valAccuracy;
      const at = points.findIndex((p) => Math.abs(p.x - e.epoch) < 1e-9);
      if (at >= 0) points[at]!.val = val;
      else points.push({ x: e.epoch, train: metric === 'loss' ? e.loss : e.accuracy, val });
    }
    points.sort((a, b) => a.x - b.x);
    const x = points.map((p) => p.x);
    const train = points.map((p) => p.train);
    const val = points.map((p) => p.val);
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
