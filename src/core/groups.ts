/**
 * Groups of nodes (a residual block, a stage of blocks): checking them on load, finding what they
 * hold, and the pure edits that keep them consistent when nodes come and go. Groups never change
 * what compiles; they only change how the graph is shown.
 */
import type { GraphDocument, GraphGroup } from './document';
import type { DocError } from './issues';

/** Blocks inside stages inside sections: deeper nesting than this is refused on load. */
export const MAX_GROUP_DEPTH = 8;

export const groupsOf = (doc: { readonly groups?: readonly GraphGroup[] }): readonly GraphGroup[] =>
  doc.groups ?? [];

/** Located problems with a document's groups; `nodeIds` are the document's node ids. */
export function checkGroups(
  nodeIds: ReadonlySet<string>,
  groups: readonly GraphGroup[],
  errors: DocError[],
): void {
  const byId = new Map<string, number>();
  groups.forEach((g, i) => {
    if (byId.has(g.id))
      errors.push({ path: `groups[${i}].id`, message: `the id "${g.id}" is used by another group` });
    else byId.set(g.id, i);
  });
  const owner = new Map<string, string>();
  const hasChild = new Set<string>();
  groups.forEach((g, i) => {
    if (g.parent !== undefined) {
      if (g.parent === g.id)
        errors.push({ path: `groups[${i}].parent`, message: `group "${g.id}" cannot sit inside itself` });
      else if (!byId.has(g.parent))
        errors.push({ path: `groups[${i}].parent`, message: `there is no group "${g.parent}" to sit in` });
      else hasChild.add(g.parent);
    }
    g.nodeIds.forEach((id, j) => {
      const at = { path: `groups[${i}].nodeIds[${j}]`, nodeId: id };
      if (!nodeIds.has(id)) errors.push({ ...at, message: `there is no node "${id}"` });
      else if (owner.has(id))
        errors.push({
          ...at,
          message: `node "${id}" is already in group "${owner.get(id)}": a node belongs to one group (groups nest through "parent")`,
        });
      else owner.set(id, g.id);
    });
  });
  groups.forEach((g, i) => {
    if (g.nodeIds.length === 0 && !hasChild.has(g.id))
      errors.push({ path: `groups[${i}]`, message: `group "${g.id}" holds no nodes` });
  });
  // Parent chains: no loops, bounded depth. Each chain is walked at most MAX_GROUP_DEPTH + 1 steps.
  groups.forEach((g, i) => {
    const chain = [g.id];
    let parent = g.parent;
    while (parent !== undefined && parent !== g.id && chain.length <= MAX_GROUP_DEPTH) {
      const at = byId.get(parent);
      if (at === undefined) return;
      chain.push(parent);
      parent = groups[at]!.parent;
    }
    if (parent === g.id && chain.length > 1)
      errors.push({
        path: `groups[${i}].parent`,
        message: `the groups sit inside each other in a loop: ${[...chain, g.id].map((id) => `"${id}"`).join(' → ')}`,
      });
    else if (chain.length > MAX_GROUP_DEPTH)
      errors.push({
        path: `groups[${i}].parent`,
        message: `group "${g.id}" is nested more than ${MAX_GROUP_DEPTH} groups deep`,
      });
  });
}

/** Lookups over a document's groups. */
export interface GroupIndex {
  readonly byId: ReadonlyMap<string, GraphGroup>;
  /** The group each grouped node is a direct member of. */
  readonly ownerOf: ReadonlyMap<string, string>;
  readonly children: ReadonlyMap<string, readonly string[]>;
  /** Every node inside a group, nested groups included, in document order. */
  members(groupId: string): readonly string[];
  /** The groups around a node, innermost first. */
  groupsAround(nodeId: string): readonly string[];
  /** Groups around a group, innermost first (not the group itself). */
  ancestors(groupId: string): readonly string[];
}

const indexCache = new WeakMap<readonly GraphGroup[], GroupIndex>();

