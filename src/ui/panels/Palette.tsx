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

interface EntryProps {
  readonly item: PaletteItem;
  readonly title: string;
  readonly summary: string;
  readonly tooltip: string;
  /** The category colour, or null for a block (striped swatch). */
  readonly swatch: string | null;
  onAdd(): void;
}

function PaletteEntry({ item, title, summary, tooltip, swatch, onAdd }: EntryProps) {
  return (
    <button
      type="button"
      className="palette-item"
      draggable
      onDragStart={startDrag(item)}
      onClick={onAdd}
      {...(item.type === 'node' ? { 'data-kind': item.kind } : { 'data-block': item.name })}
      title={tooltip}
    >
      <span
        className={`palette-swatch${swatch === null ? ' is-block' : ''}`}
        style={swatch === null ? undefined : { background: swatch }}
      />
      <span className="palette-text">
        <strong>{title}</strong>
        <small>{summary}</small>
      </span>
    </button>
  );
}

const matches = (query: string, ...texts: string[]) => {
  const q = query.trim().toLowerCase();
  return q === '' || texts.some((t) => t.toLowerCase().includes(q));
};

/** Node kinds by category and ready-made blocks: drag onto the canvas, or click to add below the selection. */
export function Palette({ onFold }: { onFold(): void }) {
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
      <div className="palette-head">
        <input
          className="palette-search"
          type="search"
          placeholder="Search layers…"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          aria-label="Search layers"
        />
        <button
          type="button"
          className="panel-fold"
          onClick={onFold}
          aria-label="Hide the palette"
          title="Hide the palette (more room for the canvas)"
        >
          ‹
        </button>
      </div>
      <p className="palette-tip">
        {anchor
          ? `Click to add after "${anchor}", or drag onto the canvas.`
          : 'Drag onto the canvas, or click to add.'}
      </p>
      {groups.map(({ category, kinds }) => (
        <section key={category} className="palette-group">
          <h3 style={{ color: categoryColor[category] }}>{category}</h3>
          {kinds.map((d) => (
            <PaletteEntry
              key={d.kind}
              item={{ type: 'node', kind: d.kind }}
              title={d.label}
              summary={d.summary}
              tooltip={d.doc}
              swatch={categoryColor[category]}
              onAdd={() => store.getState().addNode(d.kind, undefined, anchor)}
            />
          ))}
        </section>
      ))}
      {shownBlocks.length > 0 && (
        <section className="palette-group">
          <h3>Blocks</h3>
          {shownBlocks.map((b) => (
            <PaletteEntry
              key={b.name}
              item={{ type: 'block', name: b.name }}
              title={b.title}
              summary={b.blurb}
              tooltip={b.blurb}
              swatch={null}
              onAdd={() => store.getState().insertBlock(b.name)}
            />
          ))}
        </section>
      )}
      {groups.length === 0 && shownBlocks.length === 0 && (
        <p className="palette-tip">Nothing matches “{query}”.</p>
      )}
    </aside>
  );
}
