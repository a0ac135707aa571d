import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../src/compile/compile';
import type { GraphAnalysis, NodeResult } from '../../src/core/analyze';
import { analyzeGraph } from '../../src/core/analyze';
import { blockDocumentSchema } from '../../src/core/block';
import type { GraphDocument } from '../../src/core/document';
import { loadGraph } from '../../src/core/load';
import { blocks, DEFAULT_TEMPLATE, findTemplate, templates } from '../../templates';
import { blockRecipes, templateRecipes, toJson } from '../../templates/generate';
import { withCpuBackend } from './support/tf';

withCpuBackend();

function load(name: string): { doc: GraphDocument; analysis: GraphAnalysis } {
  const loaded = loadGraph(findTemplate(name)!.document);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return { doc: loaded.doc, analysis: analyzeGraph(loaded.doc) };
}

const relativeError = (got: number, want: number) => Math.abs(got / want - 1);
const shape = (r: NodeResult | undefined) => (r?.status === 'ok' ? [...r.shape] : r);
const countKind = (doc: GraphDocument, kinds: readonly string[]) =>
  doc.nodes.filter((n) => kinds.includes(n.kind)).length;

describe('every template', () => {
  it('is listed with a title and blurb, and the default exists', () => {
    expect(findTemplate(DEFAULT_TEMPLATE)).toBeDefined();
    for (const t of templates) {
      expect(t.title.length).toBeGreaterThan(0);
      expect(t.blurb.length).toBeGreaterThan(20);
    }
  });

  it('is saved exactly as its recipe builds it', () => {
    expect(Object.keys(templateRecipes).sort()).toEqual(templates.map((t) => t.name).sort());
    for (const [name, recipe] of Object.entries(templateRecipes))
      expect(readFileSync(new URL(`../../templates/${name}.json`, import.meta.url), 'utf8')).toBe(
        toJson(recipe()),
      );
    for (const [name, recipe] of Object.entries(blockRecipes))
      expect(readFileSync(new URL(`../../templates/blocks/${name}.json`, import.meta.url), 'utf8')).toBe(
        toJson(recipe()),
      );
  });

  it.each(templates.map((t) => t.name))(
    '%s loads, is valid and compiles to the same parameter counts',
    (name) => {
      const { doc, analysis } = load(name);
      expect(analysis.issues).toEqual([]);
      expect(analysis.valid).toBe(true);
      const result = compileGraph(doc, analysis);
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      const { model } = result.compiled;
      const count = (ws: readonly { shape: readonly (number | null)[] }[]) =>
        ws.reduce((n, w) => n + w.shape.reduce<number>((a, b) => a * (b ?? 0), 1), 0);
      expect(count(model.trainableWeights)).toBe(analysis.totals.trainable);
      expect(count(model.nonTrainableWeights)).toBe(analysis.totals.nonTrainable);
      const out = analysis.nodes.get(analysis.outputId!);
      expect(model.outputs[0]!.shape.slice(1)).toEqual(shape(out));
      model.dispose();
    },
  );
});

