import { useState } from 'react';
import { useEditorStore } from '../editor-context';

/** Asks for a name, then opens an empty graph (undo brings the previous one back). */
export function NewGraphDialog({ onClose }: { onClose(): void }) {
  const store = useEditorStore();
  const [name, setName] = useState('Untitled network');
  const create = () => {
    store.getState().newGraph(name);
    onClose();
  };
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-label="New empty graph" onClick={onClose}>
      <form
        className="dialog"
        onClick={(e) => e.stopPropagation()}
        onSubmit={(e) => {
          e.preventDefault();
          create();
        }}
      >
        <h2>New empty graph</h2>
        <p>
          Starts from an empty canvas. Your current graph is not lost: Undo (Ctrl+Z) brings it back, and
          Export saves it as a file.
        </p>
        <label className="field">
          <span>Name</span>
          <input
            type="text"
            value={name}
            maxLength={200}
            autoFocus
            onFocus={(e) => e.target.select()}
            onChange={(e) => setName(e.target.value)}
            aria-label="Name of the new graph"
          />
        </label>
        <div className="button-row">
          <button type="submit" className="primary">
            Create
          </button>
          <button type="button" className="ghost" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  );
}
