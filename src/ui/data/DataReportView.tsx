import { formatProblem } from '../../data/problems';
import { useEditor, useEditorStore } from '../editor-context';

/** What the last load made: the dataset's name and counts, the files it skipped and why, or why it failed. */
export function DataReportView() {
  const store = useEditorStore();
  const report = useEditor((s) => s.dataReport);
  if (report === null) return null;
  const { info, message, skipped } = report;
  const total = info?.skippedCount ?? skipped.length;
  return (
    <div className={`data-report${message ? ' is-failed' : ''}`} data-testid="data-report" role="status">
      <p>
        <span>
          {message !== undefined ? (
            <>Nothing was loaded: {message}</>
          ) : (
            <>
              Loaded <strong>{info!.name}</strong>: {info!.counts.reduce((a, b) => a + b, 0).toLocaleString()}{' '}
              images in {info!.classes.length} classes
              {info!.unusable ? ` (${info!.unusable})` : ''}.
              {total === 0
                ? ' Every file was read.'
                : ` Skipped ${total.toLocaleString()} file${total === 1 ? '' : 's'}:`}
            </>
          )}
        </span>
        <button
          type="button"
          className="ghost"
          aria-label="Dismiss"
          onClick={() => store.getState().dismissDataReport()}
        >
          ×
        </button>
      </p>
      {skipped.length > 0 && (
        <ul className="data-skipped" data-testid="data-skipped">
          {skipped.map((s) => (
            <li key={`${s.file} ${s.at ?? ''}`}>{formatProblem(s)}</li>
          ))}
          {total > skipped.length && <li>… and {(total - skipped.length).toLocaleString()} more</li>}
        </ul>
      )}
    </div>
  );
}
