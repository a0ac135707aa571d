/**
 * What picked files mean to the editor (a graph to open, a model with weights, weights for this
 * graph, or a refusal), and whether autosave may write over the stored graph.
 */
import { graphSizeProblem } from '../core/limits';
import { loadGraph } from '../core/load';
import { findTemplate } from '../../templates';
import type { OpenResult, PickedFile } from '../import';
import type { EditorState, FilesSlice, GetState, SetState } from './types';

/** Opens a selection as the new graph: a ConvCanvas graph, or a saved model and its weights. */
export function applyImport(state: EditorState, opened: OpenResult): void {
  if (opened.kind === 'error') {
    state.showImportErrors(opened.source, opened.errors);
    return;
  }
  const tooBig = graphSizeProblem(opened.doc.nodes.length, opened.doc.edges.length);
  if (tooBig !== null) {
    state.showImportErrors(opened.source, [{ path: '(document)', message: tooBig }]);
    return;
  }
  if (opened.kind === 'graph') {
    state.replaceGraph(opened.doc, `Imported “${opened.doc.name}” from ${opened.source}.`);
    return;
  }
  const weights = opened.weights === null ? null : { weights: opened.weights, source: opened.source };
  const what =
    opened.weights === null ? 'the model' : `the model and its ${opened.weights.size} weight tensors`;
  state.openImported(
    opened.doc,
    weights,
    [`Imported ${what} from ${opened.source}.`, ...opened.notes].join(' '),
  );
}

/** Puts a selection's weights into the current graph; anything else is refused with the reason. */
export function applyWeights(state: EditorState, opened: OpenResult): void {
  if (opened.kind === 'error') state.showImportErrors(opened.source, opened.errors);
  else if (opened.kind === 'graph')
    state.notify(`${opened.source} is a graph, not a trained model: open it with Import.`, 'error');
  else if (opened.weights === null)
    state.notify(`Choose the weights (.bin) files together with ${opened.source}.`, 'error');
  else state.loadWeights(opened.weights, opened.source);
}

// Model import is needed rarely: its code loads on first use.
const open = async (files: readonly PickedFile[]): Promise<OpenResult> =>
  (await import('../import')).openFiles(files);

export function createFilesSlice(set: SetState, get: GetState): FilesSlice {
  return {
    autosave: 'on',
    pauseAutosave: () => set({ autosave: 'paused' }),
    resumeAutosave: () => set({ autosave: 'on' }),
    openTemplate(name) {
      const template = findTemplate(name);
      const loaded = template && loadGraph(template.document);
      if (loaded?.ok)
        get().replaceGraph(loaded.doc, `Opened ${template!.title}. Undo (Ctrl+Z) brings back what you had.`);
      else get().notify(`The template "${name}" could not be opened.`, 'error');
    },
    async importFiles(files) {
      if (files.length > 0) applyImport(get(), await open(files));
    },
    async loadWeightsFiles(files) {
      if (files.length > 0) applyWeights(get(), await open(files));
    },
  };
}
