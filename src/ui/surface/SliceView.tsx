import { Suspense, lazy, useState } from 'react';
import type { LogScale } from '../../core/surface/scale';
import { isPlane } from '../../core/surface/types';
import type { Surface } from '../../core/surface/types';
import { LineChart } from './LineChart';
import type { Metric, View } from './paint';
import { SurfacePlot } from './SurfacePlot';

// three.js is needed only for the 3-D view: it loads the first time that view opens.
const Surface3D = lazy(() => import('./Surface3D'));

export interface SliceViewProps {
  readonly surfaces: readonly { readonly label: string; readonly surface: Surface }[];
  readonly scale: LogScale;
  readonly size: number;
}

function Toggle<T extends string>({
  value,
  options,
  onChange,
  label,
}: {
  value: T;
  options: readonly (readonly [T, string])[];
  onChange(v: T): void;
  label: string;
}) {
  return (
    <div className="segmented" role="group" aria-label={label}>
      {options.map(([v, text]) => (
        <button key={v} type="button" aria-pressed={value === v} onClick={() => onChange(v)}>
          {text}
        </button>
      ))}
    </div>
  );
}

/** One or more slices drawn alike: contours, heatmap or 3-D for planes; curves for lines. */
export function SliceView({ surfaces, scale, size }: SliceViewProps) {
  const [view, setView] = useState<View>('contours');
  const [metric, setMetric] = useState<Metric>('loss');
  const plane = surfaces.every((s) => isPlane(s.surface.kind));
  return (
    <div className="slice-view">
      <div className="slice-view-controls">
        {plane && (
          <Toggle<View>
            label="View"
            value={view}
            onChange={setView}
            options={[
              ['contours', 'Contours'],
              ['heatmap', 'Heatmap'],
              ['3d', '3-D'],
            ]}
          />
        )}
        <Toggle<Metric>
          label="Metric"
          value={metric}
          onChange={setMetric}
          options={[
            ['loss', 'Loss'],
            ['accuracy', 'Accuracy'],
          ]}
        />
      </div>
      <div className="slice-view-plots">
        {surfaces.map(({ label, surface }) =>
          !plane ? (
            <figure key={label} className="surface-plot">
              <LineChart
                x={surface.xs}
                series={[
                  {
                    label: metric === 'loss' ? 'loss' : 'accuracy',
                    colour: '#3b5bdb',
                    y: Array.from(metric === 'loss' ? surface.loss : surface.accuracy, (v) =>
                      Number.isNaN(v) ? null : v,
                    ),
                    points: true,
                  },
                ]}
                xLabel={surface.axes[0]}
                yLabel={metric}
                width={size + 60}
                height={Math.round(size * 0.7)}
                {...(metric === 'accuracy' && { yRange: [0, 1] as const })}
              />
              <figcaption>{label}</figcaption>
            </figure>
          ) : view === '3d' ? (
            <Suspense
              key={label}
              fallback={<div className="surface-loading" style={{ width: size, height: size }} />}
            >
              <Surface3D surface={surface} metric={metric} scale={scale} size={size} label={label} />
            </Suspense>
          ) : (
            <SurfacePlot
              key={label}
              surface={surface}
              metric={metric}
              scale={scale}
              contours={view === 'contours'}
              size={size}
              label={label}
            />
          ),
        )}
      </div>
    </div>
  );
}
