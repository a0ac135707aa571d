import type { Direction } from '../../core/document';
import { groupsOf } from '../../core/groups';
import { useEditor, useEditorStore } from '../editor-context';
import { FindNode } from './FindNode';

const directions: readonly { value: Direction; label: string; title: string }[] = [
  { value: 'down', label: '↓', title: 'Lay out top to bottom' },
  { value: 'right', label: '→', title: 'Lay out left to right' },
];

/** Over the canvas's top edge: find a node, the flow direction, fold or unfold every group. */
export function CanvasToolbar() {
  const store = useEditorStore();
  const direction = useEditor((s) => s.doc.direction ?? 'down');
  // The stored array itself (groupsOf would make a new empty one each time, re-rendering forever).
  const groups = groupsOf({ groups: useEditor((s) => s.doc.groups) });
  const anyFolded = groups.some((g) => g.collapsed);
  const anyOpen = groups.some((g) => !g.collapsed);
  return (
    <div className="canvas-toolbar" aria-label="Canvas tools">
      <div className="segmented" role="group" aria-label="Layout direction">
        {directions.map((d) => (
          <button
            key={d.value}
            type="button"
            aria-pressed={direction === d.value}
            aria-label={d.title}
            title={d.title}
            onClick={() => store.getState().autoLayout(d.value)}
          >
            {d.label}
          </button>
        ))}
      </div>
      {groups.length > 0 && (
        <div className="segmented" role="group" aria-label="Groups">
          <button
            type="button"
            disabled={!anyOpen}
            onClick={() => store.getState().setAllGroupsCollapsed(true)}
            title="Fold every block and stage into a card"
          >
            Fold all
          </button>
          <button
            type="button"
            disabled={!anyFolded}
            onClick={() => store.getState().setAllGroupsCollapsed(false)}
            title="Show every layer"
          >
            Unfold all
          </button>
        </div>
      )}
      <FindNode />
    </div>
  );
}
