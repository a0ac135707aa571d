/**
 * Groups: saved with the document and checked on load, folded and unfolded as one undo step,
 * carried by copy and paste, and invisible to everything that builds a model.
 */
import { describe, expect, it } from 'vitest';
import { generateModule } from '../../src/codegen';
import { compileGraph } from '../../src/compile/compile';
import { GraphBuilder } from '../../src/core/builder';
import type { GraphDocument } from '../../src/core/document';
import { CARD_HEIGHT, foldView } from '../../src/core/fold';
import { groupsOf, indexGroups } from '../../src/core/groups';
import { NODE_HEIGHT } from '../../src/core/layout';
import { loadGraph, serializeGraph } from '../../src/core/load';
import { structureKey } from '../../src/core/structure';
import { analysisOf } from '../../src/store/analysis';
import { createEditorStore, redo, undo } from '../../src/store/store';
import { findTemplate } from '../../templates';
import { withCpuBackend } from './support/tf';

withCpuBackend();

function template(name: string): GraphDocument {
  const loaded = loadGraph(findTemplate(name)!.document);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.doc;
}

/** A tiny residual network: image -> [stage [block conv -> add(+image)]] -> pool -> out. */
function tiny(): GraphDocument {
  const g = new GraphBuilder('tiny');
  const x = g.node('input', { height: 8, width: 8, channels: 4 }, [], { id: 'image' });
  const h = g.group('stage', 'Stage', true, () =>
    g.group('block', 'Block', false, () => {
      const c = g.node('conv', { filters: 4 }, x, { id: 'conv' });
      const b = g.node('batchnorm', {}, c, { id: 'bn' });
      return g.node('add', {}, [b, x], { id: 'sum' });
    }),
  );
  const p = g.node('gap', {}, h, { id: 'pool' });
  g.node('output', { classes: 3 }, p, { id: 'out' });
  return g.build();
}

const withoutGroups = (doc: GraphDocument): GraphDocument => {
  const { groups: _g, ...rest } = doc;
  return rest;
};

describe('groups in the saved document', () => {
  it('round-trip through a file, and format-1 files still load', () => {
    const doc = tiny();
    const loaded = loadGraph(serializeGraph(doc));
    expect(loaded.ok && loaded.doc).toEqual(doc);
    const v1 = { ...withoutGroups(doc), schemaVersion: 1 };
    const old = loadGraph(JSON.stringify(v1));
    expect(old.ok).toBe(true);
    if (old.ok) {
      expect(old.doc.schemaVersion).toBe(2);
      expect(old.doc.groups).toBeUndefined();
      expect(old.upgrades).toHaveLength(1);
    }
  });

  const refusal = (mutate: (raw: ReturnType<typeof JSON.parse>) => void): string[] => {
    const raw = JSON.parse(serializeGraph(tiny()));
    mutate(raw);
    const loaded = loadGraph(raw);
    return loaded.ok ? [] : loaded.errors.map((e) => `${e.path}: ${e.message}`);
  };

  it('are checked on load, with the place of each problem', () => {
    expect(refusal((d) => d.groups[1].nodeIds.push('ghost'))).toEqual([
      'groups[1].nodeIds[3]: there is no node "ghost"',
    ]);
    expect(refusal((d) => d.groups[0].nodeIds.push('conv'))).toEqual([
      'groups[1].nodeIds[0]: node "conv" is already in group "stage": a node belongs to one group (groups nest through "parent")',
    ]);
    expect(refusal((d) => (d.groups[0].parent = 'block'))).toEqual([
      'groups[0].parent: the groups sit inside each other in a loop: "stage" → "block" → "stage"',
      'groups[1].parent: the groups sit inside each other in a loop: "block" → "stage" → "block"',
    ]);
    expect(refusal((d) => (d.groups[1].parent = 'nowhere'))).toEqual([
      'groups[1].parent: there is no group "nowhere" to sit in',
      'groups[0]: group "stage" holds no nodes',
    ]);
    expect(refusal((d) => (d.groups[1].id = 'stage'))).toContain(
      'groups[1].id: the id "stage" is used by another group',
    );
    expect(refusal((d) => (d.groups[0].collapsed = 'yes'))).toEqual([
      'groups[0].collapsed: must be true or false',
    ]);
    expect(refusal((d) => (d.groups[1].nodeIds = ['constructor']))).toEqual([
      'groups[1].nodeIds[0]: there is no node "constructor"',
    ]);
  });

  it('refuse nesting deeper than eight', () => {
    const raw = JSON.parse(serializeGraph(tiny()));
    raw.groups = Array.from({ length: 10 }, (_, i) => ({
      id: `g${i}`,
      label: `${i}`,
      ...(i > 0 ? { parent: `g${i - 1}` } : {}),
      nodeIds: i === 9 ? ['conv'] : [],
      collapsed: false,
    }));
    const loaded = loadGraph(raw);
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.errors[0]!.message).toMatch(/nested more than 8 groups deep/);
  });
});

