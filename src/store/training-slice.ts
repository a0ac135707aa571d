import type { GraphDocument } from '../core/document';
import { modelKey } from '../core/structure';
import type { BackendChoice } from '../core/training/backends';
import type { ValidationResults } from '../core/training/reports';
import { defaultDatasetConfig, defaultTrainConfig } from '../core/training/settings';
import type { Artifacts } from '../model-files/types';
import type { TrainingPort } from '../worker/client';
import type { DatasetRequest } from '../core/training/data';
import { dataIdentity } from '../core/training/stored-data';
import { idle, isBusy, reduce } from './lifecycle';
import type { TrainingState } from './lifecycle';
import type { DataSlice, GetState, SetState, TrainingSlice } from './types';

type RequestParts = Pick<TrainingSlice, 'trainConfig' | 'datasetConfig'> &
  Partial<Pick<DataSlice, 'dataChoice' | 'storedConfig'>>;

/** The data the current settings ask for (drawn or fitted at the graph's input size). */
export const datasetRequest = (s: RequestParts): DatasetRequest =>
  s.dataChoice === undefined || s.dataChoice === 'shapes' || s.storedConfig === undefined
    ? { kind: 'shapes', seed: s.trainConfig.seed, ...s.datasetConfig }
    : { kind: 'stored', id: s.dataChoice, seed: s.trainConfig.seed, ...s.storedConfig };

/**
 * The run to show for the graph on the canvas: the one under way, or the one whose weights belong to
 * exactly this graph; otherwise nothing ("not trained yet"), never another graph's results.
 */
export function shownRun(
  s: Pick<TrainingSlice, 'training' | 'results' | 'trainedKey' | 'trainedData'> &
    RequestParts & { doc: GraphDocument },
): { training: TrainingState; results: ValidationResults | null } {
  if (isBusy(s.training) || weightsMatch(s)) return { training: s.training, results: s.results };
  return { training: idle, results: null };
}

/** Whether the worker holds weights for exactly the graph now on the canvas, trained on the data chosen now. */
export function weightsMatch(
  s: { trainedKey: string | null; trainedData?: string | null; doc: GraphDocument } & RequestParts,
): boolean {
  return (
    s.trainedKey !== null &&
    s.trainedKey === modelKey(s.doc) &&
    (s.trainedData === undefined || s.trainedData === dataIdentity(datasetRequest(s)))
  );
}

