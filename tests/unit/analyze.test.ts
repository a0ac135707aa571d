import { describe, expect, it } from 'vitest';
import type { NodeResult } from '../../src/core/analyze';
import { analyzeGraph } from '../../src/core/analyze';
import { GraphBuilder } from '../../src/core/builder';
import type { GraphDocument } from '../../src/core/document';

const shapeOf = (r: NodeResult | undefined) => (r?.status === 'ok' ? r.shape : r);
const messageOf = (r: NodeResult | undefined) => (r?.status === 'ok' ? 'ok' : r?.message);

describe('shape inference', () => {
  it('follows a small CNN layer by layer', () => {
    const g = new GraphBuilder('t');
    const x = g.node('input', { height: 32, width: 32, channels: 3 }, [], { id: 'x' });
    const c = g.node('conv', { filters: 16, padding: 'valid' }, x, { id: 'c' });
    const s = g.node('stride2', {}, c, { id: 's' });
    const m = g.node('maxpool', { size: 3, stride: 2, padding: 'same' }, s, { id: 'm' });
    const p = g.node('gap', {}, m, { id: 'p' });
    g.node('output', { classes: 7 }, p, { id: 'o' });
    const a = analyzeGraph(g.build());
    // 32 -valid 3×3-> 30 -stride 2 same-> 15 (channels 2×16) -3×3 s2 same-> 8
    expect(shapeOf(a.nodes.get('c'))).toEqual([30, 30, 16]);
    expect(shapeOf(a.nodes.get('s'))).toEqual([15, 15, 32]);
    expect(shapeOf(a.nodes.get('m'))).toEqual([8, 8, 32]);
    expect(shapeOf(a.nodes.get('p'))).toEqual([32]);
    expect(shapeOf(a.nodes.get('o'))).toEqual([7]);
    expect(a.valid).toBe(true);
    // Closed form: 3·3·3·16+16, 3·3·16·32+32, 32·7+7.
    expect(a.totals.trainable).toBe(448 + 4640 + 231);
  });

  it('explains a kernel that does not fit', () => {
    const g = new GraphBuilder('t');
    const x = g.node('input', { height: 4, width: 4, channels: 3 });
    g.node('conv', { kernel: 7, padding: 'valid' }, x, { id: 'big' });
    expect(messageOf(analyzeGraph(g.build()).nodes.get('big'))).toBe(
      'a 7×7 kernel does not fit the 4×4 input: add padding or use a smaller kernel.',
    );
  });

  it('names both shapes of a mismatched Add and suggests the projection that fixes it', () => {
    const build = (withProjection: boolean): GraphDocument => {
      const g = new GraphBuilder('t');
      const x = g.node('input', { height: 16, width: 16, channels: 3 });
      const a = g.node('conv', { filters: 32 }, x, { id: 'a' });
      const b = g.node('stride2', { filters: 64 }, a, { id: 'b' });
      const shortcut = withProjection ? g.node('stride2', { filters: 64, kernel: 1 }, a, { id: 'proj' }) : a;
      const sum = g.node('add', {}, [b, shortcut], { id: 'sum' });
      const p = g.node('gap', {}, sum);
      g.node('output', {}, p);
      return g.build();
    };
    const broken = analyzeGraph(build(false));
    expect(messageOf(broken.nodes.get('sum'))).toBe(
      'Add needs inputs of one shape, but input 1 is 8×8×64 and input 2 is 16×16×32. Put a 1×1 stride-2 conv with 64 filters on the 16×16×32 branch (the shortcut): it halves H and W and makes 64 channels, so both become 8×8×64.',
    );
    expect(broken.valid).toBe(false);
    const fixed = analyzeGraph(build(true));
    expect(shapeOf(fixed.nodes.get('sum'))).toEqual([8, 8, 64]);
    expect(fixed.valid).toBe(true);
  });

  it('marks what follows an error as waiting, not as a second error', () => {
    const g = new GraphBuilder('t');
    const x = g.node('input', { height: 4, width: 4, channels: 1 });
    const bad = g.node('conv', { kernel: 5, padding: 'valid' }, x, { id: 'bad' });
    const next = g.node('batchnorm', {}, bad, { id: 'next' });
    g.node('output', {}, g.node('flatten', {}, next));
    const a = analyzeGraph(g.build());
    expect(a.nodes.get('bad')?.status).toBe('error');
    expect(a.nodes.get('next')).toEqual({
      status: 'waiting',
      message: 'Waits for "bad", which has no valid output yet.',
    });
  });

  it('tells where flat vectors and images are mixed up', () => {
    const g = new GraphBuilder('t');
    const x = g.node('input', { height: 8, width: 8, channels: 4 });
    g.node('dense', {}, x, { id: 'd' });
    const f = g.node('flatten', {}, x, { id: 'f' });
    g.node('conv', {}, f, { id: 'c' });
    g.node('flatten', {}, f, { id: 'ff' });
    const a = analyzeGraph(g.build());
    expect(messageOf(a.nodes.get('d'))).toBe(
      'Dense needs a flat vector, but its input is 8×8×4. Add a Flatten or a Global average pool before it.',
    );
    expect(messageOf(a.nodes.get('c'))).toMatch(/flat vector of 256. Move it before the Flatten/);
    expect(messageOf(a.nodes.get('ff'))).toMatch(/already a flat vector of 256: remove this Flatten/);
  });

  it('reports a missing input on the node that lacks it', () => {
    const g = new GraphBuilder('t');
    g.node('conv', {}, [], { id: 'lonely' });
    const sum = g.node('add', {}, [g.node('input', {})], { id: 'sum' });
    g.node('output', {}, g.node('gap', {}, sum));
    const a = analyzeGraph(g.build());
    expect(messageOf(a.nodes.get('lonely'))).toBe('Convolution needs an input: connect a link into it.');
    expect(messageOf(a.nodes.get('sum'))).toMatch(/at least two inputs/);
  });

  it('reports graph-level problems: no input, no output, two outputs, a stray node', () => {
    expect(analyzeGraph(new GraphBuilder('empty').build()).issues.map((i) => i.message)).toEqual([
      'The graph has no Input node: add one (under Data) so the images have a way in.',
      'The graph has no Output node: add one (under Data) at the end so the network can give an answer.',
    ]);
    const g = new GraphBuilder('t');
    const x = g.node('input', {});
    const p = g.node('gap', {}, x);
    g.node('output', {}, p, { id: 'o1' });
    g.node('output', {}, p, { id: 'o2' });
    expect(analyzeGraph(g.build()).issues[0]).toMatchObject({ severity: 'error', nodeIds: ['o1', 'o2'] });

    const h = new GraphBuilder('t');
    const y = h.node('input', {});
    h.node('conv', {}, y, { id: 'stray' });
    h.node('output', {}, h.node('gap', {}, y));
    const a = analyzeGraph(h.build());
    expect(a.issues).toEqual([
      {
        severity: 'warning',
        message: 'This node does not lead to the Output, so it will not be part of the model: "stray".',
        nodeIds: ['stray'],
      },
    ]);
    expect(a.valid).toBe(true);
    expect(a.live.has('stray')).toBe(false);
    expect(a.totals.trainable).toBe(3 * 10 + 10); // only gap -> output counts
  });

  it('survives a loop in a document handed to it directly', () => {
    const g = new GraphBuilder('t');
    const x = g.node('input', {});
    const a = g.node('conv', {}, [], { id: 'a' });
    const sum = g.node('add', {}, [x, a], { id: 'sum' });
    g.node('output', {}, g.node('gap', {}, sum));
    const doc = g.build();
    const looped = {
      ...doc,
      edges: [...doc.edges, { id: 'back', source: 'sum', target: 'a', targetHandle: 'in0' }],
    };
    const result = analyzeGraph(looped);
    expect(result.issues[0]?.message).toMatch(/loop through/);
    expect(messageOf(result.nodes.get('a'))).toMatch(/on a loop/);
    expect(result.valid).toBe(false);
  });

  it('refuses stride and dilation together, as tfjs does', () => {
    const g = new GraphBuilder('t');
    g.node('conv', { stride: 2, dilation: 2 }, g.node('input', {}), { id: 'c' });
    expect(messageOf(analyzeGraph(g.build()).nodes.get('c'))).toMatch(
      /cannot combine stride 2 with dilation 2/,
    );
  });

  it('doubles channels for an auto Stride-2 conv', () => {
    const g = new GraphBuilder('t');
    const c = g.node('conv', { filters: 24 }, g.node('input', { height: 9, width: 9, channels: 1 }));
    g.node('stride2', {}, c, { id: 's' });
    expect(shapeOf(analyzeGraph(g.build()).nodes.get('s'))).toEqual([5, 5, 48]);
  });
});
