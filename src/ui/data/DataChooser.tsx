import { useRef, useState } from 'react';
import { describeInput, inputSizeOf } from '../../core/training/data';
import { splitCounts, storedDataSettings } from '../../core/training/stored-data';
import type { StoredDataConfig } from '../../core/training/stored-data';
import { formatBytes } from '../../data/limits';
import { chosenDataset } from '../../store/data-slice';
import type { DroppedFile } from '../../worker/protocol';
import { useEditor, useEditorStore } from '../editor-context';
import { SettingField } from '../panels/training/Settings';
import { AugmentSummary } from './AugmentSummary';
import { DataReportView } from './DataReportView';
import { LooseFilesDialog } from './LooseFilesDialog';
import { dropKind, filesFromInput } from './dropped';
import { useDataDrop } from './useDataDrop';
import './data.css';

const sum = (list: readonly number[]) => list.reduce((a, b) => a + b, 0);

/**
 * Which data the graph trains on: the built-in Shapes or the person's own (a folder, loose images,
 * MNIST or CIFAR files, picked or dropped anywhere on the page), with how it is fitted and split, the
 * progress of a load and what it skipped.
 */
export function DataChooser({ busy }: { busy: boolean }) {
  const store = useEditorStore();
  const datasets = useEditor((s) => s.datasets);
  const choice = useEditor((s) => s.dataChoice);
  const chosen = useEditor(chosenDataset);
  const stored = useEditor((s) => s.storedConfig);
  const loading = useEditor((s) => s.dataLoading);
  const size = useEditor((s) => {
    const input = inputSizeOf(s.doc);
    return input && describeInput(input);
  });
  const folderInput = useRef<HTMLInputElement>(null);
  const filesInput = useRef<HTMLInputElement>(null);
  const [loose, setLoose] = useState<{ files: DroppedFile[]; suggested: string } | null>(null);

  /** A drop or a pick: loaded as it stands, or (loose images) once their class is named. */
  const take = (files: DroppedFile[]) => {
    if (files.length === 0) return;
    const kind = dropKind(files);
    if (kind.kind === 'not-data') store.getState().notify(kind.message, 'error');
    else if (kind.kind === 'loose') setLoose({ files, suggested: kind.suggested });
    else store.getState().loadData(files);
  };
  const dragging = useDataDrop(take, busy);
  const set = (patch: Partial<StoredDataConfig>) => store.getState().setStoredConfig(patch);
  const split = chosen && splitCounts(chosen, stored.validationShare);

  return (
    <div className="data-chooser" data-testid="data-chooser">
      <div className="data-row">
        <label className="train-setting data-select">
          <span>data</span>
          <select
            value={choice}
            disabled={busy}
            aria-label="Dataset"
            onChange={(e) => store.getState().chooseData(e.target.value)}
          >
            <option value="shapes">Shapes (built in, 10 classes)</option>
            {datasets.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name} · {d.classes.length} classes
              </option>
            ))}
            {choice !== 'shapes' && chosen === undefined && (
              <option value={choice}>(not in this browser)</option>
            )}
          </select>
        </label>
        <button
          type="button"
          disabled={busy || loading !== null}
          title="A folder with a subfolder of images per class (train/ and test/ inside keep their own split)"
          onClick={() => folderInput.current?.click()}
        >
          Add folder…
        </button>
        <button
          type="button"
          disabled={busy || loading !== null}
          title="Images of one class, or MNIST-format IDX files, or CIFAR-10/100 binary batches"
          onClick={() => filesInput.current?.click()}
        >
          Add files…
        </button>
        <input
          ref={folderInput}
          type="file"
          hidden
          multiple
          data-testid="data-folder"
          // React has no typed prop for it; the attribute makes the picker choose folders.
          {...{ webkitdirectory: '' }}
          onChange={(e) => {
            take(filesFromInput(e.target.files ?? []));
            e.target.value = '';
          }}
        />
        <input
          ref={filesInput}
          type="file"
          hidden
          multiple
          data-testid="data-files"
          onChange={(e) => {
            take(filesFromInput(e.target.files ?? []));
            e.target.value = '';
          }}
        />
      </div>
      {choice === 'shapes' && (
        <p className="data-note">
          Or drop a folder of images (one subfolder per class) anywhere on the page.
        </p>
      )}
      {loading !== null && (
        <div className="data-loading" data-testid="data-loading">
          <span>
            {loading.what === 'sending'
              ? `Opening ${loading.total.toLocaleString()} files…`
              : loading.what === 'decoding'
                ? `Reading ${loading.name}${size ? ` at ${size}` : ''}: ${loading.done.toLocaleString()} of ${loading.total.toLocaleString()} files`
                : `Keeping ${loading.name} in this browser: ${loading.done.toLocaleString()} of ${loading.total.toLocaleString()} files`}
          </span>
          <progress
            max={Math.max(1, loading.total)}
            value={loading.what === 'sending' ? undefined : loading.done}
            aria-label="Loading the data"
          />
        </div>
      )}
      <DataReportView />
      {chosen !== undefined && split && (
        <div className="data-stored">
          <p className="data-note" data-testid="data-summary">
            {chosen.format === 'idx' ? 'IDX files' : chosen.format === 'cifar' ? 'CIFAR batches' : 'Images'},{' '}
            {chosen.classes.length} classes: {sum(split.train).toLocaleString()} training and{' '}
            {sum(split.validation).toLocaleString()} validation images (
            {chosen.ownValidation
              ? 'the files’ own split'
              : `seeded random split, ${Math.round(stored.validationShare * 100)}% of each class`}
            ), {formatBytes(chosen.bytes)}.{' '}
            {chosen.kept ? (
              'Kept in this browser.'
            ) : (
              <strong>Not kept: after a reload it must be loaded again.</strong>
            )}
          </p>
          <div className="train-settings">
            <SettingField
              spec={storedDataSettings.fit}
              fallbackLabel="fit"
              value={stored.fit}
              disabled={busy}
              onChange={(fit) => set({ fit: fit as StoredDataConfig['fit'] })}
            />
            {!chosen.ownValidation && (
              <SettingField
                spec={storedDataSettings.validationShare}
                fallbackLabel="validation share"
                value={stored.validationShare}
                disabled={busy}
                onChange={(validationShare) => set({ validationShare: Number(validationShare) })}
              />
            )}
          </div>
          <button
            type="button"
            className="ghost data-remove"
            disabled={busy}
            onClick={() => store.getState().removeDataset(chosen.id)}
          >
            Remove {chosen.name} from this browser
          </button>
        </div>
      )}
      <AugmentSummary busy={busy} />
      {loose !== null && (
        <LooseFilesDialog files={loose.files} suggested={loose.suggested} onClose={() => setLoose(null)} />
      )}
      {dragging && (
        <div className="data-drop-overlay" aria-hidden="true">
          <div>
            Drop to add images: a folder with one subfolder per class, images of one class, or MNIST/CIFAR
            files
          </div>
        </div>
      )}
    </div>
  );
}
