import { defaultTrainConfig } from '../train/config';
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
  /** Where the last trained model goes wrong on the validation images. */
  readonly results: ValidationResults | null;
  setTrainConfig(patch: Partial<TrainConfig>): void;
  startTraining(): void;
  pauseTraining(): void;
  resumeTraining(): void;
  stopTraining(): void;
  /** Applies a message from the worker. */
  receive(message: FromWorker): void;
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
      set({ results: null });
      dispatch({ type: 'start', config: trainConfig });
      port.send({
        type: 'train',
        graph: doc,
        config: trainConfig,
        dataset: { kind: 'shapes', seed: trainConfig.seed, size: 32 },
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
    receive(message) {
      if (message.type === 'backend') set({ backend: { name: message.name, reason: message.reason } });
      if (message.type === 'results') set({ results: message.results });
      dispatch(message);
    },
  };
}