export function createTrainingSlice(
  set: SetState,
  get: GetState,
  port: TrainingPort | undefined,
  backendChoice: BackendChoice = 'auto',
): TrainingSlice {
  const dispatch = (event: Parameters<typeof reduce>[1]) => set({ training: reduce(get().training, event) });
  // Download requests waiting for the worker's answer (not state: nothing renders them).
  const exportWaiters: ((artifacts: Artifacts | null) => void)[] = [];
  const answerExports = (artifacts: Artifacts | null) => {
    for (const resolve of exportWaiters.splice(0)) resolve(artifacts);
  };
  const dataset = () => datasetRequest(get());
  return {
    training: idle,
    trainConfig: defaultTrainConfig,
    datasetConfig: defaultDatasetConfig,
    backendChoice,
    backend: null,
    cpuCheck: null,
    results: null,
    trainedKey: null,
    trainedData: null,
    weightsSource: null,
    setTrainConfig: (patch) => set({ trainConfig: { ...get().trainConfig, ...patch } }),
    setDatasetConfig: (patch) => set({ datasetConfig: { ...get().datasetConfig, ...patch } }),
    chooseBackend(choice) {
      if (port?.restart === undefined || isBusy(get().training)) return;
      set({
        backendChoice: choice,
        backend: null,
        cpuCheck: null,
        trainedKey: null,
        trainedData: null,
        results: null,
      });
      dispatch({ type: 'reset' });
      port.restart(choice);
    },
    startTraining() {
      const { training, trainConfig, doc } = get();
      if (port === undefined || isBusy(training)) return;
      const request = dataset();
      set({
        results: null,
        cpuCheck: null,
        weightsSource: null,
        trainedKey: modelKey(doc),
        trainedData: dataIdentity(request),
      });
      dispatch({ type: 'start', config: trainConfig });
      port.send({ type: 'train', graph: doc, config: trainConfig, dataset: request, augment: get().augment });
    },
    trainMore(epochs) {
      const { training, trainConfig } = get();
      if (port === undefined || training.phase !== 'done' || !weightsMatch(get())) return;
      set({ results: null });
      dispatch({ type: 'more', epochs });
      port.send({
        type: 'continue',
        config: { ...trainConfig, epochs },
        dataset: dataset(),
        augment: get().augment,
      });
    },
    pauseTraining() {
      if (get().training.phase !== 'training') return;
      port?.send({ type: 'pause' });
      dispatch({ type: 'pause' });
    },
    resumeTraining() {
      if (get().training.phase !== 'paused') return;
      port?.send({ type: 'resume' });
      dispatch({ type: 'resume' });
    },
    stopTraining() {
      port?.send({ type: 'stop' });
    },
    requestRestore() {
      const { training, doc } = get();
      if (port === undefined || isBusy(training) || weightsMatch(get())) return;
      port.send({ type: 'restore', graph: doc, dataset: dataset() });
    },
    loadWeights(weights, source) {
      if (port === undefined || isBusy(get().training)) return;
      port.send({
        type: 'load',
        graph: get().doc,
        dataset: dataset(),
        weights,
        source,
        config: get().trainConfig,
      });
    },
    preview: null,
    requestPreview() {
      if (port === undefined) return;
      set({ preview: null });
      port.send({ type: 'preview', graph: get().doc, dataset: dataset() });
    },
    exportModel() {
      if (port === undefined) return Promise.resolve(null);
      port.send({ type: 'export' });
      return new Promise((resolve) => exportWaiters.push(resolve));
    },
    receive(message) {
      switch (message.type) {
        case 'backend':
          // A worker that has just started holds no model, and will not answer its predecessor.
          answerExports(null);
          set({
            backend: { name: message.name, reason: message.reason },
            trainedKey: null,
            trainedData: null,
          });
          get().requestRestore();
          break;
        case 'results':
          set({ results: message.results });
          break;
        case 'checked':
          set({ cpuCheck: message.check });
          break;
        case 'restored':
          // A restored model replaces an idle or finished view, never a run in progress.
          if (isBusy(get().training)) return;
          set({
            trainedKey: message.key,
            trainedData: dataIdentity(message.meta.dataset ?? dataset()),
            weightsSource: message.source,
            results: null,
          });
          // A restored run shows the settings, data and augmentation it was trained with.
          if (message.source === 'restored') {
            const { config, dataset: data, augment } = message.meta;
            set({
              trainConfig: config,
              ...(data?.kind === 'shapes' && {
                datasetConfig: { trainCount: data.trainCount, validationCount: data.validationCount },
              }),
              ...(data?.kind === 'stored' && {
                storedConfig: { fit: data.fit, validationShare: data.validationShare },
              }),
              ...(augment !== undefined && { augment }),
            });
          }
          if (message.source === 'loaded') get().notify('Weights loaded into the graph.', 'info');
          break;
        case 'exported':
          answerExports(message.artifacts);
          break;
        case 'preview':
          set({ preview: message.preview });
          break;
        case 'failed':
          // A broken backend (a WebAssembly abort) needs a fresh worker; saved weights come back after.
          if (message.restart) {
            set({ backend: null, trainedKey: null, trainedData: null });
            port?.restart?.(get().backendChoice);
          }
          break;
        case 'notice':
          get().notify(message.message, message.level);
          break;
        case 'datasets':
        case 'data-progress':
        case 'data-loaded':
        case 'data-failed':
          get().receiveData(message);
          return;
        default:
          break;
      }
      dispatch(message);
    },
  };
}
