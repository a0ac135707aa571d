/**
 * Which data the graph trains on (the built-in Shapes or one of the person's datasets, which live in
 * the worker), how a stored dataset is fitted and split, and the augmentation of training images. The
 * choice is remembered by the browser, so after a reload the same data (and the weights trained on it)
 * come back.
 */
import type { AugmentConfig, ResizeMode } from '../core/training/augment';
import type { TrainConfig } from '../core/training/settings';
import { noAugmentation } from '../core/training/augment';
import { augmentConfigProblems } from '../core/training/augment-presets';
import { inputSizeOf } from '../core/training/data';
import type { DataProblem } from '../core/training/data';
import type { StoredDataConfig, StoredDatasetInfo } from '../core/training/stored-data';
import { dataProblems, defaultStoredDataConfig, storedDataSettings } from '../core/training/stored-data';
import type { TrainingPort } from '../worker/client';
import { datasetRequest } from './training-slice';
import type { DataSlice, EditorState, GetState, SetState } from './types';

export const DATA_PREFS_KEY = 'convcanvas:data';

interface DataPrefs {
  readonly dataChoice: string;
  readonly storedConfig: StoredDataConfig;
  readonly augment: AugmentConfig;
}

const browserStorage = (): Storage | undefined => {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
};

/** The remembered choice, each part checked (a damaged entry falls back to the defaults). */
export function readDataPrefs(text: string | null): DataPrefs {
  const prefs: DataPrefs = {
    dataChoice: 'shapes',
    storedConfig: defaultStoredDataConfig,
    augment: noAugmentation,
  };
  if (text === null) return prefs;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return prefs;
  }
  if (typeof raw !== 'object' || raw === null) return prefs;
  const r = raw as Partial<Record<keyof DataPrefs, unknown>>;
  const choice =
    typeof r.dataChoice === 'string' && /^(shapes|[0-9a-f]{16})$/.test(r.dataChoice)
      ? r.dataChoice
      : 'shapes';
  const stored = (r.storedConfig ?? {}) as Partial<Record<keyof StoredDataConfig, unknown>>;
  const fits = storedDataSettings.fit.options.map((o) => o.value);
  const { min, max } = storedDataSettings.validationShare;
  const share = stored.validationShare;
  const augment = r.augment as AugmentConfig | undefined;
  return {
    dataChoice: choice,
    storedConfig: {
      fit: fits.find((f) => f === stored.fit) ?? defaultStoredDataConfig.fit,
      validationShare:
        typeof share === 'number' && share >= min && share <= max
          ? share
          : defaultStoredDataConfig.validationShare,
    },
    augment:
      typeof augment === 'object' && augment !== null && augmentConfigProblems(augment).length === 0
        ? augment
        : noAugmentation,
  };
}

function remember(prefs: DataPrefs): void {
  try {
    browserStorage()?.setItem(DATA_PREFS_KEY, JSON.stringify(prefs));
  } catch {
    // Storage full or refused: the choice lasts until the page closes.
  }
}

export function createDataSlice(set: SetState, get: GetState, port: TrainingPort | undefined): DataSlice {
  let initial: DataPrefs;
  try {
    initial = readDataPrefs(browserStorage()?.getItem(DATA_PREFS_KEY) ?? null);
  } catch {
    initial = readDataPrefs(null);
  }
  const save = () => {
    const { dataChoice, storedConfig, augment } = get();
    remember({ dataChoice, storedConfig, augment });
  };
  return {
    datasets: [],
    datasetsListed: false,
    ...initial,
    dataLoading: null,
    dataReport: null,
    augmentLabOpen: false,
    chooseData(choice) {
      set({ dataChoice: choice, preview: null });
      save();
      // Weights trained on the newly chosen data may be kept in this browser.
      get().requestRestore();
    },
    setStoredConfig(patch) {
      set({ storedConfig: { ...get().storedConfig, ...patch } });
      save();
    },
    loadData(files, loose) {
      if (port === undefined || files.length === 0) return;
      const { doc, storedConfig, trainConfig } = get();
      const target = inputSizeOf(doc) ?? { height: 32, width: 32, channels: 3 };
      set({
        dataLoading: {
          what: 'sending',
          name: loose?.className ?? files[0]!.path.split('/')[0]!,
          done: 0,
          total: files.length,
        },
        dataReport: null,
      });
      port.send({
        type: 'data-load',
        load: {
          files,
          target,
          config: storedConfig,
          seed: trainConfig.seed,
          ...(loose !== undefined && { loose }),
        },
      });
    },
    removeDataset(id) {
      port?.send({ type: 'data-remove', id });
      if (get().dataChoice === id) get().chooseData('shapes');
    },
    dismissDataReport: () => set({ dataReport: null }),
    setAugment(augment) {
      set({ augment });
      save();
    },
    setAugmentLabOpen: (augmentLabOpen) => set({ augmentLabOpen }),
    receiveData(message) {
      switch (message.type) {
        case 'datasets':
          set({ datasets: message.datasets, datasetsListed: true });
          break;
        case 'data-progress':
          // Also sent when a dataset is fitted again at a new Input size: the bar goes when it is done.
          set({
            dataLoading:
              message.done >= message.total
                ? null
                : { what: message.what, name: message.name, done: message.done, total: message.total },
          });
          break;
        case 'data-loaded':
          set({ dataLoading: null, dataReport: { info: message.info, skipped: message.info.skipped } });
          // The new data is the one to train on; a collection still missing classes is chosen too, to show why.
          get().chooseData(message.info.id);
          break;
        case 'data-failed':
          set({ dataLoading: null, dataReport: { message: message.message, skipped: message.skipped } });
          break;
        default:
          break;
      }
    },
  };
}

/** The stored dataset chosen now, if one is and the worker holds it. */
export const chosenDataset = (
  s: Pick<DataSlice, 'dataChoice' | 'datasets'>,
): StoredDatasetInfo | undefined =>
  s.dataChoice === 'shapes' ? undefined : s.datasets.find((d) => d.id === s.dataChoice);

/** Whether the chosen data fits the graph on the canvas, with the fixes (see dataProblems). */
export const currentDataProblems = (s: EditorState): DataProblem[] =>
  s.dataChoice !== 'shapes' && !s.datasetsListed
    ? [{ message: 'Looking for the chosen dataset in this browser…' }]
    : dataProblems(s.doc, datasetRequest(s), chosenDataset(s));

/** What the code panel exports: the training settings, the augmentation and the fit chosen for the person's images. */
export const codeOptions = (
  s: Pick<EditorState, 'trainConfig' | 'augment' | 'storedConfig'>,
): { train: TrainConfig; augment: AugmentConfig; resize: ResizeMode } => ({
  train: s.trainConfig,
  augment: s.augment,
  resize: s.storedConfig.fit,
});
