import type { GraphDocument } from '../core/document';
import { modelKey } from '../core/structure';
import type { BackendChoice, BackendName } from '../core/training/backends';
import type { CpuCheck } from '../core/training/cpu-check';
import type { ValidationResults } from '../core/training/reports';
import { defaultDatasetConfig, defaultTrainConfig } from '../core/training/settings';
import type { DatasetConfig, TrainConfig } from '../core/training/settings';
import type { Artifacts, SavedWeight } from '../model-files/types';
import type { TrainingPort } from '../worker/client';
import type { DatasetRequest, FromWorker } from '../worker/protocol';
import { idle, isBusy, reduce } from './lifecycle';
import type { TrainingState } from './lifecycle';
import type { GetState, SetState } from './types';

/** The built-in images are this many pixels square. */
export const DATASET_IMAGE_SIZE = 32;

export interface TrainingSlice {
  readonly training: TrainingState;
  readonly trainConfig: TrainConfig;
  readonly datasetConfig: DatasetConfig;
  /** What the person chose in the backend menu (or the URL). */
  readonly backendChoice: BackendChoice;
  readonly backend: { readonly name: BackendName; readonly reason: string } | null;
  /** The GPU backend's forward pass against the CPU's, for the current model. */
  readonly cpuCheck: CpuCheck | null;
  /** modelKey of the graph whose weights the worker holds, to know whether they still apply. */
  readonly trainedKey: string | null;
  /** Where the weights came from when they were not trained in this session. */
  readonly weightsSource: 'restored' | 'loaded' | null;
  /** Where the last trained model goes wrong on the validation images. */
  readonly results: ValidationResults | null;
  setTrainConfig(patch: Partial<TrainConfig>): void;
  setDatasetConfig(patch: Partial<DatasetConfig>): void;
  /** Restarts the worker on another backend (not while training). */
  chooseBackend(choice: BackendChoice): void;
  startTraining(): void;
  /** Trains the last model for `epochs` more, when the graph is still the one it was trained from. */
  trainMore(epochs: number): void;
  pauseTraining(): void;
  resumeTraining(): void;
  stopTraining(): void;
  /** Asks the worker for weights saved for the current graph (after a reload or a template switch). */
  requestRestore(): void;
  /** Puts saved weights (from a model file) into the current graph. */
  loadWeights(weights: ReadonlyMap<string, SavedWeight>, source: string): void;
  /** The trained model as tfjs artifacts, for download; null when the worker has none. */
  exportModel(): Promise<Artifacts | null>;
  /** Applies a message from the worker. */
  receive(message: FromWorker): void;
}

/** Whether the worker holds weights for exactly the graph now on the canvas. */
export function weightsMatch(s: { trainedKey: string | null; doc: GraphDocument }): boolean {
  return s.trainedKey !== null && s.trainedKey === modelKey(s.doc, DATASET_IMAGE_SIZE);
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
  const dataset = (): DatasetRequest => ({
    kind: 'shapes',
    seed: get().trainConfig.seed,
    size: DATASET_IMAGE_SIZE,
    ...get().datasetConfig,
  });
  return {
    training: idle,
    trainConfig: defaultTrainConfig,
    datasetConfig: defaultDatasetConfig,
    backendChoice,
    backend: null,
    cpuCheck: null,
    results: null,
    trainedKey: null,
    weightsSource: null,
    setTrainConfig: (patch) => set({ trainConfig: { ...get().trainConfig, ...patch } }),
    setDatasetConfig: (patch) => set({ datasetConfig: { ...get().datasetConfig, ...patch } }),
    chooseBackend(choice) {
      if (port?.restart === undefined || isBusy(get().training)) return;
      set({ backendChoice: choice, backend: null, cpuCheck: null, trainedKey: null, results: null });
      dispatch({ type: 'reset' });
      port.restart(choice);
    },
    startTraining() {
      const { training, trainConfig, doc } = get();
      if (port === undefined || isBusy(training)) return;
      set({
        results: null,
        cpuCheck: null,
        weightsSource: null,
        trainedKey: modelKey(doc, DATASET_IMAGE_SIZE),
      });
      dispatch({ type: 'start', config: trainConfig });
      port.send({ type: 'train', graph: doc, config: trainConfig, dataset: dataset() });
    },
    trainMore(epochs) {
      const { training, trainConfig } = get();
      if (port === undefined || training.phase !== 'done' || !weightsMatch(get())) return;
      set({ results: null });
      dispatch({ type: 'more', epochs });
      port.send({ type: 'continue', config: { ...trainConfig, epochs } });
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
          set({ backend: { name: message.name, reason: message.reason }, trainedKey: null });
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
          set({ trainedKey: message.key, weightsSource: message.source, results: null });
          if (message.source === 'loaded') get().notify('Weights loaded into the graph.', 'info');
          break;
        case 'exported':
          answerExports(message.artifacts);
          break;
        case 'notice':
          get().notify(message.message, message.level);
          break;
        default:
          break;
      }
      dispatch(message);
    },
  };
}
