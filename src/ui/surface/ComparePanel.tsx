import { useEffect, useMemo, useState } from 'react';
import { SIDE_COLOURS, sharedScale, smoothed } from '../../core/surface/figure';
import { describeInput, inputSizeOf } from '../../core/training/data';
import type { Comparison, Side } from '../../store/comparison';
import { comparisonProgress, comparisonSecondsLeft } from '../../store/comparison';
import { pairGraphs } from '../../store/surface-slice';
import { comparisonPresets, findPreset } from '../../../templates/pairs';
import { useEditor, useEditorStore } from '../editor-context';
import { curvesPng, downloadBlob, surfacesPng } from './export';
import { LineChart } from './LineChart';
import { Progress } from './Progress';
import { SliceView } from './SliceView';

const css = (k: number) => `rgb(${SIDE_COLOURS[k]!.join(',')})`;

function sideStatus(s: Side, epochs: number): string {
  const last = s.batches.at(-1);
  switch (s.phase) {
    case 'waiting':
      return 'waiting';
    case 'training':
      return last ? `training, epoch ${last.epoch} of ${epochs}` : 'training';
    case 'slicing':
      return s.surface
        ? `slicing, ${s.surface.done} of ${s.surface.xs.length * s.surface.ys.length} points`
        : 'slicing';
    case 'done':
      return 'done';
    case 'failed':
      return `failed: ${s.message ?? ''}`;
  }
}

/** Ticks every second while a comparison runs, for its clock. */
function useNow(running: boolean): number {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (!running) return;
    const id = setInterval(() => setNow(performance.now()), 1000);
    return () => clearInterval(id);
  }, [running]);
  return now;
}

