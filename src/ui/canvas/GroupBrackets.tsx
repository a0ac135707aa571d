import { ViewportPortal } from '@xyflow/react';
import { memo } from 'react';
import type { Bracket } from '../../core/fold';
import { useEditorStore } from '../editor-context';

/**
 * Unfolded groups, drawn as brackets beside their nodes (like a code editor's fold markers), each
 * with a button that folds the group into one card.
 */
export const GroupBrackets = memo(function GroupBrackets({
  brackets,
  down,
}: {
  brackets: readonly Bracket[];
  down: boolean;
}) {
  const store = useEditorStore();
  return (
    <ViewportPortal>
      {brackets.map(({ group, box, depth }) => (
        <div
          key={group.id}
          className={`group-bracket depth-${depth % 3}${down ? '' : ' is-across'}`}
          data-group={group.id}
          style={{ transform: `translate(${box.x}px, ${box.y}px)`, width: box.width, height: box.height }}
        >
          <button
            type="button"
            className="bracket-fold"
            aria-label={`Fold ${group.label}`}
            title={`Fold ${group.label} into one card`}
            onClick={() => store.getState().setGroupsCollapsed([group.id], true)}
          >
            ▾
          </button>
          <span className="bracket-label">{group.label}</span>
        </div>
      ))}
    </ViewportPortal>
  );
});