describe('folding in the editor', () => {
  it('unfolds and folds as undo steps that round-trip exactly, without touching the analysis', () => {
    const store = createEditorStore(template('resnet-20'));
    const folded = store.getState().doc;
    const analysis = analysisOf(folded);
    expect(groupsOf(folded).find((g) => g.id === 'stage1')!.collapsed).toBe(true);

    store.getState().setGroupsCollapsed(['stage1'], false);
    const open = store.getState().doc;
    expect(groupsOf(open).find((g) => g.id === 'stage1')!.collapsed).toBe(false);
    expect(analysisOf(open)).toBe(analysis);
    expect(structureKey(open)).toBe(structureKey(folded));

    undo(store);
    expect(store.getState().doc).toBe(folded);
    redo(store);
    expect(store.getState().doc).toBe(open);
    expect(store.temporal.getState().pastStates).toHaveLength(1);
  });

  it('finding a folded node unfolds what hides it and selects it', () => {
    const store = createEditorStore(template('resnet-34'));
    store.getState().setAllGroupsCollapsed(true);
    store.getState().revealNode('layer3_4_conv2');
    const s = store.getState();
    expect(s.selectedNodes).toEqual(['layer3_4_conv2']);
    const open = new Set(
      groupsOf(s.doc)
        .filter((g) => !g.collapsed)
        .map((g) => g.id),
    );
    expect(open).toEqual(new Set(['layer3', 'layer3_4']));
    expect(foldView(s.doc).positions.has('layer3_4_conv2')).toBe(true);
    undo(store);
    expect(foldView(store.getState().doc).positions.has('layer3_4_conv2')).toBe(false);
  });

  it('copy and paste of a folded group copies its nodes and the group, with fresh ids', () => {
    const store = createEditorStore(tiny());
    const members = indexGroups(store.getState().doc).members('stage');
    expect(members).toEqual(['conv', 'bn', 'sum']);
    store.getState().select(members);
    store.getState().copySelection();
    store.getState().paste();
    const doc = store.getState().doc;
    expect(doc.nodes.map((n) => n.id)).toEqual([
      'image',
      'conv',
      'bn',
      'sum',
      'pool',
      'out',
      'conv_1',
      'batchnorm_1',
      'add_1',
    ]);
    expect(groupsOf(doc).slice(2)).toEqual([
      { id: 'stage_1', label: 'Stage', nodeIds: [], collapsed: true },
      {
        id: 'block_1',
        label: 'Block',
        parent: 'stage_1',
        nodeIds: ['conv_1', 'batchnorm_1', 'add_1'],
        collapsed: false,
      },
    ]);
    // The links among the copied nodes came along; the one from outside (image -> sum) did not.
    expect(doc.edges.filter((e) => e.target === 'add_1').map((e) => e.source)).toEqual(['batchnorm_1']);
    const loaded = loadGraph(serializeGraph(doc));
    expect(loaded.ok).toBe(true);
    undo(store);
    expect(groupsOf(store.getState().doc)).toHaveLength(2);
  });

  it('copying part of a group copies the nodes without the group', () => {
    const store = createEditorStore(tiny());
    store.getState().select(['conv', 'bn']);
    store.getState().duplicateSelection();
    expect(groupsOf(store.getState().doc)).toHaveLength(2);
    expect(store.getState().doc.nodes).toHaveLength(8);
  });

  it('deleting every node of a group removes the group, and the stage that held only it', () => {
    const store = createEditorStore(tiny());
    store.getState().select(['conv', 'bn']);
    store.getState().deleteSelection();
    expect(groupsOf(store.getState().doc).map((g) => [g.id, g.nodeIds])).toEqual([
      ['stage', []],
      ['block', ['sum']],
    ]);
    store.getState().select(['sum']);
    store.getState().deleteSelection();
    expect(store.getState().doc.groups).toBeUndefined();
    expect(loadGraph(serializeGraph(store.getState().doc)).ok).toBe(true);
  });

  it('groups a selection, refuses half a group, and ungroups', () => {
    const store = createEditorStore(tiny());
    store.getState().select(['pool', 'out']);
    expect(store.getState().groupSelection('Head')).toBeNull();
    const head = groupsOf(store.getState().doc).find((g) => g.label === 'Head')!;
    expect(head).toEqual({ id: 'group_1', label: 'Head', nodeIds: ['pool', 'out'], collapsed: false });
    store.getState().select(['bn', 'pool']);
    expect(store.getState().groupSelection('Mixed')).toMatch(/only partly selected/);
    store.getState().ungroup('stage');
    expect(groupsOf(store.getState().doc).find((g) => g.id === 'block')!.parent).toBeUndefined();
    expect(loadGraph(serializeGraph(store.getState().doc)).ok).toBe(true);
  });

  it('a palette block arrives as a group of its own', () => {
    const store = createEditorStore(tiny());
    store.getState().select(['pool']);
    store.getState().insertBlock('residual-block');
    const added = groupsOf(store.getState().doc).at(-1)!;
    expect(added.label).toBe('Residual block');
    expect(added.nodeIds).toHaveLength(7);
  });
});

