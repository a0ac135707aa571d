/** `inspect` on the command line: real files written and read back, through the same session as the app. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { KERNEL_PRESETS } from '../../nodes/hand-kernels';
import { runCli } from '../../src/cli/main';
import { analyzeGraph } from '../../src/core/analyze';
import { GraphBuilder } from '../../src/core/builder';
import { setKernels } from '../../src/core/edit';
import { serializeGraph } from '../../src/core/load';
import { defaultTrainConfig } from '../../src/core/training/settings';
import type { Artifacts } from '../../src/model-files/types';
import { modelJson } from '../../src/model-files/writer';
import { ModelSession } from '../../src/session/model-session';

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const tmp = mkdtempSync(join(tmpdir(), 'convcanvas-inspect-'));

function graph() {
  const g = new GraphBuilder('edges');
  const x = g.node('input', { height: 16, width: 16, channels: 3 }, [], { id: 'image' });
  const c = g.node('conv', { filters: 4, activation: 'linear', trainable: false }, x, { id: 'edges' });
  const r = g.node('activation', { fn: 'relu' }, c, { id: 'relu' });
  g.node('output', { classes: 10 }, g.node('gap', {}, r, { id: 'pool' }), { id: 'out' });
  return setKernels(g.build(), 'edges', [[...KERNEL_PRESETS[0]!.grid]]);
}

const png = (file: string) => PNG.sync.read(readFileSync(file));

describe('cli inspect', () => {
  it('writes a picture per node, both heatmaps and inspect.json for one image', async () => {
    const file = join(tmp, 'edges.json');
    writeFileSync(file, serializeGraph(graph()));
    const out = join(tmp, 'random');
    const {
      code,
      out: said,
      err,
    } = await run('inspect', file, '--out', out, '--sample', '3', '--class', 'square');
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(said).toMatch(/^random weights: predicted .* for validation image 3/);
    const json = JSON.parse(readFileSync(join(out, 'inspect.json'), 'utf8'));
    const analysis = analyzeGraph(graph());
    expect(json.nodes.map((n: { id: string; shape: number[] }) => [n.id, n.shape])).toEqual(
      ['image', 'edges', 'relu', 'pool', 'out'].map((id) => {
        const r = analysis.nodes.get(id);
        return [id, r?.status === 'ok' ? [...r.shape] : null];
      }),
    );
    const p = Object.values(json.probabilities) as number[];
    expect(json.predicted.index).toBe(p.indexOf(Math.max(...p)));
    expect(json.heatmaps).toMatchObject({ node: 'relu', className: 'square', classIndex: 2 });
    expect(json.sample).toMatchObject({ split: 'validation', index: 3 });
    // 4 channels of 16×16, each enlarged 3× to 48 px, two by two with 2 px gaps.
    expect(png(join(out, 'nodes/001-edges.png'))).toMatchObject({ width: 102, height: 102 });
    expect(png(join(out, 'heatmap-gradcam.png'))).toMatchObject({ width: 256, height: 256 });
    expect(png(join(out, 'nodes/004-out.png')).width).toBeGreaterThan(10);
    expect(json.nodes[1].min).toBeLessThan(json.nodes[1].max);
  });

  it('reads weights saved by the app (model.json and its .bin beside it)', async () => {
    // The session's own export: the same files the Download button writes.
    let artifacts: Artifacts | null = null;
    const session = new ModelSession({
      post: (m) => {
        if (m.type === 'exported') artifacts = m.artifacts;
      },
    });
    const config = { ...defaultTrainConfig, epochs: 1, batchSize: 32 };
    const dataset = { kind: 'shapes', seed: 1, trainCount: 64, validationCount: 16 } as const;
    await session.train({ graph: graph(), dataset }, config);
    await session.export();
    session.dispose();
    expect(artifacts).not.toBeNull();
    const a = artifacts as unknown as Artifacts;
    writeFileSync(join(tmp, 'model.json'), modelJson(a, 'model.weights.bin'));
    writeFileSync(join(tmp, 'model.weights.bin'), new Uint8Array(a.weightData));
    writeFileSync(join(tmp, 'edges.json'), serializeGraph(graph()));
    const out = join(tmp, 'loaded');
    const { code, out: said } = await run(
      'inspect',
      join(tmp, 'edges.json'),
      '--weights',
      join(tmp, 'model.json'),
      '--out',
      out,
    );
    expect(code).toBe(0);
    expect(said).toMatch(/^loaded weights/);
  });

  it('refuses bad flags and missing weights with a message', async () => {
    expect((await run('inspect', 'starter-cnn')).code).toBe(2);
    expect((await run('inspect', 'starter-cnn', '--out', tmp, '--sample', '1.5')).err).toMatch(
      /--sample must be/,
    );
    expect((await run('inspect', 'starter-cnn', '--out', tmp, '--split', 'test')).err).toMatch(
      /--split must be/,
    );
    const missing = await run('inspect', 'starter-cnn', '--out', tmp, '--weights', join(tmp, 'none.json'));
    expect(missing).toMatchObject({ code: 1, err: expect.stringMatching(/there is no file/) });
    const cls = await run('inspect', 'starter-cnn', '--out', join(tmp, 'c'), '--class', 'dragon');
    expect(cls.err).toMatch(/--class must be a class name \(circle, ring/);
  });
});
