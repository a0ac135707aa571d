import { defaultTrainConfig } from '../train/config';
import type { GraphDocument } from '../core/document';
import type { TrainConfig } from '../train/config';
import type { ValidationResults } from '../train/results';
import { idle, reduce } from '../train/lifecycle';
import type { TrainingState } from '../train/lifecycle';
import type { TrainingPort } from '../worker/client';
import type { BackendName, FromWorker } from '../worker/protocol';
import type { GetState, SetState } from './types';

export interface TrainingSlice {
  readonly training: TrainingState;
  readonly trainConfig: TrainConfig;
  readonly backend: { readonly name: BackendName; readonly reason: string } | null;
  /** structureKey of the graph being trained, to know whether "train more" still applies. */
  readonly trainedKey: string | null;
  /** Where the last trained model goes wrong on the validation images. */
  readonly results: ValidationResults | null;
  setTrainConfig(patch: Partial<TrainConfig>): void;
  startTraining(): void;
  /** Trains the last model for `epochs` more, when the graph is still the one it was trained from. */
  trainMore(epochs: number): void;
  pauseTraining(): void;
  resumeTraining(): void;
  stopTraining(): void;
  /** Applies a message from the worker. */
  receive(message: FromWorker): void;
}

/** What a trained model depends on: kinds, params and links (not positions or names). */
export function structureKey(doc: GraphDocument): string {
  return JSON.stringify([
    doc.nodes.map((n) => [n.id, n.kind, n.params]),
    doc.edges.map((e) => [e.source, e.target, e.targetHandle]),
  ]);
}

export function createTrainingSlice(
  set: SetState,
  get: GetState,
  port: TrainingPort | undefined,
): TrainingSlice {
  const dispatch = (event: Parameters<typeof reduce>[1]) => set({ training: reduce(get().training, event) });
  return {
    training: idle,
    trainConfig: defaultTrainConfig,
    backend: null,
    results: null,
    trainedKey: null,
    setTrainConfig: (patch) => set({ trainConfig: { ...get().trainConfig, ...patch } }),
    startTraining() {
      const { training, trainConfig, doc } = get();
      if (
        port === undefined ||
        training.phase === 'training' ||
        training.phase === 'paused' ||
        training.phase === 'compiling'
      )
        return;
      set({ results: null, trainedKey: structureKey(doc) });
      dispatch({ type: 'start', config: trainConfig });
      port.send({
        type: 'train',
        graph: doc,
        config: trainConfig,
        dataset: { kind: 'shapes', seed: trainConfig.seed, size: 32 },
      });
    },
    trainMore(epochs) {
      const { training, trainConfig, trainedKey, doc } = get();
      if (port === undefined || training.phase !== 'done' || trainedKey !== structureKey(doc)) return;
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
    receive(message) {
      if (message.type === 'backend') set({ backend: { name: message.name, reason: message.reason } });
      if (message.type === 'results') set({ results: message.results });
      dispatch(message);
    },
  };
}
