import { useState } from 'react';
import { DATASET_IMAGE_SIZE, weightsMatch } from '../../../store/training-slice';
import { datasetSettings, mainTrainSettings, trainSettings } from '../../../core/training/settings';
import type { DatasetConfig, TrainConfig, TrainSettingKey } from '../../../core/training/settings';
import { etaSeconds, isBusy } from '../../../store/lifecycle';
import { useAnalysis, useEditor, useEditorStore } from '../../editor-context';
import { BackendStatus } from './BackendStatus';
import { EpochTable } from './EpochTable';
import { ResultsView } from './ResultsView';
import { SettingField } from './Settings';
import { TrainingChart } from './TrainingChart';
import { WeightsActions } from './WeightsActions';

/** The settings under "More settings": the rest, with momentum only where it applies (SGD). */
const moreTrainSettings = (config: TrainConfig): TrainSettingKey[] =>
  (Object.keys(trainSettings) as TrainSettingKey[]).filter(
    (key) => !mainTrainSettings.includes(key) && (key !== 'momentum' || config.optimizer === 'sgd'),
  );

/** Train the graph on the built-in dataset: settings, controls, progress and per-epoch results. */
export function TrainingPanel() {
  const store = useEditorStore();
  const state = useEditor((s) => s.training);
  const config = useEditor((s) => s.trainConfig);
  const dataset = useEditor((s) => s.datasetConfig);
  const results = useEditor((s) => s.results);
  const [more, setMore] = useState(2);
  // Only offered while the graph is still the one the model was trained from.
  const sameGraph = useEditor((s) => s.training.phase === 'done' && weightsMatch(s));
  const valid = useAnalysis().valid;
  const busy = isBusy(state);
  const set = (patch: Partial<TrainConfig>) => store.getState().setTrainConfig(patch);
  const setData = (patch: Partial<DatasetConfig>) => store.getState().setDatasetConfig(patch);
  const progress = 'progress' in state ? state.progress : undefined;
  const total = progress ? progress.epochs * progress.batchesPerEpoch : 0;
  const eta = progress ? etaSeconds(progress, config.batchSize) : null;
  const last = progress?.batches.at(-1);

  return (
    <section className="training" aria-label="Training">
      <h2>
        Train on Shapes {DATASET_IMAGE_SIZE}×{DATASET_IMAGE_SIZE}
      </h2>
      <div className="train-settings">
        {mainTrainSettings.map((key) => (
          <SettingField
            key={key}
            spec={trainSettings[key]}
            fallbackLabel={key}
            value={config[key]}
            disabled={busy}
            onChange={(value) => set({ [key]: value })}
          />
        ))}
      </div>
      <details className="train-more-settings">
        <summary>More settings</summary>
        <div className="train-settings">
          {moreTrainSettings(config).map((key) => (
            <SettingField
              key={key}
              spec={trainSettings[key]}
              fallbackLabel={key}
              value={config[key]}
              disabled={busy}
              onChange={(value) => set({ [key]: value })}
            />
          ))}
          {(Object.keys(datasetSettings) as (keyof DatasetConfig)[]).map((key) => (
            <SettingField
              key={key}
              spec={datasetSettings[key]}
              fallbackLabel={key}
              value={dataset[key]}
              disabled={busy}
              onChange={(value) => setData({ [key]: value })}
            />
          ))}
        </div>
      </details>
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
          {progress.epochReports.length > 0 && <EpochTable reports={progress.epochReports} />}
        </>
      )}
      {results && !busy && <ResultsView results={results} />}
      <WeightsActions busy={busy} />
      <BackendStatus busy={busy} />
    </section>
  );
}