describe('what compiles ignores groups', () => {
  it('codegen and the compiled model are the same with the groups folded, unfolded or gone', () => {
    const folded = template('resnet-20');
    const store = createEditorStore(folded);
    store.getState().setAllGroupsCollapsed(false);
    const open = store.getState().doc;
    const code = (doc: GraphDocument) => {
      const r = generateModule(doc);
      if (!r.ok) throw new Error('codegen failed');
      return r.code;
    };
    expect(code(open)).toBe(code(folded));
    expect(code(withoutGroups(folded))).toBe(code(folded));
    const a = compileGraph(folded);
    const b = compileGraph(withoutGroups(folded));
    if (!a.ok || !b.ok) throw new Error('compile failed');
    expect(a.compiled.model.countParams()).toBe(b.compiled.model.countParams());
    expect(a.compiled.model.layers.map((l) => l.name)).toEqual(b.compiled.model.layers.map((l) => l.name));
    a.compiled.model.dispose();
    b.compiled.model.dispose();
  });
});

describe('the folded view', () => {
  it('draws a folded stage as one card and moves what follows up by the space it freed', () => {
    const doc = tiny();
    const saved = new Map(doc.nodes.map((n) => [n.id, n.position]));
    const view = foldView(doc);
    expect([...view.positions.keys()]).toEqual(['image', 'pool', 'out']);
    const card = view.cards[0]!;
    expect(card.group.id).toBe('stage');
    expect(card.members).toEqual(['conv', 'bn', 'sum']);
    expect(card.position).toEqual(saved.get('conv'));
    const freed = saved.get('sum')!.y + NODE_HEIGHT - saved.get('conv')!.y - CARD_HEIGHT;
    expect(view.positions.get('pool')!.y).toBe(saved.get('pool')!.y - freed);
    // Dragging maps back: a point drawn below the card is saved below the stage.
    expect(view.toSaved(view.positions.get('out')!)).toEqual(saved.get('out'));
    expect(view.cardOf.get('bn')).toBe('stage');
  });

  it('unfolded, nothing moves and each group gets a bracket beside its nodes', () => {
    const store = createEditorStore(tiny());
    store.getState().setAllGroupsCollapsed(false);
    const doc = store.getState().doc;
    const view = foldView(doc);
    for (const n of doc.nodes) expect(view.positions.get(n.id)).toEqual(n.position);
    expect(view.cards).toEqual([]);
    const [stage, block] = view.brackets;
    expect(stage!.group.id).toBe('stage');
    expect(block!.group.id).toBe('block');
    expect(stage!.box.x + stage!.box.width).toBeLessThan(block!.box.x);
    expect(block!.box.x + block!.box.width).toBeLessThan(
      Math.min(...['conv', 'bn', 'sum'].map((id) => view.positions.get(id)!.x)),
    );
  });
});

describe('selection and folding', () => {
  it('folding a group drops its nodes from the selection, unless all of them were chosen', () => {
    const store = createEditorStore(tiny());
    store.getState().setAllGroupsCollapsed(false);
    store.getState().select(['bn', 'pool']);
    store.getState().setGroupsCollapsed(['stage'], true);
    expect(store.getState().selectedNodes).toEqual(['pool']);
    store.getState().setGroupsCollapsed(['stage'], false);
    store.getState().select(['conv', 'bn', 'sum']);
    store.getState().setGroupsCollapsed(['block'], true);
    expect(store.getState().selectedNodes).toEqual(['conv', 'bn', 'sum']);
  });
});
