import { useMemo } from 'react';
import { GRID_CHOICES, sliceSettings } from '../../core/surface/settings';
import { logScaleOf } from '../../core/surface/scale';
import { isPlane } from '../../core/surface/types';
import type { SliceKind } from '../../core/surface/types';
import { modelKey } from '../../core/structure';
import { isBusy } from '../../store/lifecycle';
import { weightsMatch } from '../../store/training-slice';
import { safeName } from '../download';
import { useEditor, useEditorStore } from '../editor-context';
import { SettingField } from '../panels/training/Settings';
import { downloadBlob, surfacesPng } from './export';
import { Progress } from './Progress';
import { SliceView } from './SliceView';

const KINDS: readonly (readonly [SliceKind, string, string])[] = [
  ['random', 'Random plane', 'Two random directions, each filter scaled to its weights (Li et al. 2018).'],
  [
    'path',
    'Training path',
    'The plane of the two main directions the weights moved in, with the path drawn on it.',
  ],
  [
    'line',
    'Initial → trained',
    'The straight line from the initial weights (α = 0) to the trained ones (α = 1).',
  ],
  ['random-line', 'Random line', 'One random filter-normalised direction through the trained weights.'],
];

/** Slices of the trained network on the canvas. */
export function SlicePanel() {
  const store = useEditorStore();
  const config = useEditor((s) => s.sliceConfig);
  const slice = useEditor((s) => s.slice);
  const doc = useEditor((s) => s.doc);
  const trained = useEditor((s) => weightsMatch(s) && !isBusy(s.training));
  const training = useEditor((s) => isBusy(s.training));
  const set = store.getState().setSliceConfig;
  const running = slice.phase === 'running';
  const key = modelKey(doc);
  const shown =
    (slice.phase === 'running' || slice.phase === 'done' || slice.phase === 'cancelled') && slice.key === key
      ? slice
      : undefined;
  const surface = shown?.surface;
  const scale = useMemo(() => (surface ? logScaleOf([surface.loss]) : undefined), [surface]);
  const random = config.kind === 'random' || config.kind === 'random-line';
  const total = isPlane(config.kind)
    ? config.grid * config.grid
    : config.kind === 'line'
      ? config.grid + ((4 - ((config.grid - 1) % 4)) % 4)
      : config.grid;

  return (
    <div className="surface-body">
      <aside className="surface-settings" aria-label="Slice settings">
        <fieldset className="slice-kinds" disabled={running}>
          <legend>Slice</legend>
          {KINDS.map(([kind, label, help]) => (
            <label key={kind} className="slice-kind" title={help}>
              <input
                type="radio"
                name="slice-kind"
                checked={config.kind === kind}
                onChange={() => set({ kind })}
              />
              <span>
                <strong>{label}</strong>
                <small>{help}</small>
              </span>
            </label>
          ))}
        </fieldset>
        <label className="train-setting" title={sliceSettings.grid.help}>
          <span>grid</span>
          <select
            value={config.grid}
            disabled={running}
            onChange={(e) => set({ grid: Number(e.target.value) })}
          >
            {GRID_CHOICES.map((g) => (
              <option key={g} value={g}>
                {isPlane(config.kind) ? `${g} × ${g}` : `${g} points`}
              </option>
            ))}
          </select>
        </label>
        {random && (
          <SettingField
            spec={sliceSettings.range}
            fallbackLabel="range"
            value={config.range}
            disabled={running}
            onChange={(v) => set({ range: Number(v) })}
          />
        )}
        <SettingField
          spec={sliceSettings.samples}
          fallbackLabel="images"
          value={config.samples}
          disabled={running}
          onChange={(v) => set({ samples: Number(v) })}
        />
        {random && (
          <div className="seed-row">
            <SettingField
              spec={sliceSettings.seed}
              fallbackLabel="seed"
              value={config.seed}
              disabled={running}
              onChange={(v) => set({ seed: Number(v) })}
            />
            <button
              type="button"
              disabled={running}
              title="Draw new directions"
              onClick={() => set({ seed: 1 + Math.floor(Math.random() * 999_999) })}
            >
              New
            </button>
          </div>
        )}
        {config.kind !== 'line' && (
          <label className="check-setting" title={sliceSettings.includeBiasBn.help}>
            <input
              type="checkbox"
              checked={config.includeBiasBn}
              disabled={running}
              onChange={(e) => set({ includeBiasBn: e.target.checked })}
            />
            move biases and batch norm too
          </label>
        )}
        <div className="surface-actions">
          {running ? (
            <button type="button" className="danger" onClick={() => store.getState().cancelSlice()}>
              Cancel
            </button>
          ) : (
            <button
              type="button"
              className="primary"
              disabled={!trained}
              onClick={() => store.getState().computeSlice()}
            >
              Compute {total.toLocaleString('en-US')} points
            </button>
          )}
        </div>
        {!trained && !running && (
          <p className="surface-note">
            {training
              ? 'The network is training: slice it when it has finished.'
              : 'Train the network first (the Train panel on the right): a slice needs trained weights.'}
          </p>
        )}
        <p className="surface-note">
          Batch norm runs in inference mode with its trained statistics; each point is measured on the first{' '}
          {config.samples} validation images. The weights are exactly as before afterwards.
        </p>
      </aside>
      <section className="surface-result" aria-label="Slice">
        {shown && (
          <Progress
            running={running}
            done={surface?.done ?? 0}
            total={surface ? surface.xs.length * surface.ys.length : total}
            secondsLeft={surface?.secondsLeft ?? null}
            label={running ? 'Computing' : slice.phase === 'cancelled' ? 'Cancelled' : 'Done'}
            seconds={surface?.seconds ?? 0}
          />
        )}
        {slice.phase === 'error' && <p className="surface-error">{slice.message}</p>}
        {surface && scale && (
          <>
            <SliceView surfaces={[{ label: doc.name, surface }]} scale={scale} size={440} />
            <div className="surface-footer">
              <span>
                {surface.kind === 'path' && surface.path
                  ? `Path: ${surface.path.x.length} snapshots, from the white-ringed start to the black-ringed end (the trained weights).`
                  : surface.kind === 'line'
                    ? 'α = 0: the initial weights drawn from the training seed; α = 1: the trained weights.'
                    : `Direction seed ${surface.seed}; ${surface.includeBiasBn ? 'biases and batch norm move too' : 'biases and batch norm fixed'}.`}{' '}
                {surface.samples} images per point.
              </span>
              {isPlane(surface.kind) && (
                <button
                  type="button"
                  onClick={() =>
                    void surfacesPng([{ label: doc.name, surface }], 'loss', scale, true).then((b) =>
                      downloadBlob(`${safeName(doc.name)}-surface.png`, b),
                    )
                  }
                >
                  Download PNG
                </button>
              )}
            </div>
          </>
        )}
        {!shown && slice.phase !== 'error' && (
          <div className="surface-empty">
            <p>
              A slice shows the loss around the trained weights: how it changes as every weight moves a little
              along one or two directions at once. Smooth, bowl-like slices go with networks that train
              easily; chaotic ones with networks that do not (Li et al. 2018).
            </p>
          </div>
        )}
      </section>
    </div>
  );
}
