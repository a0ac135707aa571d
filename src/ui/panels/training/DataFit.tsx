import type { DataProblem } from '../../../core/training/data';
import { useEditorStore } from '../../editor-context';

/**
 * Why the chosen data does not fit the graph as it is, each with its one-click (undoable) fix;
 * advisory ones (grey images on a colour Input) are offers, and training can go ahead without them.
 */
export function DataFit({ problems }: { problems: readonly DataProblem[] }) {
  const store = useEditorStore();
  if (problems.length === 0) return null;
  return (
    <ul className="data-fit" data-testid="data-fit">
      {problems.map((p) => (
        <li key={p.message} className={p.advisory ? 'is-advice' : undefined}>
          <span>{p.message}</span>
          {p.fix !== undefined && p.nodeId !== undefined && (
            <button
              type="button"
              onClick={() => {
                const state = store.getState();
                state.updateParams(p.nodeId!, p.fix!.params);
                state.select([p.nodeId!]);
              }}
            >
              {p.fix.label}
            </button>
          )}
          {p.fewerImages !== undefined && (
            <button type="button" onClick={() => store.getState().setDatasetConfig(p.fewerImages!)}>
              Use {p.fewerImages.trainCount + p.fewerImages.validationCount} images
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
