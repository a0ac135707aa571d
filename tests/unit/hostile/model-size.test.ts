/**
 * Models too big to build: channels doubled past any sense, layers with billions of weights, and
 * outputs of gigabytes per image. Each is refused by the analysis with the numbers, so the editor,
 * the compiler, the code generator and the CLI refuse it before anything is compiled; the
 * templates, the biggest real networks here, stay well inside.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main';
import { generateModule } from '../../../src/codegen';
import { compileGraph } from '../../../src/compile/compile';
import { analysisErrors, analyzeGraph } from '../../../src/core/analyze';
import { GraphBuilder } from '../../../src/core/builder';
import type { GraphDocument } from '../../../src/core/document';
import { MAX_ACTIVATION_BYTES, MAX_WEIGHT_BYTES } from '../../../src/core/limits';
import { loadGraph } from '../../../src/core/load';
import { templates } from '../../../templates';
import { withCpuBackend } from '../support/tf';

withCpuBackend();

const tmp = mkdtempSync(join(tmpdir(), 'convcanvas-size-'));

/** A 1×1×1 input through `n` stride-2 convs with automatic filters (each doubles the channels). */
function doublings(n: number): GraphDocument {
  const g = new GraphBuilder('doublings');
  let x = g.node('input', { height: 1, width: 1, channels: 1 }, [], { id: 'image' });
  for (let i = 1; i <= n; i++) x = g.node('stride2', {}, x, { id: `s${i}` });
  g.node('output', { classes: 10 }, g.node('gap', {}, x, { id: 'pool' }), { id: 'out' });
  return g.build();
}

const errorOf = (doc: GraphDocument, id: string): string | undefined => {
  const r = analyzeGraph(doc).nodes.get(id);
  return r?.status === 'error' ? r.message : undefined;
};

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('automatic filters', () => {
  const doc = doublings(40);
  const capped =
    'Filters on auto would double the 2,048 input channels to 4,096, more than the 2,048 a convolution may have: set filters to a number (at most 2,048).';

  it('stop doubling at the filter limit, in plain words, at the node that would pass it', () => {
    const analysis = analyzeGraph(doc);
    expect(analysis.valid).toBe(false);
    for (let i = 1; i <= 11; i++) expect(analysis.nodes.get(`s${i}`)?.status).toBe('ok');
    expect(errorOf(doc, 's12')).toBe(capped);
    expect(analysis.nodes.get('s13')?.status).toBe('waiting');
    // Before the limit, the 40 layers counted 7.25e24 parameters; now nothing past s11 counts.
    expect(analysis.totals.trainable).toBeLessThan(MAX_WEIGHT_BYTES / 4);
  });

  it('are refused by the compiler and the code generator before any layer is built', () => {
    const compiled = compileGraph(doc);
    expect(compiled.ok).toBe(false);
    if (!compiled.ok) expect(compiled.errors).toContainEqual({ nodeId: 's12', message: capped });
    const code = generateModule(doc);
    expect(code.ok).toBe(false);
    if (!code.ok) expect(code.errors).toContainEqual({ nodeId: 's12', message: capped });
  });

  it('are refused by the CLI: summary and train exit 1 with the node named, before training', async () => {
    const file = join(tmp, 'doublings.json');
    writeFileSync(file, JSON.stringify(doc));
    const summary = await cli('summary', file);
    expect(summary.code).toBe(1);
    expect(summary.out).toContain(`error in s12: ${capped}`);
    const train = await cli('train', file, '--epochs', '1', '--train-images', '64', '--val-images', '20');
    expect(train.code).toBe(1);
    expect(train.err).toBe(`The graph cannot be trained:\n  s12: ${capped}`);
    expect(train.out).toBe('');
  });
});

