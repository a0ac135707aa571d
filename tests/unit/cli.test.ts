import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import { generateModule } from '../../src/codegen';
import { generatePytorch } from '../../src/codegen/pytorch';
import { loadGraph } from '../../src/core/load';
import type { TrainSettingKey } from '../../src/core/training/settings';
import { defaultTrainConfig, trainSettingFlags, trainSettings } from '../../src/core/training/settings';
import { trainConfigFrom } from '../../src/cli/options';
import { findTemplate } from '../../templates';
import type { ModelSummary } from '../../src/core/summary';

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const tmp = mkdtempSync(join(tmpdir(), 'convcanvas-cli-'));

describe('cli summary', () => {
  it('prints a Keras-like table with totals for a template', async () => {
    const { code, out } = await run('summary', 'starter-cnn');
    expect(code).toBe(0);
    expect(out).toMatch(/^Model: Starter CNN/);
    expect(out).toMatch(/node\s+kind\s+output\s+params\s+FLOPs/);
    expect(out).toMatch(/down1\s+Stride-2 conv 3×3 ×2C\s+16×16×32\s+4,608/);
    expect(out).toMatch(/Total params: 24,570\nTrainable params: 24,346\nNon-trainable params: 224/);
  });

  it('gives the same facts as JSON, including every node', async () => {
    const { code, out } = await run('summary', 'resnet-18', '--json');
    expect(code).toBe(0);
    const summary = JSON.parse(out) as ModelSummary;
    expect(summary.totals.trainable).toBe(11_689_512);
    expect(summary.rows.find((r) => r.id === 'pool')).toMatchObject({ shape: [512], status: 'ok' });
  });

  it('reads a graph file and exits non-zero with the node errors when it is invalid', async () => {
    const file = join(tmp, 'bad-kernel.json');
    writeFileSync(
      file,
      JSON.stringify({
        schemaVersion: 1,
        name: 'too small',
        nodes: [
          { id: 'x', kind: 'input', params: { height: 4, width: 4, channels: 1 }, position: { x: 0, y: 0 } },
          { id: 'big', kind: 'conv', params: { kernel: 7, padding: 'valid' }, position: { x: 0, y: 1 } },
        ],
        edges: [{ id: 'e', source: 'x', target: 'big', targetHandle: 'in0' }],
      }),
    );
    const text = await await run('summary', file);
    expect(text.code).toBe(1);
    expect(text.out).toContain('error in big: a 7×7 kernel does not fit the 4×4 input');
    expect(text.out).toContain('error: The graph has no Output node');
    const json = await run('summary', file, '--json');
    expect(json.code).toBe(1);
    const summary = JSON.parse(json.out) as ModelSummary;
    expect(summary.valid).toBe(false);
    expect(summary.rows.find((r) => r.id === 'big')).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/7×7/),
    });
  });

  it('refuses a malformed file with located errors', async () => {
    const file = join(tmp, 'broken.json');
    writeFileSync(file, '{"schemaVersion": 1, "name": "x", "nodes": [{"id": "a", "kind": "conv"');
    const { code, err } = await await run('summary', file);
    expect(code).toBe(1);
    expect(err).toMatch(/ends too early at line 1, column \d+/);
  });

  it('explains unknown sources and usage mistakes', async () => {
    expect((await run('summary', 'no-such-thing')).err).toMatch(
      /neither a graph file nor a template. Templates: starter-cnn/,
    );
    expect((await run('summary')).code).toBe(2);
    expect((await run('frobnicate')).code).toBe(2);
  });
});

