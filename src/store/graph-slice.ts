import { blockDocumentSchema } from '../core/block';
import type { BlockDocument } from '../core/block';
import { checkLink } from '../core/connect';
import type { GraphDocument } from '../core/document';
import { SCHEMA_VERSION } from '../core/document';
import * as groups from '../core/groups';
import * as edit from '../core/edit';
import { NODE_HEIGHT, NODE_WIDTH } from '../core/layout';
import { layoutPositions } from '../core/layout';
import { graphSizeProblem } from '../core/limits';
import { getNodeDef } from '../../nodes';
import { blocks } from '../../templates';
import { analysisOf } from './analysis';
import type { GetState, GraphSlice, SetState, Tracked } from './types';
import type { TemporalState } from 'zundo';

export interface History {
  pause(): void;
  resume(): void;
  /** Records `past` as one undo step and drops the redo stack. */
  push(past: Tracked): void;
}

const GAP = 40;

/** Moves `at` right, a node's width at a time, until it covers no existing node. */
function freeSpot(doc: GraphDocument, at: edit.Position): edit.Position {
  const taken = (p: edit.Position) =>
    doc.nodes.some(
      (n) => Math.abs(n.position.x - p.x) < NODE_WIDTH && Math.abs(n.position.y - p.y) < NODE_HEIGHT,
    );
  let spot = at;
  while (taken(spot)) spot = { x: spot.x + NODE_WIDTH + GAP, y: spot.y };
  return spot;
}

/** Below `id` (beside whatever is already there), or at a default spot when there is no such node. */
function below(doc: GraphDocument, id: string | undefined): edit.Position {
  const node = id === undefined ? undefined : doc.nodes.find((n) => n.id === id);
  if (node !== undefined)
    return freeSpot(doc, { x: node.position.x, y: node.position.y + NODE_HEIGHT + GAP });
  const lowest = Math.max(0, ...doc.nodes.map((n) => n.position.y + NODE_HEIGHT + GAP));
  return { x: 0, y: doc.nodes.length === 0 ? 0 : lowest };
}

function channelsOf(doc: GraphDocument, id: string): number | undefined {
  const r = analysisOf(doc).nodes.get(id);
  return r?.status === 'ok' ? r.shape[r.shape.length - 1] : undefined;
}

const parsedBlocks = new Map<string, BlockDocument>();
function blockNamed(name: string): BlockDocument | undefined {
  if (!parsedBlocks.has(name)) {
    const info = blocks.find((b) => b.name === name);
    const parsed = info && blockDocumentSchema.safeParse(info.block);
    if (parsed?.success) parsedBlocks.set(name, parsed.data as BlockDocument);
  }
  return parsedBlocks.get(name);
}

/**
 * Why `next` may not replace the graph, told to the person, or null when it fits: the editor
 * refuses what the loader would refuse, so an autosave always opens again.
 */
export function overCap(get: GetState, next: GraphDocument, refused: string): string | null {
  const problem = graphSizeProblem(next.nodes.length, next.edges.length);
  if (problem === null) return null;
  const reason = `${refused}: ${problem}.`;
  get().notify(reason, 'error');
  return reason;
}