function Results({ c }: { c: Exclude<Comparison, { phase: 'idle' }> }) {
  const [a, b] = c.sides;
  const curves = useMemo(() => {
    const longest = a.batches.length >= b.batches.length ? a : b;
    const x = longest.batches.map((r) => r.epoch - 1 + r.batch / r.batches);
    const y = (s: Side) => {
      const ys = smoothed(s.batches.map((r) => r.loss));
      return x.map((_, i) => ys[i] ?? null);
    };
    return { x, series: [a, b].map((s, k) => ({ label: s.graph.name, colour: css(k), y: y(s) })) };
  }, [a, b]);
  const surfaces = [a, b].flatMap((s) => (s.surface ? [{ label: s.graph.name, surface: s.surface }] : []));
  const scale = useMemo(() => sharedScale(surfaces.map((s) => s.surface)), [surfaces]);
  const finals = [a, b].map((s) => s.epochs.at(-1));
  const verdict =
    c.phase === 'done' && finals[0] && finals[1]
      ? finals[0].loss > finals[1].loss
        ? `${a.graph.name} ends with the higher training loss (${finals[0].loss.toFixed(3)} against ${finals[1].loss.toFixed(3)}).`
        : `${b.graph.name} ends with the higher training loss (${finals[1].loss.toFixed(3)} against ${finals[0].loss.toFixed(3)}).`
      : null;
  return (
    <div className="compare-results">
      {curves.x.length > 0 && (
        <div className="compare-curves">
          <LineChart
            x={curves.x}
            series={curves.series}
            xLabel="epoch"
            yLabel="training loss"
            width={440}
            height={220}
          />
          <table className="compare-table">
            <thead>
              <tr>
                <th>network</th>
                <th>train loss</th>
                <th>train acc.</th>
                <th>val. loss</th>
                <th>val. acc.</th>
              </tr>
            </thead>
            <tbody>
              {[a, b].map((s, k) => {
                const e = s.epochs.at(-1);
                return (
                  <tr key={k}>
                    <td>
                      <span className="swatch" style={{ background: css(k) }} />
                      {s.graph.name}
                    </td>
                    <td>{e ? e.loss.toFixed(3) : '–'}</td>
                    <td>{e ? `${(e.accuracy * 100).toFixed(0)}%` : '–'}</td>
                    <td>{e ? e.valLoss.toFixed(3) : '–'}</td>
                    <td>{e ? `${(e.valAccuracy * 100).toFixed(0)}%` : '–'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {verdict && <p className="compare-verdict">{verdict}</p>}
        </div>
      )}
      {surfaces.length > 0 && scale && (
        <>
          <p className="surface-note">
            Same direction seed ({c.plan.slice.seed}), grid ({c.plan.slice.grid} × {c.plan.slice.grid}, range
            ±{c.plan.slice.range}) and colour scale for both.
          </p>
          <SliceView surfaces={surfaces} scale={scale} size={300} />
        </>
      )}
      {c.phase === 'done' && (
        <div className="surface-footer">
          <span>For slides:</span>
          <button
            type="button"
            onClick={() =>
              void curvesPng(
                [a, b].map((s, k) => ({ label: s.graph.name, colour: css(k), batches: s.batches })),
                `Training loss: ${a.graph.name} and ${b.graph.name}`,
              ).then((blob) => downloadBlob('comparison-curves.png', blob))
            }
          >
            Curves PNG
          </button>
          {scale && surfaces.length === 2 && (
            <button
              type="button"
              onClick={() =>
                void surfacesPng(surfaces, 'loss', scale, true).then((blob) =>
                  downloadBlob('comparison-surfaces.png', blob),
                )
              }
            >
              Surfaces PNG
            </button>
          )}
        </div>
      )}
    </div>
  );
}

/** Two networks trained alike and sliced alike: a plain stack and its residual twin by default. */
export function ComparePanel() {
  const store = useEditorStore();
  const choice = useEditor((s) => s.comparePair);
  const comparison = useEditor((s) => s.comparison);
  const doc = useEditor((s) => s.doc);
  const trainConfig = useEditor((s) => s.trainConfig);
  const datasetConfig = useEditor((s) => s.datasetConfig);
  const sliceConfig = useEditor((s) => s.sliceConfig);
  const running = comparison.phase === 'running';
  const now = useNow(running);
  const preset = findPreset(choice);
  const graphs = useMemo(() => pairGraphs(choice, doc), [choice, doc]);
  const epochs = preset?.train.epochs ?? trainConfig.epochs;
  const data = preset?.data ?? datasetConfig;
  const grid = preset?.slice.grid ?? sliceConfig.grid;
  const size = typeof graphs === 'string' ? undefined : inputSizeOf(graphs[0]);
  const fraction = comparisonProgress(comparison);
  const active = comparison.phase === 'idle' ? undefined : comparison;
  const cores = typeof navigator === 'undefined' ? 1 : navigator.hardwareConcurrency;

  return (
    <div className="surface-body">
      <aside className="surface-settings" aria-label="Comparison settings">
        <label className="train-setting">
          <span>compare</span>
          <select
            value={choice}
            disabled={running}
            onChange={(e) => store.getState().setComparePair(e.target.value)}
          >
            {comparisonPresets.map((p) => (
              <option key={p.name} value={p.name}>
                {p.title}
              </option>
            ))}
            <option value="residual-twin">This graph and its residual twin</option>
            <option value="plain-twin">This graph and its plain twin</option>
          </select>
        </label>
        {preset ? (
          <p className="surface-note">{preset.blurb}</p>
        ) : (
          <p className="surface-note">
            {choice === 'residual-twin'
              ? 'The graph on the canvas, and the same graph with a skip connection around every pair of conv layers after the first.'
              : 'The graph on the canvas without its skip connections, and as it is.'}{' '}
            Trained with the settings of the Train panel.
          </p>
        )}
        {typeof graphs === 'string' ? (
          <p className="surface-error">{graphs}</p>
        ) : (
          <dl className="compare-plan">
            <dt>networks</dt>
            <dd>
              <span className="swatch" style={{ background: css(0) }} />
              {graphs[0].name}
              <br />
              <span className="swatch" style={{ background: css(1) }} />
              {graphs[1].name}
            </dd>
            <dt>data</dt>
            <dd>
              {data.trainCount.toLocaleString('en-US')} shapes at {size ? describeInput(size) : '?'},{' '}
              {data.validationCount} to validate
            </dd>
            <dt>training</dt>
            <dd>
              {epochs} epoch{epochs === 1 ? '' : 's'} each, same seed and settings
            </dd>
            <dt>slices</dt>
            <dd>
              {grid} × {grid}, same directions seed
            </dd>
            <dt>runs</dt>
            <dd>{cores >= 4 ? 'both at once (two workers)' : 'one after the other'}</dd>
          </dl>
        )}
        <div className="surface-actions">
          {running ? (
            <button type="button" className="danger" onClick={() => store.getState().cancelComparison()}>
              Cancel
            </button>
          ) : (
            <button
              type="button"
              className="primary"
              disabled={typeof graphs === 'string'}
              onClick={() => store.getState().startComparison()}
            >
              Train and compare
            </button>
          )}
        </div>
      </aside>
      <section className="surface-result" aria-label="Comparison">
        {active && (
          <Progress
            running={running}
            fraction={fraction}
            seconds={((active.ended ?? now) - active.started) / 1000}
            secondsLeft={comparisonSecondsLeft(active, now)}
            label={comparison.phase === 'cancelled' ? 'Cancelled' : running ? 'Comparing' : 'Done'}
            detail={active.sides
              .map((s) => `${s.graph.name} ${sideStatus(s, active.plan.config.epochs)}`)
              .join('; ')}
          />
        )}
        {active && <Results c={active} />}
        {!active && (
          <div className="surface-empty">
            <p>
              He et al. (2016) found that a deep stack of plain conv layers trains worse than a shallower one,
              and that skip connections cure it. Li et al. (2018) showed why: without skips the loss surface
              turns chaotic. Train a plain network and its residual twin alike and see both.
            </p>
          </div>
        )}
      </section>
    </div>
  );
}