describe('published architectures', () => {
  it('ResNet-18 has exactly the 11,689,512 trainable parameters of torchvision', () => {
    const { analysis } = load('resnet-18');
    expect(analysis.totals.trainable).toBe(11_689_512);
    // Moving mean and variance: 2 per channel of each of the 20 batch norms (4,800 channels).
    expect(analysis.totals.nonTrainable).toBe(2 * 4_800);
    // He et al. (table 1) report 1.8 billion multiply-adds; FLOPs here count 2 per multiply-add
    // plus the elementwise work of batch norm, ReLU and the adds, which the paper leaves out.
    expect(relativeError(analysis.totals.flops / 2, 1.8e9)).toBeLessThan(0.03);
  });

  it('ResNet-34 has exactly the 21,797,672 trainable parameters of torchvision', () => {
    const { analysis } = load('resnet-34');
    expect(analysis.totals.trainable).toBe(21_797_672);
    expect(relativeError(analysis.totals.flops / 2, 3.6e9)).toBeLessThan(0.03);
  });

  it('the lesson network has the published activation shapes', () => {
    const { analysis } = load('lesson-resnet34-pets');
    expect(shape(analysis.nodes.get('image'))).toEqual([352, 352, 3]);
    expect(shape(analysis.nodes.get('stem'))).toEqual([176, 176, 64]);
    expect(shape(analysis.nodes.get('layer4_2_relu'))).toEqual([11, 11, 512]);
    expect(shape(analysis.nodes.get('pool'))).toEqual([512]);
    expect(shape(analysis.nodes.get('classes'))).toEqual([37]);
  });

  it('plain-20 and ResNet-20 follow He et al. 2016 §4.2', () => {
    const plain = load('plain-20');
    const res = load('resnet-20');
    // 6n+2 weighted layers with n = 3: the stem, 18 convs in three stages, one dense layer.
    expect(countKind(plain.doc, ['conv', 'stride2']) + countKind(plain.doc, ['output'])).toBe(20);
    expect(countKind(res.doc, ['add'])).toBe(9);
    for (const { analysis } of [plain, res]) {
      expect(shape(analysis.nodes.get('stage1_block3_relu'))).toEqual([32, 32, 16]);
      expect(shape(analysis.nodes.get('stage2_block3_relu'))).toEqual([16, 16, 32]);
      expect(shape(analysis.nodes.get('stage3_block3_relu'))).toEqual([8, 8, 64]);
    }
    // Closed form: convs without bias, each followed by a batch norm (2 trainable per channel).
    const conv = (k: number, cin: number, cout: number) => k * k * cin * cout + 2 * cout;
    const stage = (cin: number, c: number) => conv(3, cin, c) + 5 * conv(3, c, c);
    const plainCount = conv(3, 3, 16) + stage(16, 16) + stage(16, 32) + stage(32, 64) + 64 * 10 + 10;
    expect(plain.analysis.totals.trainable).toBe(plainCount);
    expect(plainCount / 1e6).toBeCloseTo(0.27, 2); // the paper's "0.27M"
    // Option B shortcuts: a 1×1 stride-2 projection with batch norm where the size changes.
    expect(res.analysis.totals.trainable).toBe(plainCount + conv(1, 16, 32) + conv(1, 32, 64));
  });

  it('plain-56 and ResNet-56 follow He et al. 2016 §4.2 with n = 9 (0.85M weights)', () => {
    const plain = load('plain-56');
    const res = load('resnet-56');
    expect(countKind(plain.doc, ['conv', 'stride2']) + countKind(plain.doc, ['output'])).toBe(56);
    expect(countKind(res.doc, ['add'])).toBe(27);
    for (const { analysis } of [plain, res])
      expect(shape(analysis.nodes.get('stage3_block9_relu'))).toEqual([8, 8, 64]);
    const conv = (k: number, cin: number, cout: number) => k * k * cin * cout + 2 * cout;
    const stage = (cin: number, c: number) => conv(3, cin, c) + 17 * conv(3, c, c);
    const plainCount = conv(3, 3, 16) + stage(16, 16) + stage(16, 32) + stage(32, 64) + 64 * 10 + 10;
    expect(plain.analysis.totals.trainable).toBe(plainCount);
    // The paper's "0.85M" (table 6) counts its identity shortcuts (option A), which add no weights.
    expect(plainCount / 1e6).toBeCloseTo(0.85, 2);
    // Option B adds the two 1×1 projections with their batch norms.
    expect(res.analysis.totals.trainable).toBe(plainCount + conv(1, 16, 32) + conv(1, 32, 64));
  });

  it('Tiny VGG matches CNN Explainer layer by layer', () => {
    const { analysis } = load('tiny-vgg');
    const expected: Record<string, number[]> = {
      conv_1_1: [62, 62, 10],
      conv_1_2: [60, 60, 10],
      max_pool_1: [30, 30, 10],
      conv_2_1: [28, 28, 10],
      conv_2_2: [26, 26, 10],
      max_pool_2: [13, 13, 10],
      flatten: [1690],
      classes: [10],
    };
    for (const [id, s] of Object.entries(expected)) expect(shape(analysis.nodes.get(id)), id).toEqual(s);
    expect(analysis.totals.trainable).toBe(280 + 3 * 910 + 1690 * 10 + 10);
  });

  it('Starter CNN: three conv-BN-ReLU blocks on 32×32×3, 10 classes', () => {
    const { analysis } = load('starter-cnn');
    // Convs without bias (3·3·3·16, 3·3·16·32, 3·3·32·64), batch-norm scale and shift, dense 64·10+10.
    expect(analysis.totals.trainable).toBe(432 + 4_608 + 18_432 + 2 * (16 + 32 + 64) + 650);
    expect(analysis.totals.nonTrainable).toBe(2 * (16 + 32 + 64));
    expect(shape(analysis.nodes.get('down2_relu'))).toEqual([8, 8, 64]);
    expect(shape(analysis.nodes.get('image'))).toEqual([32, 32, 3]);
    expect(shape(analysis.nodes.get('classes'))).toEqual([10]);
  });
});

describe('palette blocks', () => {
  it.each(blocks.map((b) => b.name))('%s wires into a graph and keeps it valid', (name) => {
    const block = blockDocumentSchema.parse(blocks.find((b) => b.name === name)!.block);
    const host = {
      schemaVersion: 1,
      name: 'host',
      nodes: [
        {
          id: 'image',
          kind: 'input',
          params: { height: 16, width: 16, channels: 16 },
          position: { x: 0, y: 0 },
        },
        ...block.nodes,
        { id: 'pool', kind: 'gap', params: {}, position: { x: 0, y: 0 } },
        { id: 'out', kind: 'output', params: {}, position: { x: 0, y: 0 } },
      ],
      edges: [
        ...block.entries.map((e, i) => ({
          id: `in${i}`,
          source: 'image',
          target: e.node,
          targetHandle: e.handle,
        })),
        ...block.edges,
        { id: 'exit', source: block.exit, target: 'pool', targetHandle: 'in0' },
        { id: 'last', source: 'pool', target: 'out', targetHandle: 'in0' },
      ],
    };
    const loaded = loadGraph(host);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const analysis = analyzeGraph(loaded.doc);
    expect(analysis.issues).toEqual([]);
    expect(analysis.valid).toBe(true);
  });
});
