import { useEffect } from 'react';
import { useEditor, useEditorStore } from '../editor-context';
import { ComparePanel } from './ComparePanel';
import { SlicePanel } from './SlicePanel';
import './surface.css';

/** The loss-landscape page over the editor: slices of this network, and plain-versus-residual comparisons. */
export default function SurfacePage() {
  const store = useEditorStore();
  const tab = useEditor((s) => s.surfaceTab);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') store.getState().closeSurface();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);
  return (
    <div className="surface-page" role="dialog" aria-modal="true" aria-label="Loss landscape">
      <header className="surface-header">
        <h2>Loss landscape</h2>
        <div className="segmented" role="tablist" aria-label="What to show">
          <button
            type="button"
            role="tab"
            aria-selected={tab === 'slice'}
            aria-pressed={tab === 'slice'}
            onClick={() => store.getState().setSurfaceTab('slice')}
          >
            This network
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={tab === 'compare'}
            aria-pressed={tab === 'compare'}
            onClick={() => store.getState().setSurfaceTab('compare')}
          >
            Plain vs residual
          </button>
        </div>
        <button
          type="button"
          className="surface-close"
          aria-label="Close"
          title="Close (Esc)"
          onClick={() => store.getState().closeSurface()}
        >
          ×
        </button>
      </header>
      {tab === 'slice' ? <SlicePanel /> : <ComparePanel />}
    </div>
  );
}