describe('cli export', () => {
  const starter = () => {
    const loaded = loadGraph(findTemplate('starter-cnn')!.document);
    if (!loaded.ok) throw new Error('template does not load');
    return loaded.doc;
  };
  const generated = (train: boolean) => {
    const result = generateModule(starter(), train ? { train: { ...defaultTrainConfig, epochs: 5 } } : {});
    if (!result.ok) throw new Error('template does not generate');
    return result.code;
  };

  it('prints the generated module for a template', async () => {
    const { code, out } = await run('export', 'starter-cnn');
    expect(code).toBe(0);
    expect(out + '\n').toBe(generated(false));
    expect(out).not.toContain('export async function train(');
  });

  it('writes the module with train() and the chosen settings to --out', async () => {
    const file = join(tmp, 'model.ts');
    const { code, err } = await run('export', 'starter-cnn', '--train', '--epochs', '5', '--out', file);
    expect(code).toBe(0);
    expect(err).toMatch(/^Wrote .*model\.ts \(\d+ lines\)\.$/);
    expect(readFileSync(file, 'utf8')).toBe(generated(true));
  });

  it('refuses an invalid graph with the node errors, and bad options with the usage', async () => {
    const file = join(tmp, 'no-output.json');
    writeFileSync(
      file,
      JSON.stringify({
        schemaVersion: 1,
        name: 'no output',
        nodes: [{ id: 'x', kind: 'input', params: {}, position: { x: 0, y: 0 } }],
        edges: [],
      }),
    );
    const invalid = await run('export', file);
    expect(invalid.code).toBe(1);
    expect(invalid.err).toContain('The graph cannot be exported:\n  graph: The graph has no Output node');
    const bad = await run('export', 'starter-cnn', '--train', '--optimizer', 'rmsprop');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--optimizer must be one of sgd, adam, adamw[^]*usage: npm run cli -- export/);
    expect((await run('export')).code).toBe(2);
  });

  it('writes model.py, train.py and README.md with --format pytorch, carrying the settings', async () => {
    const folder = join(tmp, 'starter-pytorch');
    const { code, err } = await run(
      'export',
      'starter-cnn',
      '--format',
      'pytorch',
      '--epochs',
      '5',
      '--optimizer',
      'sgd',
      '--resize',
      'letterbox',
      '--out',
      folder,
    );
    expect(code).toBe(0);
    expect(err).toMatch(
      /^Wrote .*model\.py \(\d+ lines\), .*train\.py \(\d+ lines\), .*README\.md \(\d+ lines\)\.$/,
    );
    const expected = generatePytorch(starter(), {
      train: { ...defaultTrainConfig, epochs: 5, optimizer: 'sgd' },
      resize: 'letterbox',
    });
    if (!expected.ok) throw new Error('template does not generate');
    for (const f of expected.files) expect(readFileSync(join(folder, f.name), 'utf8')).toBe(f.code);
    const train = readFileSync(join(folder, 'train.py'), 'utf8');
    expect(train).toMatch(/'optimizer': 'sgd',/);
    expect(train).toMatch(/'epochs': 5,/);
    expect(train).toMatch(/'resize': 'letterbox',/);
  });

  it('refuses an unknown format or resize mode with the usage', async () => {
    const format = await run('export', 'starter-cnn', '--format', 'onnx');
    expect(format.code).toBe(2);
    expect(format.err).toMatch(/--format must be one of typescript, pytorch, not "onnx"[^]*usage:/);
    const resize = await run('export', 'starter-cnn', '--format', 'pytorch', '--resize', 'squash');
    expect(resize.code).toBe(2);
    expect(resize.err).toMatch(/--resize must be one of centre-crop, letterbox, stretch, not "squash"/);
  });

  it('train refuses settings that are not positive numbers, before training anything', async () => {
    const lr = await run('train', 'starter-cnn', '--lr', 'fast');
    expect(lr.code).toBe(2);
    expect(lr.err).toMatch(/--lr must be a positive number, not "fast"[^]*usage: npm run cli -- train/);
    const size = await run('train', 'starter-cnn', '--size', '0');
    expect(size.code).toBe(2);
    expect(size.err).toMatch(
      /--size is no longer needed: the images are drawn at the size of the graph's Input/,
    );
  });
});

describe('training settings on the command line', () => {
  it('every declared setting has a flag that sets it, checked against its declared range', () => {
    for (const key of Object.keys(trainSettings) as TrainSettingKey[]) {
      const spec = trainSettings[key];
      const flag = trainSettingFlags[key];
      if (spec.type === 'choice') {
        const last = spec.options.at(-1)!.value;
        expect(trainConfigFrom({ [flag]: last })).toMatchObject({ [key]: last });
        expect(trainConfigFrom({ [flag]: 'nonsense' })).toMatch(new RegExp(`^--${flag} must be one of`));
      } else if (spec.type === 'int' || spec.type === 'float') {
        expect(trainConfigFrom({ [flag]: String(spec.max) })).toMatchObject({ [key]: spec.max });
        expect(trainConfigFrom({ [flag]: String(spec.max * 2 + 1) })).toContain(
          `(from ${spec.min} to ${spec.max})`,
        );
      }
    }
    expect(trainConfigFrom({})).toEqual(defaultTrainConfig);
  });
});