describe('outputs too big for one image', () => {
  /** A 4×4×1 input whose channels double `n` times by concatenating a node with itself. */
  function selfConcats(n: number): GraphDocument {
    const g = new GraphBuilder('concats');
    let x = g.node('input', { height: 4, width: 4, channels: 1 }, [], { id: 'image' });
    for (let i = 1; i <= n; i++) x = g.node('concat', {}, [x, x], { id: `c${i}` });
    g.node('output', { classes: 2 }, g.node('gap', {}, x, { id: 'pool' }), { id: 'out' });
    return g.build();
  }

  it('are refused at the node, as too large (not too small), with the size', () => {
    // 2^53 channels used to read "the input is too small"; 2^26 values per image already pass 1 GiB.
    const doc = selfConcats(60);
    expect(errorOf(doc, 'c24')).toBeUndefined();
    expect(errorOf(doc, 'c25')).toBe(
      'The output would be 4×4×33,554,432: 2.00 GiB for one image, more than the 1.00 GiB all layer outputs of a model may take together. Use fewer channels or a smaller input.',
    );
    expect(analyzeGraph(doc).nodes.get('c60')?.status).toBe('waiting');
  });

  it('add up across layers into a graph issue with the total and the biggest nodes', () => {
    // Five 1024×1024×64 outputs of 256 MiB each: no one node is over, together they are.
    const g = new GraphBuilder('wide');
    let x = g.node('input', { height: 1024, width: 1024, channels: 3 }, [], { id: 'image' });
    for (let i = 1; i <= 5; i++) x = g.node('conv', { filters: 64 }, x, { id: `conv${i}` });
    g.node('output', { classes: 2 }, g.node('gap', {}, x, { id: 'pool' }), { id: 'out' });
    const analysis = analyzeGraph(g.build());
    expect([...analysis.nodes.values()].every((r) => r.status === 'ok')).toBe(true);
    expect(analysis.totals.activationBytes).toBeGreaterThan(MAX_ACTIVATION_BYTES);
    expect(analysisErrors(analysis)).toEqual([
      {
        nodeId: 'conv1',
        message:
          'The model\'s layer outputs would take 1.26 GiB for one image, more than the 1.00 GiB they may take together. The biggest outputs are "conv1", "conv2", "conv3": use a smaller input, fewer channels or downsample sooner.',
      },
    ]);
  });
});

describe('weights', () => {
  it('of one layer beyond the budget are refused at that layer', () => {
    const g = new GraphBuilder('huge dense');
    const x = g.node('input', { height: 256, width: 256, channels: 64 }, [], { id: 'image' });
    const d = g.node('dense', { units: 8192 }, g.node('flatten', {}, x, { id: 'flat' }), { id: 'huge' });
    g.node('output', { classes: 2 }, d, { id: 'out' });
    // 4,194,304 inputs × 8,192 units + 8,192 biases.
    expect(errorOf(g.build(), 'huge')).toBe(
      'This layer would have 34,359,746,560 weights (128 GiB), more than the 2.00 GiB a whole model may hold. Use fewer units or channels.',
    );
  });

  it('beyond the budget across layers are a graph issue naming the biggest', () => {
    const g = new GraphBuilder('deep dense');
    let x = g.node(
      'flatten',
      {},
      g.node('input', { height: 8, width: 8, channels: 64 }, [], { id: 'image' }),
    );
    for (let i = 1; i <= 9; i++) x = g.node('dense', { units: 8192 }, x, { id: `d${i}` });
    g.node('output', { classes: 2 }, x, { id: 'out' });
    const analysis = analyzeGraph(g.build());
    expect(analysis.valid).toBe(false);
    // 4096·8192 + 8192, eight times 8192·8192 + 8192, and the output's 8192·2 + 2.
    const total = 4096 * 8192 + 8192 + 8 * (8192 * 8192 + 8192) + 8192 * 2 + 2;
    expect(analysis.totals.trainable).toBe(total);
    expect(analysis.issues.find((i) => i.message.startsWith('The model would have'))).toEqual({
      severity: 'error',
      message: `The model would have ${total.toLocaleString('en-US')} weights (2.13 GiB), more than the 2.00 GiB a model may hold. The biggest layers are "d2", "d3", "d4": use fewer channels or units.`,
      nodeIds: ['d2', 'd3', 'd4'],
    });
  });
});

describe('the templates', () => {
  it('all stay valid, the biggest well inside both budgets', () => {
    for (const t of templates) {
      const loaded = loadGraph(t.document);
      if (!loaded.ok) throw new Error(t.name);
      const analysis = analyzeGraph(loaded.doc);
      expect(analysis.valid, t.name).toBe(true);
      const weights = (analysis.totals.trainable + analysis.totals.nonTrainable) * 4;
      expect(weights, t.name).toBeLessThan(MAX_WEIGHT_BYTES / 20);
      expect(analysis.totals.activationBytes, t.name).toBeLessThan(MAX_ACTIVATION_BYTES / 7);
    }
  });
});