export function createGraphSlice(
  set: SetState,
  get: GetState,
  history: History,
  initial: GraphDocument,
): GraphSlice {
  let dragOrigin: Tracked | undefined;
  const setDoc = (doc: GraphDocument) => {
    if (doc !== get().doc) set({ doc });
  };

  return {
    doc: initial,

    addNode(kind, position, after) {
      const doc = get().doc;
      const at = position ?? below(doc, after);
      const added = edit.addNode(doc, kind, at);
      if (overCap(get, added.doc, 'Nothing was added') !== null) return null;
      let next = added.doc;
      const def = getNodeDef(kind);
      if (after !== undefined && def !== undefined && def.inputs.max > 0) {
        const link = { source: after, target: added.id, targetHandle: 'in0' };
        if (checkLink(next, analysisOf(next), link).ok) next = edit.connect(next, link).doc;
      }
      if (overCap(get, next, 'Nothing was added') !== null) return null;
      set({ doc: next, selectedNodes: [added.id], selectedEdges: [] });
      return added.id;
    },

    updateParams(id, patch) {
      const result = edit.updateParams(get().doc, id, patch);
      if (!result.ok) return result.message;
      setDoc(result.doc);
      return null;
    },

    setLabel(id, label) {
      setDoc(edit.setLabel(get().doc, id, label));
    },

    checkLink(link) {
      const doc = get().doc;
      return checkLink(doc, analysisOf(doc), link);
    },

    connect(link) {
      const doc = get().doc;
      const check = checkLink(doc, analysisOf(doc), link);
      if (!check.ok) {
        get().notify(check.reason, 'error');
        return check;
      }
      const next = edit.connect(doc, link).doc;
      const refused = overCap(get, next, 'The link was not made');
      if (refused !== null) return { ok: false, reason: refused };
      setDoc(next);
      if (check.replaces !== undefined)
        get().notify(
          `Replaced the link from "${check.replaces.source}" into "${link.target}": an input takes one link.`,
        );
      return check;
    },

    removeNodes(ids) {
      setDoc(edit.removeNodes(get().doc, ids));
    },

    removeEdges(ids) {
      setDoc(edit.removeEdges(get().doc, ids));
    },

    dragNodes(positions, phase) {
      if (dragOrigin === undefined) {
        dragOrigin = { doc: get().doc };
        history.pause();
      }
      setDoc(edit.moveNodes(get().doc, positions));
      if (phase === 'end') {
        history.resume();
        if (get().doc !== dragOrigin.doc) history.push(dragOrigin);
        dragOrigin = undefined;
      }
    },

    replaceGraph(doc, message) {
      set({
        doc,
        selectedNodes: [],
        selectedEdges: [],
        viewRequest: get().viewRequest + 1,
      });
      if (message !== undefined) get().notify(message);
    },

    openImported(doc, weights, message) {
      get().replaceGraph(doc, message);
      if (weights !== null) get().loadWeights(weights.weights, weights.source);
    },

    insertBlock(name, at) {
      const block = blockNamed(name);
      if (block === undefined) return;
      const doc = get().doc;
      const anchor = get().selectedNodes.length === 1 ? get().selectedNodes[0] : undefined;
      const from = anchor === undefined ? undefined : { id: anchor, channels: channelsOf(doc, anchor) };
      const inserted = edit.insertBlock(doc, block, at ?? below(doc, anchor), from);
      if (overCap(get, inserted.doc, 'The block was not inserted') !== null) return;
      set({ doc: inserted.doc, selectedNodes: [inserted.exit], selectedEdges: [] });
    },

    autoLayout(direction) {
      const doc = get().doc;
      const flow = direction ?? doc.direction ?? 'down';
      const moved = edit.moveNodes(doc, layoutPositions(doc, flow));
      let turned = moved;
      if (flow !== (doc.direction ?? 'down')) {
        const { direction: _old, ...rest } = moved;
        turned = flow === 'down' ? rest : { ...rest, direction: flow };
      }
      // Tidy up also frames the result: the old view rarely shows the new arrangement.
      set({ ...(turned === doc ? {} : { doc: turned }), viewRequest: get().viewRequest + 1 });
    },

    renameGraph(name) {
      const doc = get().doc;
      const trimmed = name.trim().slice(0, 200);
      if (trimmed !== '' && trimmed !== doc.name) set({ doc: { ...doc, name: trimmed } });
    },

    newGraph(name) {
      const trimmed = name.trim().slice(0, 200) || 'Untitled';
      get().replaceGraph(
        { schemaVersion: SCHEMA_VERSION, name: trimmed, nodes: [], edges: [] },
        `Started “${trimmed}”. Undo (Ctrl+Z) brings back what you had.`,
      );
    },

    setGroupsCollapsed(ids, collapsed) {
      const doc = get().doc;
      const next = groups.setCollapsed(doc, ids, collapsed);
      if (next === doc) return;
      if (!collapsed) return set({ doc: next });
      // Nodes folded out of sight stop being selected (a Delete must not remove what cannot be
      // seen), unless the whole group was selected: then the card is.
      const index = groups.indexGroups(doc);
      const chosen = new Set(get().selectedNodes);
      const hidden = new Set<string>();
      for (const id of ids) {
        const members = index.members(id);
        if (!members.every((m) => chosen.has(m))) for (const m of members) hidden.add(m);
      }
      const selectedNodes = get().selectedNodes.filter((id) => !hidden.has(id));
      set({ doc: next, ...(selectedNodes.length === chosen.size ? {} : { selectedNodes }) });
    },

    setAllGroupsCollapsed(collapsed) {
      const doc = get().doc;
      setDoc(
        groups.setCollapsed(
          doc,
          groups.groupsOf(doc).map((g) => g.id),
          collapsed,
        ),
      );
    },

    revealNode(id) {
      const doc = get().doc;
      if (!doc.nodes.some((n) => n.id === id)) return;
      const shown = groups.revealNodes(doc, [id]);
      set({ ...(shown === doc ? {} : { doc: shown }), selectedNodes: [id], selectedEdges: [] });
    },

    groupSelection(label) {
      const result = groups.groupNodes(get().doc, get().selectedNodes, label);
      if (!result.ok) return result.reason;
      setDoc(result.doc);
      return null;
    },

    ungroup(id) {
      setDoc(groups.ungroup(get().doc, id));
    },
  };
}

interface TemporalApi {
  getState(): TemporalState<Tracked>;
  setState(s: Partial<TemporalState<Tracked>>): void;
}

/** Adapts zundo's temporal store (reached lazily) to the History the graph slice needs. */
export function historyOf(temporal: () => TemporalApi, limit: number): History {
  return {
    pause: () => temporal().getState().pause(),
    resume: () => temporal().getState().resume(),
    push: (past) => {
      const pastStates = [...temporal().getState().pastStates, past].slice(-limit);
      temporal().setState({ pastStates, futureStates: [] });
    },
  };
}
