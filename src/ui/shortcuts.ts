import { useEffect } from 'react';
import { indexGroups } from '../core/groups';
import type { EditorStore } from '../store/store';
import { redo, undo } from '../store/store';
import { FIND_INPUT_ID } from './canvas/FindNode';

export interface ShortcutContext {
  readonly store: EditorStore;
  fitView(): void;
}

interface Shortcut {
  /** As shown in the help overlay. */
  readonly keys: string;
  readonly what: string;
  match(e: KeyboardEvent): boolean;
  run(c: ShortcutContext): void;
}

const mod = (e: KeyboardEvent) => e.ctrlKey || e.metaKey;
const plain = (e: KeyboardEvent) => !e.ctrlKey && !e.metaKey && !e.altKey;

/** Every keyboard shortcut, in the order the help overlay lists them. */
export const shortcuts: readonly Shortcut[] = [
  {
    keys: 'Ctrl/⌘ Z',
    what: 'Undo',
    match: (e) => mod(e) && !e.shiftKey && e.key.toLowerCase() === 'z',
    run: (c) => undo(c.store),
  },
  {
    keys: 'Shift Ctrl/⌘ Z  or  Ctrl Y',
    what: 'Redo',
    match: (e) => mod(e) && ((e.shiftKey && e.key.toLowerCase() === 'z') || e.key.toLowerCase() === 'y'),
    run: (c) => redo(c.store),
  },
  {
    keys: 'Ctrl/⌘ C',
    what: 'Copy the selected nodes',
    match: (e) => mod(e) && e.key.toLowerCase() === 'c',
    run: (c) => c.store.getState().copySelection(),
  },
  {
    keys: 'Ctrl/⌘ V',
    what: 'Paste',
    match: (e) => mod(e) && e.key.toLowerCase() === 'v',
    run: (c) => c.store.getState().paste(),
  },
  {
    keys: 'Ctrl/⌘ D',
    what: 'Duplicate the selection',
    match: (e) => mod(e) && e.key.toLowerCase() === 'd',
    run: (c) => c.store.getState().duplicateSelection(),
  },
  {
    keys: 'Ctrl/⌘ A',
    what: 'Select everything',
    match: (e) => mod(e) && e.key.toLowerCase() === 'a',
    run: (c) => c.store.getState().selectAll(),
  },
  {
    keys: 'Delete  or  Backspace',
    what: 'Delete the selection',
    match: (e) => plain(e) && (e.key === 'Delete' || e.key === 'Backspace'),
    run: (c) => c.store.getState().deleteSelection(),
  },
  {
    keys: 'Ctrl/⌘ G',
    what: 'Group the selected nodes (a group folds into one card)',
    match: (e) => mod(e) && !e.shiftKey && e.key.toLowerCase() === 'g',
    run: (c) => {
      const s = c.store.getState();
      const refused = s.groupSelection('Group');
      if (refused !== null) s.notify(refused, 'error');
    },
  },
  {
    keys: 'Shift Ctrl/⌘ G',
    what: 'Ungroup the selected group (its nodes stay)',
    match: (e) => mod(e) && e.shiftKey && e.key.toLowerCase() === 'g',
    run: (c) => {
      const s = c.store.getState();
      const first = s.selectedNodes[0];
      if (first === undefined) return;
      // The largest group wholly selected (a folded card's own group), else the one around the node.
      const index = indexGroups(s.doc);
      const chosen = new Set(s.selectedNodes);
      const around = index.groupsAround(first);
      const whole = [...around].reverse().find((g) => index.members(g).every((id) => chosen.has(id)));
      const target = whole ?? around[0];
      if (target !== undefined) s.ungroup(target);
    },
  },
  {
    keys: '/',
    what: 'Find a node by id, name or kind',
    match: (e) => plain(e) && e.key === '/',
    run: () => document.getElementById(FIND_INPUT_ID)?.focus(),
  },
  {
    keys: 'M',
    what: 'Show or hide the overview map',
    match: (e) => plain(e) && e.key.toLowerCase() === 'm',
    run: (c) => c.store.getState().setPanels({ minimap: !c.store.getState().panels.minimap }),
  },
  {
    keys: 'L',
    what: 'Tidy up: lay the graph out again and frame it',
    match: (e) => plain(e) && e.key.toLowerCase() === 'l',
    run: (c) => c.store.getState().autoLayout(),
  },
  {
    keys: 'F',
    what: 'Fit the graph in view',
    match: (e) => plain(e) && e.key.toLowerCase() === 'f',
    run: (c) => c.fitView(),
  },
  {
    keys: 'C',
    what: 'Show or hide the generated TypeScript code',
    match: (e) => plain(e) && e.key.toLowerCase() === 'c',
    run: (c) => c.store.getState().setCodeOpen(!c.store.getState().codeOpen),
  },
  {
    keys: '?',
    what: 'Show or hide this help',
    match: (e) => e.key === '?',
    run: (c) => c.store.getState().setHelpOpen(!c.store.getState().helpOpen),
  },
  {
    keys: 'Esc',
    what: 'Close dialogs, clear the selection',
    match: (e) => e.key === 'Escape',
    run: (c) => {
      const s = c.store.getState();
      if (s.helpOpen) s.setHelpOpen(false);
      else if (s.importErrors) s.closeImportErrors();
      else s.select([]);
    },
  },
];

const typingInto = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

/** Listens for the shortcuts on the whole page, except while typing in a field. */
export function useShortcuts(context: ShortcutContext): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (typingInto(e.target) && e.key !== 'Escape') return;
      const shortcut = shortcuts.find((s) => s.match(e));
      if (shortcut === undefined) return;
      e.preventDefault();
      shortcut.run(context);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [context]);
}
