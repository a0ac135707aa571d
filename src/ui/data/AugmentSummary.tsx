import { lazy, Suspense } from 'react';
import { noAugmentation } from '../../core/training/augment';
import { AUGMENT_PRESETS } from '../../core/training/augment-presets';
import { augmentIsOn } from '../../data/augment';
import { useEditor, useEditorStore } from '../editor-context';

// The lab (sliders, previews) loads when it first opens.
const AugmentLab = lazy(() => import('./AugmentLab'));

const same = (a: object, b: object) => JSON.stringify(a) === JSON.stringify(b);

/** One line on how training images are augmented, and the button that opens the lab. */
export function AugmentSummary({ busy }: { busy: boolean }) {
  const store = useEditorStore();
  const augment = useEditor((s) => s.augment);
  const open = useEditor((s) => s.augmentLabOpen);
  const preset = AUGMENT_PRESETS.find((p) => same(p.config, augment));
  const words = !augmentIsOn(augment) ? 'none' : preset ? preset.label : 'your own settings';
  return (
    <div className="augment-summary">
      <span>
        Augmentation: <strong data-testid="augment-summary">{words}</strong>
      </span>
      <button type="button" disabled={busy} onClick={() => store.getState().setAugmentLabOpen(true)}>
        Augmentation lab…
      </button>
      {augmentIsOn(augment) && !busy && (
        <button type="button" className="ghost" onClick={() => store.getState().setAugment(noAugmentation)}>
          Turn off
        </button>
      )}
      {open && (
        <Suspense fallback={null}>
          <AugmentLab />
        </Suspense>
      )}
    </div>
  );
}