export function indexGroups(doc: GraphDocument): GroupIndex {
  const groups = groupsOf(doc);
  const cached = indexCache.get(groups);
  if (cached !== undefined) return cached;
  const byId = new Map(groups.map((g) => [g.id, g]));
  const ownerOf = new Map<string, string>();
  const children = new Map<string, string[]>();
  for (const g of groups) {
    for (const id of g.nodeIds) ownerOf.set(id, g.id);
    if (g.parent !== undefined && byId.has(g.parent)) {
      const list = children.get(g.parent) ?? [];
      list.push(g.id);
      children.set(g.parent, list);
    }
  }
  const ancestors = (groupId: string): string[] => {
    const out: string[] = [];
    let parent = byId.get(groupId)?.parent;
    while (parent !== undefined && byId.has(parent) && !out.includes(parent) && parent !== groupId) {
      out.push(parent);
      parent = byId.get(parent)!.parent;
    }
    return out;
  };
  const memberCache = new Map<string, readonly string[]>();
  let order: Map<string, number> | undefined;
  const index: GroupIndex = {
    byId,
    ownerOf,
    children,
    members(groupId) {
      let found = memberCache.get(groupId);
      if (found === undefined) {
        order ??= new Map(doc.nodes.map((n, i) => [n.id, i]));
        const rank = order;
        const seen = new Set<string>();
        const stack = [groupId];
        const list: string[] = [];
        while (stack.length > 0) {
          const id = stack.pop()!;
          if (seen.has(id)) continue;
          seen.add(id);
          list.push(...(byId.get(id)?.nodeIds ?? []));
          stack.push(...(children.get(id) ?? []));
        }
        found = list.sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0));
        memberCache.set(groupId, found);
      }
      return found;
    },
    groupsAround(nodeId) {
      const owner = ownerOf.get(nodeId);
      return owner === undefined ? [] : [owner, ...ancestors(owner)];
    },
    ancestors,
  };
  indexCache.set(groups, index);
  return index;
}

const withGroups = (doc: GraphDocument, groups: readonly GraphGroup[]): GraphDocument => {
  if (groups.length > 0) return { ...doc, groups };
  const { groups: _none, ...rest } = doc;
  return rest;
};

/** Folds or unfolds groups; returns `doc` itself when nothing changes. */
export function setCollapsed(doc: GraphDocument, ids: Iterable<string>, collapsed: boolean): GraphDocument {
  const chosen = new Set(ids);
  const groups = groupsOf(doc);
  if (!groups.some((g) => chosen.has(g.id) && g.collapsed !== collapsed)) return doc;
  return withGroups(
    doc,
    groups.map((g) => (chosen.has(g.id) && g.collapsed !== collapsed ? { ...g, collapsed } : g)),
  );
}

/** Unfolds every group around the given nodes, so they show on the canvas. */
export function revealNodes(doc: GraphDocument, nodeIds: Iterable<string>): GraphDocument {
  const index = indexGroups(doc);
  const around = new Set<string>();
  for (const id of nodeIds) for (const g of index.groupsAround(id)) around.add(g);
  return setCollapsed(doc, around, false);
}

/** Takes removed nodes out of their groups; a group left with nothing in it goes too. */
export function pruneGroups(doc: GraphDocument, removed: ReadonlySet<string>): GraphDocument {
  const groups = groupsOf(doc);
  if (groups.length === 0) return doc;
  let next = groups.map((g) =>
    g.nodeIds.some((id) => removed.has(id))
      ? { ...g, nodeIds: g.nodeIds.filter((id) => !removed.has(id)) }
      : g,
  );
  // Emptied groups go, then parents that only held them, and so on up.
  for (;;) {
    const parents = new Set(next.map((g) => g.parent));
    const kept = next.filter((g) => g.nodeIds.length > 0 || parents.has(g.id));
    if (kept.length === next.length) break;
    next = kept;
  }
  const same = next.length === groups.length && next.every((g, i) => g === groups[i]);
  return same ? doc : withGroups(doc, next);
}

/** The groups wholly inside a set of nodes, for copying; a parent left behind is dropped. */
export function groupsWithin(doc: GraphDocument, nodeIds: ReadonlySet<string>): GraphGroup[] {
  const index = indexGroups(doc);
  const inside = groupsOf(doc).filter((g) => index.members(g.id).every((id) => nodeIds.has(id)));
  const kept = new Set(inside.map((g) => g.id));
  return inside.map((g) => {
    if (g.parent === undefined || kept.has(g.parent)) return g;
    const { parent: _outside, ...rest } = g;
    return rest;
  });
}

/** The first free id of the form `<base>_<n>` among a document's groups and `taken`. */
export function nextGroupId(
  doc: GraphDocument,
  base: string,
  taken: ReadonlySet<string> = new Set(),
): string {
  const used = new Set(groupsOf(doc).map((g) => g.id));
  const stem = base.replace(/_\d+$/, '').slice(0, 56) || 'group';
  for (let n = 1; ; n++) {
    const id = `${stem}_${n}`;
    if (!used.has(id) && !taken.has(id)) return id;
  }
}

