import type { GraphDocument } from '../core/document';
import type { TrainingSlice } from './training-slice';
import type { DocError } from '../core/issues';
import type { Fragment, Link, Position } from '../core/edit';
import type { LinkCheck } from '../core/connect';
import type { SavedWeight } from '../model-files/types';
import type { PickedFile } from '../import';

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
  autoLayout(): void;
  renameGraph(name: string): void;
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

export type EditorState = GraphSlice & SelectionSlice & UiSlice & TrainingSlice & FilesSlice;
/** What undo/redo tracks: the document only, never selection or panels. */
export type Tracked = Pick<EditorState, 'doc'>;

export type SetState = (partial: Partial<EditorState> | ((s: EditorState) => Partial<EditorState>)) => void;
export type GetState = () => EditorState;
