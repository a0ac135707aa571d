import type { Direction, GraphDocument } from '../core/document';
import type { BackendChoice, BackendName } from '../core/training/backends';
import type { CpuCheck } from '../core/training/cpu-check';
import type { DataPreview, ValidationResults } from '../core/training/reports';
import type { DatasetConfig, TrainConfig } from '../core/training/settings';
import type { Artifacts } from '../model-files/types';
import type { DroppedFile, FromWorker } from '../worker/protocol';
import type { AugmentConfig } from '../core/training/augment';
import type { SkippedFile, StoredDataConfig, StoredDatasetInfo } from '../core/training/stored-data';
import type { TrainingState } from './lifecycle';
import type { DocError } from '../core/issues';
import type { Fragment, Link, Position } from '../core/edit';
import type { LinkCheck } from '../core/connect';
import type { SavedWeight } from '../model-files/types';
import type { PickedFile } from '../import';
import type { PanelLayout } from './panels';

/** Weights opened with a saved model, for the graph they came with. */
export interface ImportedWeights {
  /** By compiled weight name, e.g. `conv/kernel`. */
  readonly weights: ReadonlyMap<string, SavedWeight>;
  /** The file they came from. */
  readonly source: string;
}

export interface GraphSlice {
  readonly doc: GraphDocument;
  /** Adds a node; with `after`, links it below that node. Returns the new id, or null when refused. */
  addNode(kind: string, position?: Position, after?: string): string | null;
  /** Returns null, or why the values were refused. */
  updateParams(id: string, patch: Readonly<Record<string, number | string | boolean>>): string | null;
  setLabel(id: string, label: string): void;
  /** Makes the link if allowed; says so when it replaced another. */
  connect(link: Link): LinkCheck;
  /** Checks a link without making it. */
  checkLink(link: Link): LinkCheck;
  removeNodes(ids: readonly string[]): void;
  removeEdges(ids: readonly string[]): void;
  /** Position updates from dragging: one undo step per drag, however many frames it has. */
  dragNodes(positions: ReadonlyMap<string, Position>, phase: 'move' | 'end'): void;
  replaceGraph(doc: GraphDocument, message?: string): void;
  /** Opens an imported model's graph; its weights (if any) go to the training worker. */
  openImported(doc: GraphDocument, weights: ImportedWeights | null, message: string): void;
  insertBlock(name: string, at?: Position): void;
  /** Tidy up: lays the graph out again (in `direction`, else the graph's own) and frames it. */
  autoLayout(direction?: Direction): void;
  renameGraph(name: string): void;
  /** Opens an empty graph with this name (undo brings the previous one back). */
  newGraph(name: string): void;
  /** Folds or unfolds groups: one undo step. */
  setGroupsCollapsed(ids: readonly string[], collapsed: boolean): void;
  /** Folds or unfolds every group. */
  setAllGroupsCollapsed(collapsed: boolean): void;
  /** Unfolds whatever hides a node and selects it. */
  revealNode(id: string): void;
  /** Groups the selected nodes (all ungrouped, or all in one group); returns why not, or null. */
  groupSelection(label: string): string | null;
  /** Removes a group, keeping its nodes. */
  ungroup(id: string): void;
}

export interface SelectionSlice {
  readonly selectedNodes: readonly string[];
  readonly selectedEdges: readonly string[];
  readonly clipboard: Fragment | null;
  select(nodes: readonly string[], edges?: readonly string[]): void;
  selectAll(): void;
  copySelection(): void;
  paste(): void;
  duplicateSelection(): void;
  deleteSelection(): void;
}

export type Tone = 'info' | 'error';

export interface Toast {
  readonly id: number;
  readonly text: string;
  readonly tone: Tone;
}

export type Theme = 'light' | 'dark';

export interface UiSlice {
  readonly theme: Theme;
  readonly helpOpen: boolean;
  readonly summaryOpen: boolean;
  /** Panel sizes and folds (remembered by the page in browser storage). */
  readonly panels: PanelLayout;
  /** The generated-code panel. */
  readonly codeOpen: boolean;
  readonly toasts: readonly Toast[];
  /** Bumped when a new graph is opened: the canvas frames it once its nodes are measured. */
  readonly viewRequest: number;
  /** Errors of a refused import, shown in a dialog until dismissed. */
  readonly importErrors: ImportErrors | null;
  /** Refusals waiting for the one shown to be dismissed (start-up can refuse a link and an autosave). */
  readonly laterImportErrors: readonly ImportErrors[];
  setTheme(theme: Theme): void;
  setHelpOpen(open: boolean): void;
  setSummaryOpen(open: boolean): void;
  setPanels(patch: Partial<PanelLayout>): void;
  setCodeOpen(open: boolean): void;
  notify(text: string, tone?: Tone): void;
  dismissToast(id: number): void;
  showImportErrors(source: string, errors: readonly DocError[], held?: HeldGraph): void;
  closeImportErrors(): void;
}

