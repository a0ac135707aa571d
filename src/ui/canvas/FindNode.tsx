import { useMemo, useRef, useState } from 'react';
import { getNodeDef } from '../../../nodes';
import { useEditor } from '../editor-context';
import { useFocusNode } from './useFocusNode';

const MAX_MATCHES = 8;

/** The element the `/` shortcut focuses. */
export const FIND_INPUT_ID = 'find-node';

/**
 * A box that finds a node by id, name or kind (folded away or not), selects it and brings it into
 * view, unfolding its groups.
 */
export function FindNode() {
  const nodes = useEditor((s) => s.doc.nodes);
  const focus = useFocusNode();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const matches = useMemo(() => {
    const q = query.trim().toLowerCase();
    if (q === '') return [];
    const scored: { id: string; label: string; kind: string; score: number }[] = [];
    for (const n of nodes) {
      const kind = getNodeDef(n.kind)?.label ?? n.kind;
      const label = n.label ?? '';
      const fields = [n.id.toLowerCase(), label.toLowerCase(), kind.toLowerCase(), n.kind];
      // Exact id first, then ids and names that start with the text, then any that contain it.
      const score =
        fields[0] === q
          ? 0
          : fields.some((f) => f.startsWith(q))
            ? 1
            : fields.some((f) => f.includes(q))
              ? 2
              : -1;
      if (score >= 0) scored.push({ id: n.id, label, kind, score });
      if (scored.length > 2000) break;
    }
    return scored.sort((a, b) => a.score - b.score).slice(0, MAX_MATCHES);
  }, [nodes, query]);

  const pick = (id: string) => {
    focus(id);
    setOpen(false);
    input.current?.blur();
  };

  return (
    <div className="find-node" role="search">
      <input
        ref={input}
        id={FIND_INPUT_ID}
        type="search"
        placeholder="Find a node… (/)"
        aria-label="Find a node by id, name or kind"
        role="combobox"
        aria-expanded={open && matches.length > 0}
        aria-controls="find-node-results"
        aria-autocomplete="list"
        value={query}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
          setOpen(true);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setActive((a) => Math.min(a + 1, matches.length - 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, 0));
          } else if (e.key === 'Enter') {
            const chosen = matches[active];
            if (chosen !== undefined) pick(chosen.id);
          } else if (e.key === 'Escape') {
            setQuery('');
            input.current?.blur();
          }
        }}
      />
      {open && query.trim() !== '' && (
        <ul className="find-results" id="find-node-results" role="listbox" aria-label="Matching nodes">
          {matches.length === 0 && <li className="find-empty">No node matches “{query.trim()}”.</li>}
          {matches.map((m, i) => (
            <li
              key={m.id}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'is-active' : undefined}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(m.id);
              }}
              onMouseEnter={() => setActive(i)}
            >
              <strong>{m.label || m.id}</strong>
              <small>
                {m.label ? `${m.id} · ` : ''}
                {m.kind}
              </small>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
