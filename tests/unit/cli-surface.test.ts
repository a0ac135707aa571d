import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import { compileGraph } from '../../src/compile/compile';
import { GraphBuilder } from '../../src/core/builder';
import { loadGraph } from '../../src/core/load';
import { defaultTrainConfig } from '../../src/core/training/settings';
import { modelJson } from '../../src/model-files/writer';
import { toArtifacts } from '../../src/train/saved-weights';

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const tmp = mkdtempSync(join(tmpdir(), 'convcanvas-surface-'));

/** A small plain network: a stem and two conv-BN-ReLU layers, on 8×8 images. */
function plainFile(): string {
  const g = new GraphBuilder('tiny plain');
  let h = g.node('input', { height: 8, width: 8, channels: 3 }, [], { id: 'image' });
  h = g.node('conv', { filters: 4, activation: 'linear', bias: false }, h, { id: 'stem' });
  h = g.node('activation', {}, h, { id: 'stem_relu' });
  for (const id of ['a', 'b']) {
    h = g.node('conv', { filters: 4, activation: 'linear', bias: false }, h, { id });
    h = g.node('batchnorm', {}, h, { id: `${id}_bn` });
    h = g.node('activation', {}, h, { id: `${id}_relu` });
  }
  g.node('output', {}, g.node('gap', {}, h, { id: 'pool' }), { id: 'out' });
  const file = join(tmp, 'plain.json');
  writeFileSync(file, JSON.stringify(g.build()));
  return file;
}

const small = ['--epochs', '1', '--train-images', '64', '--val-images', '20', '--samples', '20'];

describe('cli surface and compare', () => {
  it('trains, slices and prints the grid as JSON, and draws it as a PNG', async () => {
    const out = join(tmp, 'surface.png');
    const {
      code,
      out: text,
      err,
    } = await run('surface', plainFile(), ...small, '--grid', '11', '--json', '--out', out);
    expect(err).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(text) as {
      graphs: {
        final: { valLoss: number };
        surface: { xs: number[]; loss: number[][]; accuracy: number[][]; samples: number };
      }[];
    };
    const [side] = result.graphs;
    expect(side!.surface.xs).toHaveLength(11);
    expect(side!.surface.loss).toHaveLength(11);
    expect(side!.surface.loss.every((row) => row.length === 11 && row.every(Number.isFinite))).toBe(true);
    // The centre is the trained model on the 20 validation images it was validated on.
    expect(side!.surface.loss[5]![5]).toBeCloseTo(side!.final.valLoss, 4);
    const png = PNG.sync.read(readFileSync(out));
    expect(png.width).toBeGreaterThan(300);
  });

  it('compares a graph with its residual twin and writes both pictures', async () => {
    const out = join(tmp, 'pair.png');
    const { code, out: text } = await run(
      'compare',
      plainFile(),
      'twin',
      ...small,
      '--grid',
      '11',
      '--out',
      out,
    );
    expect(code).toBe(0);
    expect(text).toMatch(/tiny plain: trained 1 epoch in/);
    expect(text).toMatch(/tiny plain \(residual twin\): 11×11 random slice on 20 images/);
    expect(text).toMatch(/ends with the higher training loss/);
    expect(PNG.sync.read(readFileSync(out)).width).toBeGreaterThan(600);
    expect(PNG.sync.read(readFileSync(join(tmp, 'pair-curves.png'))).height).toBe(320);
  });

  it('slices weights loaded from a model.json and its .bin instead of training', async () => {
    const file = plainFile();
    const loaded = loadGraph(readFileSync(file, 'utf8'));
    if (!loaded.ok) throw new Error('no graph');
    const compiled = compileGraph(loaded.doc, undefined, { seed: 3 });
    if (!compiled.ok) throw new Error('no model');
    const artifacts = await toArtifacts(compiled.compiled.model, {
      key: 'k',
      config: defaultTrainConfig,
      epochReports: [],
      batchesPerEpoch: 1,
    });
    writeFileSync(join(tmp, 'model.json'), modelJson(artifacts, 'model.weights.bin'));
    writeFileSync(join(tmp, 'model.weights.bin'), Buffer.from(artifacts.weightData));
    compiled.compiled.model.dispose();
    const args = ['surface', file, '--weights', join(tmp, 'model.json'), ...small, '--grid', '11', '--json'];
    const { code, out } = await run(...args);
    expect(code).toBe(0);
    const result = JSON.parse(out) as { graphs: { epochs: unknown[]; surface: { loss: number[][] } }[] };
    expect(result.graphs[0]!.epochs).toEqual([]);
    expect(result.graphs[0]!.surface.loss).toHaveLength(11);
    // The same weights again give the same surface, point for point.
    expect(JSON.parse((await run(...args)).out).graphs[0].surface.loss).toEqual(
      result.graphs[0]!.surface.loss,
    );
    const missing = await run('surface', file, '--weights', join(tmp, 'nowhere.json'));
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/no such file/);
  });

  it('refuses wrong flags with the usage, and a graph with no twin with the reason', async () => {
    expect((await run('surface', plainFile(), '--grid', '3')).err).toMatch(
      /--grid must be a positive whole number, not "3" \(from 11 to 51\)/,
    );
    expect((await run('surface', plainFile(), '--kind', 'sideways')).err).toMatch(
      /--kind must be one of random, path/,
    );
    expect((await run('compare', 'tiny-vgg', 'twin')).err).toMatch(/No two conv–ReLU layers/);
  });
});
