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
          // Read like an import (one reader of model files), then put into this graph.
          void store.getState().loadWeightsFiles([...(e.target.files ?? [])]);
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
