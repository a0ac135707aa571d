import { backendChoices, backendInPlainWords } from '../../../core/training/backends';
import type { BackendChoice } from '../../../core/training/backends';
import { CPU_CHECK_TOLERANCE } from '../../../core/training/cpu-check';
import { useEditor, useEditorStore } from '../../editor-context';

/** Which backend computes, why, a menu to choose another, and how it compares with the CPU. */
export function BackendStatus({ busy }: { busy: boolean }) {
  const store = useEditorStore();
  const choice = useEditor((s) => s.backendChoice);
  const backend = useEditor((s) => s.backend);
  const check = useEditor((s) => s.cpuCheck);
  return (
    <div className="train-backend" data-testid="backend">
      <label className="backend-choice">
        <span>Backend</span>
        <select
          value={choice}
          disabled={busy}
          title={busy ? 'Stop training to change the backend' : 'Where the arithmetic runs'}
          onChange={(e) => store.getState().chooseBackend(e.target.value as BackendChoice)}
        >
          {backendChoices.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      {backend ? (
        <details className="backend-why">
          <summary>
            Computes on <strong>{backendInPlainWords[backend.name]}</strong>
          </summary>
          <p data-testid="backend-reason">{backend.reason}</p>
        </details>
      ) : (
        <p>Starting the compute backend…</p>
      )}
      {check && (
        <p
          data-testid="cpu-check"
          className={check.maxDifference > CPU_CHECK_TOLERANCE ? 'is-bad' : undefined}
          title="The same weights on the same images, computed here and on tfjs' plain CPU backend"
        >
          {check.maxDifference > CPU_CHECK_TOLERANCE ? 'Differs from' : 'Matches'} the CPU: probabilities
          within {check.maxDifference.toExponential(1)} on {check.images} images
        </p>
      )}
    </div>
  );
}
