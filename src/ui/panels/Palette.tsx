import { useMemo, useState } from 'react';
import type { DragEvent } from 'react';
import { categories, nodeKinds } from '../../../nodes';
import { blocks } from '../../../templates';
import { PALETTE_MIME } from '../canvas/Canvas';
import type { PaletteItem } from '../canvas/Canvas';
import { useEditor, useEditorStore } from '../editor-context';
import { categoryColor } from '../theme';

const startDrag = (item: PaletteItem) => (e: DragEvent) => {
  e.dataTransfer.setData(PALETTE_MIME, JSON.stringify(item));
  e.dataTransfer.effectAllowed = 'copy';
};

const matches = (query: string, ...texts: string[]) => {
  const q = query.trim().toLowerCase();
  return q === '' || texts.some((t) => t.toLowerCase().includes(q));
};

/** Node kinds by category and ready-made blocks: drag onto the canvas, or click to add below the selection. */
export function Palette() {
  const store = useEditorStore();
  const [query, setQuery] = useState('');
  const anchor = useEditor((s) => (s.selectedNodes.length === 1 ? s.selectedNodes[0] : undefined));
  const groups = useMemo(
    () =>
      categories
        .map((category) => ({
          category,
          kinds: nodeKinds.filter(
            (d) => d.category === category && matches(query, d.label, d.summary, d.kind),
          ),
        }))
        .filter((g) => g.kinds.length > 0),
    [query],
  );
  const shownBlocks = blocks.filter((b) => matches(query, b.title, b.blurb));

  return (
    <aside className="palette" aria-label="Palette">
      <input
        className="palette-search"
        type="search"
        placeholder="Search layers…"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        aria-label="Search layers"
      />
      <p className="palette-tip">
        {anchor
          ? `Click to add after "${anchor}", or drag onto the canvas.`
          : 'Drag onto the canvas, or click to add.'}
      </p>
      {groups.map(({ category, kinds }) => (
        <section key={category} className="palette-group">
          <h3 style={{ color: categoryColor[category] }}>{category}</h3>
          {kinds.map((d) => (
            <button
              key={d.kind}
              type="button"
              className="palette-item"
              draggable
              onDragStart={startDrag({ type: 'node', kind: d.kind })}
              onClick={() => store.getState().addNode(d.kind, undefined, anchor)}
              data-kind={d.kind}
              title={d.doc}
            >
              <span className="palette-swatch" style={{ background: categoryColor[category] }} />
              <span className="palette-text">
                <strong>{d.label}</strong>
                <small>{d.summary}</small>
              </span>
            </button>
          ))}
        </section>
      ))}
      {shownBlocks.length > 0 && (
        <section className="palette-group">
          <h3>Blocks</h3>
          {shownBlocks.map((b) => (
            <button
              key={b.name}
              type="button"
              className="palette-item"
              draggable
              onDragStart={startDrag({ type: 'block', name: b.name })}
              onClick={() => store.getState().insertBlock(b.name)}
              data-block={b.name}
              title={b.blurb}
            >
              <span className="palette-swatch is-block" />
              <span className="palette-text">
                <strong>{b.title}</strong>
                <small>{b.blurb}</small>
              </span>
            </button>
          ))}
        </section>
      )}
      {groups.length === 0 && shownBlocks.length === 0 && (
        <p className="palette-tip">Nothing matches “{query}”.</p>
      )}
    </aside>
  );
}
