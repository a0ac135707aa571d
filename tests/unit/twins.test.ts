import { describe, expect, it } from 'vitest';
import { analyzeGraph } from '../../src/core/analyze';
import { GraphBuilder } from '../../src/core/builder';
import type { GraphDocument } from '../../src/core/document';
import { loadGraph } from '../../src/core/load';
import { modelKey } from '../../src/core/structure';
import { plainTwin, residualTwin } from '../../src/core/twins';
import { findTemplate } from '../../templates';
import { cifarNet } from '../../templates/recipes';

function template(name: string): GraphDocument {
  const loaded = loadGraph(findTemplate(name)!.document);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.doc;
}

const twin = (result: ReturnType<typeof residualTwin>) => {
  if (!result.ok) throw new Error(result.message);
  return result.doc;
};

describe('residual and plain twins', () => {
  it('the residual twin of plain-20 is ResNet-20 exactly, and its plain twin is plain-20', () => {
    const res = twin(residualTwin(template('plain-20')));
    expect(res).toEqual(template('resnet-20'));
    expect(twin(plainTwin(template('resnet-20')))).toEqual(template('plain-20'));
  });

  it('does the same at depth 56 and for the half-width networks on small images', () => {
    expect(twin(residualTwin(template('plain-56')))).toEqual(template('resnet-56'));
    expect(twin(plainTwin(template('resnet-56')))).toEqual(template('plain-56'));
    const small = { size: 16, widths: [8, 16, 32] };
    expect(twin(residualTwin(cifarNet('plain-20', 3, false, small)))).toEqual(
      cifarNet('ResNet-20', 3, true, small),
    );
  });

  it('bridges the Starter CNN: its first conv is the stem, the next two become one block with a stride-4 projection', () => {
    const starter = template('starter-cnn');
    const result = residualTwin(starter);
    if (!result.ok) throw new Error(result.message);
    expect(result.changed).toBe(1);
    const analysis = analyzeGraph(result.doc);
    expect(analysis.valid).toBe(true);
    const proj = result.doc.nodes.find((n) => n.id === 'down2_proj')!;
    expect(proj).toMatchObject({ kind: 'conv', params: { kernel: 1, stride: 4, filters: 64 } });
    // Everything that was there is still there, with the same settings.
    for (const n of starter.nodes)
      expect(result.doc.nodes.find((m) => m.id === n.id)).toMatchObject({ kind: n.kind, params: n.params });
    expect(modelKey(twin(plainTwin(result.doc)))).toBe(modelKey(starter));
  });

  it('says why when there is nothing to add or take away', () => {
    const g = new GraphBuilder('tiny');
    const x = g.node('input', {}, [], { id: 'image' });
    g.node('output', {}, g.node('gap', {}, g.node('conv', {}, x)));
    const doc = g.build();
    expect(residualTwin(doc)).toMatchObject({ ok: false, message: expect.stringContaining('conv') });
    expect(plainTwin(doc)).toMatchObject({ ok: false, message: expect.stringContaining('no skip') });
  });
});