/**
 * Adds groups (from a copy) with fresh ids, their nodes renamed by `rename`; returns the document and
 * the map from old to new group ids.
 */
export function addGroups(
  doc: GraphDocument,
  groups: readonly GraphGroup[],
  rename: ReadonlyMap<string, string>,
): GraphDocument {
  if (groups.length === 0) return doc;
  const fresh = new Map<string, string>();
  const taken = new Set<string>();
  for (const g of groups) {
    const id = nextGroupId(doc, g.id, taken);
    taken.add(id);
    fresh.set(g.id, id);
  }
  const added = groups.map((g): GraphGroup => {
    const parent = g.parent === undefined ? undefined : fresh.get(g.parent);
    return {
      id: fresh.get(g.id)!,
      label: g.label,
      ...(parent === undefined ? {} : { parent }),
      nodeIds: g.nodeIds.flatMap((id) => {
        const renamed = rename.get(id);
        return renamed === undefined ? [] : [renamed];
      }),
      collapsed: g.collapsed,
    };
  });
  return withGroups(doc, [...groupsOf(doc), ...added]);
}

export type GroupResult =
  | { readonly ok: true; readonly doc: GraphDocument; readonly id: string }
  | { readonly ok: false; readonly reason: string };

/**
 * Makes a new group of the given nodes. It sits in the innermost group around all of them; a group
 * nested there is taken in whole (all of its nodes chosen) or not at all.
 */
export function groupNodes(
  doc: GraphDocument,
  nodeIds: readonly string[],
  label: string,
  base = 'group',
): GroupResult {
  const known = new Set(doc.nodes.map((n) => n.id));
  const chosen = [...new Set(nodeIds)].filter((id) => known.has(id));
  if (chosen.length === 0) return { ok: false, reason: 'Select the nodes to group first.' };
  const index = indexGroups(doc);
  // Each node's groups, outermost first; the common start is where the new group goes.
  const chains = chosen.map((id) => [...index.groupsAround(id)].reverse());
  let shared = 0;
  while (chains.every((c) => c.length > shared && c[shared] === chains[0]![shared])) shared++;
  const parent = shared === 0 ? undefined : chains[0]![shared - 1];
  const picked = new Set(chosen);
  const direct: string[] = [];
  const nested = new Set<string>();
  for (const [k, id] of chosen.entries()) {
    const inner = chains[k]![shared];
    if (inner === undefined) direct.push(id);
    else if (index.members(inner).every((m) => picked.has(m))) nested.add(inner);
    else
      return {
        ok: false,
        reason: `"${id}" is in the group "${index.byId.get(inner)!.label}", which is only partly selected: select all of it or none.`,
      };
  }
  if (parent !== undefined && direct.length === 0 && nested.size === 0)
    return { ok: false, reason: 'These nodes already form a group.' };
  const id = nextGroupId(doc, base);
  const group: GraphGroup = {
    id,
    label: label.trim().slice(0, 200) || 'Group',
    ...(parent === undefined ? {} : { parent }),
    nodeIds: direct,
    collapsed: false,
  };
  const moved = new Set(direct);
  const next = groupsOf(doc).map((g): GraphGroup => {
    if (nested.has(g.id)) return { ...g, parent: id };
    if (g.nodeIds.some((m) => moved.has(m))) return { ...g, nodeIds: g.nodeIds.filter((m) => !moved.has(m)) };
    return g;
  });
  return { ok: true, doc: pruneGroups(withGroups(doc, [...next, group]), new Set()), id };
}

/** Removes a group but keeps its nodes: they (and nested groups) move to the group around it. */
export function ungroup(doc: GraphDocument, groupId: string): GraphDocument {
  const groups = groupsOf(doc);
  const gone = groups.find((g) => g.id === groupId);
  if (gone === undefined) return doc;
  const next = groups
    .filter((g) => g !== gone)
    .map((g): GraphGroup => {
      if (g.id === gone.parent) return { ...g, nodeIds: [...g.nodeIds, ...gone.nodeIds] };
      if (g.parent !== groupId) return g;
      const { parent: _gone, ...rest } = g;
      return gone.parent === undefined ? rest : { ...rest, parent: gone.parent };
    });
  return withGroups(doc, next);
}
