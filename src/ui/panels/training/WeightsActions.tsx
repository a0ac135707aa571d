import { useRef } from 'react';
import { modelJson } from '../../../model-files/writer';
import { weightsMatch } from '../../../store/training-slice';
import { download, safeName } from '../../download';
import { useEditor, useEditorStore } from '../../editor-context';

/** Download the trained model as tfjs files, or load such files' weights into this graph. */
export function WeightsActions({ busy }: { busy: boolean }) {
  const store = useEditorStore();
  const input = useRef<HTMLInputElement>(null);
  const trained = useEditor(weightsMatch);
  const source = useEditor((s) => s.weightsSource);

  // The worker sends the model's artifacts; they are written as model.json + one weights file.
  const downloadModel = async () => {
    const artifacts = await store.getState().exportModel();
    if (artifacts === null) return;
    const base = safeName(store.getState().doc.name, 'model');
    download(`${base}.weights.bin`, artifacts.weightData, 'application/octet-stream');
    download(`${base}.model.json`, modelJson(artifacts, `${base}.weights.bin`));
  };

  // Read like an import (one reader of model files), then put the weights into this graph.
  const onFiles = async (files: readonly File[]) => {
    if (files.length === 0) return;
    const { openFiles } = await import('../../../import');
    const opened = await openFiles(files);
    const state = store.getState();
    if (opened.kind === 'error') state.showImportErrors(opened.source, opened.errors);
    else if (opened.kind === 'graph')
      state.notify(`${opened.source} is a graph, not a trained model: open it with Import.`, 'error');
    else if (opened.weights === null)
      state.notify(`Choose the weights (.bin) files together with ${opened.source}.`, 'error');
    else state.loadWeights(opened.weights, opened.source);
  };

  return (
    <div className="button-row weights-row">
      <button
        type="button"
        disabled={busy || !trained}
        title={trained ? 'model.json + weights, loadable with tf.loadLayersModel' : 'Train this graph first'}
        onClick={() => void downloadModel()}
      >
        Download model
      </button>
      <button
        type="button"
        disabled={busy}
        title="Put a saved model's weights into this graph (choose model.json and its .bin files)"
        onClick={() => input.current?.click()}
      >
        Load weights…
      </button>
      <input
        ref={input}
        type="file"
        accept=".json,.bin,application/json,application/octet-stream"
        multiple
        hidden
        data-testid="weights-file"
        onChange={(e) => {
          // Copied before the input is cleared (clearing empties its FileList).
          void onFiles([...(e.target.files ?? [])]);
          e.target.value = '';
        }}
      />
      {trained && source === 'restored' && (
        <span className="weights-note" data-testid="weights-restored">
          Weights restored from this browser
        </span>
      )}
    </div>
  );
}
