import { useState } from 'react';
import type { ReactNode } from 'react';
import { structureKey } from '../../store/training-slice';
import { etaSeconds } from '../../train/lifecycle';
import type { TrainConfig } from '../../train/config';
import { useAnalysis, useEditor, useEditorStore } from '../editor-context';
import { ResultsView } from './ResultsView';
import { TrainingChart } from './TrainingChart';

const percent = (x: number) => `${(100 * x).toFixed(1)}%`;

function Setting({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="train-setting">
      <span>{label}</span>
      {children}
    </label>
  );
}

interface NumberSettingProps {
  readonly label: string;
  readonly value: number;
  readonly min: number;
  readonly max: number;
  /** Omitted for whole numbers. */
  readonly step?: number;
  readonly disabled: boolean;
  onChange(value: number): void;
}

/** A number field that passes on only values within [min, max] (whole ones unless a step is given). */
function NumberSetting({ label, value, min, max, step, disabled, onChange }: NumberSettingProps) {
  return (
    <Setting label={label}>
      <input
        type="number"
        min={min}
        max={max}
        step={step ?? 1}
        value={value}
        disabled={disabled}
        onChange={(e) => {
          const n = step === undefined ? Math.round(Number(e.target.value)) : Number(e.target.value);
          if (Number.isFinite(n) && n >= min && n <= max) onChange(n);
        }}
      />
    </Setting>
  );
}

/** Train the graph on the built-in dataset: settings, controls, progress and per-epoch results. */
export function TrainingPanel() {
  const store = useEditorStore();
  const state = useEditor((s) => s.training);
  const config = useEditor((s) => s.trainConfig);
  const backend = useEditor((s) => s.backend);
  const results = useEditor((s) => s.results);
  const [more, setMore] = useState(2);
  // Only offered while the graph is still the one the model was trained from.
  const sameGraph = useEditor((s) => s.training.phase === 'done' && s.trainedKey === structureKey(s.doc));
  const valid = useAnalysis().valid;
  const busy = state.phase === 'compiling' || state.phase === 'training' || state.phase === 'paused';
  const set = (patch: Partial<TrainConfig>) => store.getState().setTrainConfig(patch);
  const progress = 'progress' in state ? state.progress : undefined;
  const total = progress ? progress.epochs * progress.batchesPerEpoch : 0;
  const eta = progress ? etaSeconds(progress, config.batchSize) : null;
  const last = progress?.batches.at(-1);

  return (
    <section className="training" aria-label="Training">
      <h2>Train on Shapes 32×32</h2>
      <div className="train-settings">
        <NumberSetting
          label="epochs"
          value={config.epochs}
          min={1}
          max={200}
          disabled={busy}
          onChange={(epochs) => set({ epochs })}
        />
        <NumberSetting
          label="batch"
          value={config.batchSize}
          min={1}
          max={1024}
          disabled={busy}
          onChange={(batchSize) => set({ batchSize })}
        />
        <NumberSetting
          label="learning rate"
          value={config.learningRate}
          min={0.00001}
          max={1}
          step={0.001}
          disabled={busy}
          onChange={(learningRate) => set({ learningRate })}
        />
        <Setting label="optimizer">
          <select
            value={config.optimizer}
            disabled={busy}
            onChange={(e) => set({ optimizer: e.target.value as TrainConfig['optimizer'] })}
          >
            <option value="adam">Adam</option>
            <option value="adamw">AdamW</option>
            <option value="sgd">SGD + momentum</option>
          </select>
        </Setting>
      </div>
      <div className="button-row">
        {!busy && (
          <button
            type="button"
            className="primary"
            disabled={!valid}
            onClick={() => store.getState().startTraining()}
            title={valid ? 'Train in the background' : 'Fix the graph first'}
          >
            Train
          </button>
        )}
        {state.phase === 'training' && (
          <button type="button" onClick={() => store.getState().pauseTraining()}>
            Pause
          </button>
        )}
        {state.phase === 'paused' && (
          <button type="button" onClick={() => store.getState().resumeTraining()}>
            Resume
          </button>
        )}
        {busy && (
          <button type="button" onClick={() => store.getState().stopTraining()}>
            Stop
          </button>
        )}
      </div>
      {state.phase === 'done' && sameGraph && (
        <div className="button-row more-row">
          <button type="button" onClick={() => store.getState().trainMore(more)}>
            Train {more} more epoch{more === 1 ? '' : 's'}
          </button>
          <input
            type="number"
            min={1}
            max={100}
            value={more}
            aria-label="More epochs"
            onChange={(e) => setMore(Math.max(1, Math.round(Number(e.target.value)) || 1))}
          />
        </div>
      )}
      <p className="train-status" data-testid="train-status">
        {state.phase === 'idle' && (valid ? 'Ready to train.' : 'Fix the graph to train it.')}
        {state.phase === 'compiling' && 'Preparing the data and the model…'}
        {state.phase === 'training' && 'Training…'}
        {state.phase === 'paused' && 'Paused.'}
        {state.phase === 'done' && (state.stopped ? 'Stopped.' : 'Done.')}
        {state.phase === 'error' && <span className="is-bad">{state.message}</span>}
      </p>
      {progress && total > 0 && (
        <>
          <progress max={total} value={progress.done} aria-label="Training progress" role="progressbar" />
          <p className="train-numbers">
            {last && (
              <>
                epoch {last.epoch}/{progress.epochs} · loss {last.loss.toFixed(3)} ·{' '}
                {progress.imagesPerSecond.toFixed(0)} img/s
                {eta !== null && busy && ` · ${Math.ceil(eta)} s left`}
              </>
            )}
          </p>
          <TrainingChart progress={progress} metric="loss" />
          <TrainingChart progress={progress} metric="accuracy" />
          {progress.epochReports.length > 0 && (
            <table className="epoch-table" data-testid="epochs">
              <thead>
                <tr>
                  <th>epoch</th>
                  <th className="num">loss</th>
                  <th className="num">acc</th>
                  <th className="num">val loss</th>
                  <th className="num">val acc</th>
                </tr>
              </thead>
              <tbody>
                {progress.epochReports.map((e) => (
                  <tr key={e.epoch}>
                    <td>{e.epoch}</td>
                    <td className="num">{e.loss.toFixed(3)}</td>
                    <td className="num">{percent(e.accuracy)}</td>
                    <td className="num">{e.valLoss.toFixed(3)}</td>
                    <td className="num">{percent(e.valAccuracy)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      {results && !busy && <ResultsView results={results} />}
      <p className="train-backend" data-testid="backend">
        {backend ? `Backend: ${backend.name} — ${backend.reason}` : 'Starting the compute backend…'}
      </p>
    </section>
  );
}
