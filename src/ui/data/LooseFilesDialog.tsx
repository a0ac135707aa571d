import { useState } from 'react';
import { chosenDataset } from '../../store/data-slice';
import type { DroppedFile } from '../../worker/protocol';
import { useEditor, useEditorStore } from '../editor-context';

/**
 * Loose images need their class: named here (or picked from the classes of the collection being
 * built), then added to that collection, or to a new one.
 */
export function LooseFilesDialog(props: {
  files: readonly DroppedFile[];
  suggested: string;
  onClose(): void;
}) {
  const { files, suggested, onClose } = props;
  const store = useEditorStore();
  const chosen = useEditor(chosenDataset);
  // Loose images go into the chosen dataset when it is a collection built from drops.
  const collection = chosen?.collection ? chosen : undefined;
  const [name, setName] = useState(suggested);
  const add = () => {
    if (name.trim() === '') return;
    store.getState().loadData(files, { className: name.trim(), ...(collection && { into: collection.id }) });
    onClose();
  };
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-label="Class of the dropped images">
      <form
        className="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          add();
        }}
      >
        <h2>Which class are these {files.length.toLocaleString()} images?</h2>
        <p>
          They are not in class folders, so they are added to{' '}
          {collection ? <strong>{collection.name}</strong> : 'a new collection, My images,'} under the class
          you name. Drop the images of each class in turn (two classes at least).
        </p>
        <label className="field">
          <span>Class</span>
          <input
            autoFocus
            value={name}
            list="loose-classes"
            aria-label="Class name"
            onChange={(e) => setName(e.target.value)}
          />
          <datalist id="loose-classes">
            {collection?.classes.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
        </label>
        <div className="button-row">
          <button type="submit" className="primary" disabled={name.trim() === ''}>
            Add the images
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  );
}
