import * as edit from '../core/edit';
import { overCap } from './graph-slice';
import type { GetState, SelectionSlice, SetState } from './types';

const PASTE_OFFSET = { x: 40, y: 40 };

export function createSelectionSlice(set: SetState, get: GetState): SelectionSlice {
  return {
    selectedNodes: [],
    selectedEdges: [],
    clipboard: null,

    select(nodes, edges = []) {
      const s = get();
      const same = (a: readonly string[], b: readonly string[]) =>
        a.length === b.length && a.every((x, i) => x === b[i]);
      if (same(nodes, s.selectedNodes) && same(edges, s.selectedEdges)) return;
      set({ selectedNodes: nodes, selectedEdges: edges });
    },

    selectAll() {
      const doc = get().doc;
      set({ selectedNodes: doc.nodes.map((n) => n.id), selectedEdges: doc.edges.map((e) => e.id) });
    },

    copySelection() {
      const { doc, selectedNodes } = get();
      if (selectedNodes.length === 0) return;
      set({ clipboard: edit.copyFragment(doc, selectedNodes) });
      get().notify(`Copied ${selectedNodes.length} node${selectedNodes.length === 1 ? '' : 's'}.`);
    },

    paste() {
      const { clipboard, doc } = get();
      if (clipboard === null || clipboard.nodes.length === 0) return;
      const pasted = edit.pasteFragment(doc, clipboard, PASTE_OFFSET);
      if (overCap(get, pasted.doc, 'Nothing was pasted') !== null) return;
      // Pasting again lands a further step away rather than on top.
      const shifted = {
        nodes: clipboard.nodes.map((n) => ({
          ...n,
          position: { x: n.position.x + PASTE_OFFSET.x, y: n.position.y + PASTE_OFFSET.y },
        })),
        edges: clipboard.edges,
        ...(clipboard.groups === undefined ? {} : { groups: clipboard.groups }),
      };
      set({ doc: pasted.doc, selectedNodes: pasted.ids, selectedEdges: [], clipboard: shifted });
    },

    duplicateSelection() {
      const { doc, selectedNodes } = get();
      if (selectedNodes.length === 0) return;
      const pasted = edit.pasteFragment(doc, edit.copyFragment(doc, selectedNodes), PASTE_OFFSET);
      if (overCap(get, pasted.doc, 'Nothing was duplicated') !== null) return;
      set({ doc: pasted.doc, selectedNodes: pasted.ids, selectedEdges: [] });
    },

    deleteSelection() {
      const { doc, selectedNodes, selectedEdges } = get();
      if (selectedNodes.length === 0 && selectedEdges.length === 0) return;
      const next = edit.removeNodes(edit.removeEdges(doc, selectedEdges), selectedNodes);
      set({ doc: next, selectedNodes: [], selectedEdges: [] });
    },
  };
}