export interface ImportErrors {
  readonly source: string;
  readonly errors: readonly DocError[];
  /** The refused text, when it is the person's own graph: the dialog offers to download it. */
  readonly held?: HeldGraph;
}

/** An autosaved graph that could not be opened, held so the person can download it. */
export interface HeldGraph {
  readonly text: string;
  /** True when a verified copy sits under RESCUE_KEY, so autosave may overwrite the original. */
  readonly keptAside: boolean;
}

export interface FilesSlice {
  /** Paused while the stored graph could not be opened nor copied aside: nothing may overwrite it. */
  readonly autosave: 'on' | 'paused';
  pauseAutosave(): void;
  /** The person's choice to let autosave replace the stored graph. */
  resumeAutosave(): void;
  /** Opens a template by name, on top of the graph (undo brings the graph back). */
  openTemplate(name: string): void;
  /** Opens picked files as the graph: a ConvCanvas graph, or a saved model with its weights. */
  importFiles(files: readonly PickedFile[]): Promise<void>;
  /** Puts the weights of picked model files into the current graph. */
  loadWeightsFiles(files: readonly PickedFile[]): Promise<void>;
}

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
  /** What data those weights were trained on (dataIdentity): Shapes' weights do not stand for a folder's. */
  readonly trainedData: string | null;
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
  /** A few images of every class of the data, once asked for (null until then, or when stale). */
  readonly preview: DataPreview | null;
  /** Asks the worker for a preview of the data the current graph and settings would train on. */
  requestPreview(): void;
  /** Applies a message from the worker. */
  receive(message: FromWorker): void;
}

/** Files being decoded (or stored) for a dataset. */
export interface DataLoading {
  readonly what: 'sending' | 'decoding' | 'keeping';
  readonly name: string;
  readonly done: number;
  readonly total: number;
}

/** The outcome of the last load, shown until dismissed: the dataset and what was skipped, or why it failed. */
export interface DataReport {
  readonly info?: StoredDatasetInfo;
  readonly message?: string;
  readonly skipped: readonly SkippedFile[];
}

/** The data to train on: the built-in Shapes or one of the person's datasets, and its augmentation. */
export interface DataSlice {
  /** The person's datasets the worker holds (kept in this browser, or loaded since the page opened). */
  readonly datasets: readonly StoredDatasetInfo[];
  /** Whether the worker has said which datasets it holds (until then a stored choice is not known to be gone). */
  readonly datasetsListed: boolean;
  /** 'shapes', or the id of a stored dataset. */
  readonly dataChoice: string;
  readonly storedConfig: StoredDataConfig;
  readonly dataLoading: DataLoading | null;
  readonly dataReport: DataReport | null;
  /** Applied to the training images only. */
  readonly augment: AugmentConfig;
  readonly augmentLabOpen: boolean;
  chooseData(choice: string): void;
  setStoredConfig(patch: Partial<StoredDataConfig>): void;
  /** Sends files to the worker to be decoded as a dataset; loose images need their class. */
  loadData(
    files: readonly DroppedFile[],
    loose?: { readonly className: string; readonly into?: string },
  ): void;
  removeDataset(id: string): void;
  dismissDataReport(): void;
  setAugment(config: AugmentConfig): void;
  setAugmentLabOpen(open: boolean): void;
  /** Applies the worker's messages about datasets. */
  receiveData(message: FromWorker): void;
}

export type EditorState = GraphSlice & SelectionSlice & UiSlice & TrainingSlice & FilesSlice & DataSlice;
/** What undo/redo tracks: the document only, never selection or panels. */
export type Tracked = Pick<EditorState, 'doc'>;

export type SetState = (partial: Partial<EditorState> | ((s: EditorState) => Partial<EditorState>)) => void;
export type GetState = () => EditorState;
