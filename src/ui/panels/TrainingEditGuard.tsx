import { useEffect, useRef, useState } from 'react';
import { sameStructure } from '../../core/structure';
import { isBusy } from '../../store/lifecycle';
import { undo } from '../../store/store';
import { useEditorStore } from '../editor-context';

/**
 * Training uses the graph as it was when it started. When the network itself changes meanwhile
 * (moving nodes does not count), ask: stop training, or take the edit back and keep going.
 */
export function TrainingEditGuard() {
  const store = useEditorStore();
  const [open, setOpen] = useState(false);
  const ignoreNext = useRef(false);

  useEffect(
    () =>
      store.subscribe((s, prev) => {
        if (!isBusy(s.training) || sameStructure(s.doc, prev.doc)) return;
        if (ignoreNext.current) {
          ignoreNext.current = false;
          return;
        }
        setOpen(true);
      }),
    [store],
  );

  if (!open) return null;
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-label="Training is running">
      <div className="dialog">
        <h2>Training is running</h2>
        <p>
          The network being trained is the one you had when you pressed Train. Stop training to work on the
          new version, or take this edit back and let training finish.
        </p>
        <div className="button-row">
          <button
            type="button"
            className="primary"
            onClick={() => {
              store.getState().stopTraining();
              setOpen(false);
            }}
          >
            Stop training
          </button>
          <button
            type="button"
            onClick={() => {
              ignoreNext.current = true;
              undo(store);
              setOpen(false);
            }}
          >
            Undo the edit, keep training
          </button>
        </div>
      </div>
    </div>
  );
}
