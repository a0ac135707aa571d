import { useState } from 'react';
import { useMemo } from 'react';
import { runAdvice } from '../../../core/training/advice';
import { SHAPES_CLASSES, blockingProblems, describeInput, inputSizeOf } from '../../../core/training/data';
import type { DataProblem } from '../../../core/training/data';
import { chosenDataset, currentDataProblems } from '../../../store/data-slice';
import { DataChooser } from '../../data/DataChooser';
import { useShallow } from 'zustand/react/shallow';
import { shownRun, weightsMatch } from '../../../store/training-slice';
import { datasetSettings, mainTrainSettings, trainSettings } from '../../../core/training/settings';
import type { DatasetConfig, TrainConfig, TrainSettingKey } from '../../../core/training/settings';
import { etaSeconds, isBusy } from '../../../store/lifecycle';
import { useAnalysis, useEditor, useEditorStore } from '../../editor-context';
import { BackendStatus } from './BackendStatus';
import './training.css';
import { DataFit } from './DataFit';
import { DataPreviewView } from './DataPreviewView';
import { EpochTable } from './EpochTable';
import { ResultsView } from './ResultsView';
import { SettingFields } from './Settings';
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
  // Only this graph's run: another graph's results are never shown for it.
  const { training: state, results } = useEditor(useShallow(shownRun));
  const config = useEditor((s) => s.trainConfig);
  const dataset = useEditor((s) => s.datasetConfig);
  const [more, setMore] = useState(2);
  // Only offered while the graph is still the one the model was trained from.
  const sameGraph = useEditor((s) => s.training.phase === 'done' && weightsMatch(s));
  const valid = useAnalysis().valid;
  // Selected as text, so moving nodes does not re-render the panel.
  const size = useEditor((s) => {
    const input = inputSizeOf(s.doc);
    return input && describeInput(input);
  });
  // Data follows the graph: what stops the chosen data from fitting it as it is.
  const problemsText = useEditor((s) => JSON.stringify(currentDataProblems(s)));
  const problems = useMemo(() => JSON.parse(problemsText) as DataProblem[], [problemsText]);
  const dataName = useEditor((s) =>
    s.dataChoice === 'shapes' ? 'Shapes' : (chosenDataset(s)?.name ?? 'data'),
  );
  const shapes = useEditor((s) => s.dataChoice === 'shapes');
  const ready = valid && blockingProblems(problems).length === 0;
  const busy = isBusy(state);
  const set = (patch: Partial<TrainConfig>) => store.getState().setTrainConfig(patch);
  const setData = (patch: Partial<DatasetConfig>) => store.getState().setDatasetConfig(patch);
  const progress = 'progress' in state ? state.progress : undefined;
  const total = progress ? progress.epochs * progress.batchesPerEpoch : 0;
  const eta = progress ? etaSeconds(progress, config.batchSize) : null;
  const last = progress?.batches.at(-1);
  const advice =
    state.phase === 'done' && progress
      ? runAdvice(progress.epochReports, results?.classes.length ?? SHAPES_CLASSES, state.config)
      : null;

  return (
    <section className="training" aria-label="Training">
      <h2>
        Train on {dataName}
        {size && ` ${size}`}
      </h2>
      <DataChooser busy={busy} />
      <div className="train-settings">
        <SettingFields
          specs={trainSettings}
          keys={mainTrainSettings}
          values={config}
          disabled={busy}
          onChange={set}
        />
      </div>
      <details className="train-more-settings">
        <summary>More settings</summary>
        <div className="train-settings">
          <SettingFields
            specs={trainSettings}
            keys={moreTrainSettings(config)}
            values={config}
            disabled={busy}
            onChange={set}
          />
          <SettingFields
            specs={datasetSettings}
            keys={shapes ? (Object.keys(datasetSettings) as (keyof DatasetConfig)[]) : []}
            values={dataset}
            disabled={busy}
            onChange={setData}
          />
        </div>
      </details>
      {!busy && valid && <DataFit problems={problems} />}
      {ready && <DataPreviewView />}
      <div className="button-row">
        {!busy && (
          <button
            type="button"
            className="primary"
            disabled={!ready}
            onClick={() => store.getState().startTraining()}
            title={
              ready ? 'Train in the background' : valid ? 'Make the data fit first' : 'Fix the graph first'
            }
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
        {state.phase === 'idle' &&
          (ready
            ? 'Not trained yet: ready to train.'
            : valid
              ? 'Not trained yet: the data does not fit the graph.'
              : 'Not trained yet: fix the graph to train it.')}
        {state.phase === 'compiling' && 'Preparing the data and the model…'}
        {state.phase === 'training' && 'Training…'}
        {state.phase === 'paused' && 'Paused.'}
        {state.phase === 'done' &&
          (state.stopped ? (
            'Stopped.'
          ) : advice === null ? (
            'Done.'
          ) : (
            <span className="is-warn">{advice}</span>
          ))}
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
