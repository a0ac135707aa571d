/**
 * `train --data`: a generated folder of PNG files (horizontal against vertical stripes, one corrupt
 * file) trains the Starter CNN, resized to 16×16 with two classes, to at least 95% validation accuracy
 * in 3 epochs; the skipped file is listed and the JSON names the data. IDX files train too, and wrong
 * data options are refused before anything is read.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import { augmentFrom } from '../../src/cli/data';
import { AUGMENT_PRESETS } from '../../src/core/training/augment-presets';
import { noAugmentation } from '../../src/core/training/augment';
import { findTemplate } from '../../templates';
import { STRIPE_CLASSES, stripes, writeStripesFolder } from './support/stripes';
import { seededRandom } from '../../src/data/random';

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

let root: string;
let folder: string;
let graphFile: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'convcanvas-cli-data-'));
  folder = await writeStripesFolder(root, { perClass: 60, side: 24, corrupt: true });
  // The Starter CNN at 16×16 with two classes: the 24×24 files are fitted to it.
  const doc = JSON.parse(JSON.stringify(findTemplate('starter-cnn')!.document)) as {
    nodes: { kind: string; params: Record<string, unknown> }[];
  };
  for (const n of doc.nodes) {
    if (n.kind === 'input') Object.assign(n.params, { height: 16, width: 16 });
    if (n.kind === 'output') n.params['classes'] = 2;
  }
  graphFile = join(root, 'two-classes.json');
  await writeFile(graphFile, JSON.stringify(doc));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('cli train --data', () => {
  it('trains on a folder of PNG files to at least 95% validation accuracy, listing the skipped file', async () => {
    const { code, out, err } = await run(
      'train',
      graphFile,
      '--data',
      folder,
      '--epochs',
      '3',
      '--val-share',
      '0.25',
      '--fit',
      'stretch',
      '--json',
    );
    expect(err).toContain('Skipped 1 file:\n  stripes/vertical/broken.png: the PNG data is damaged');
    expect(code).toBe(0);
    const result = JSON.parse(out);
    expect(result.data).toMatchObject({
      name: 'stripes',
      format: 'folder',
      source: [folder],
      split: 'random',
      fit: 'stretch',
      validationShare: 0.25,
      classNames: [...STRIPE_CLASSES],
      height: 16,
      width: 16,
      channels: 3,
      trainImages: 90,
      validationImages: 30,
    });
    expect(result.data.skipped).toEqual([
      { file: 'stripes/vertical/broken.png', message: expect.stringMatching(/^the PNG data is damaged/) },
    ]);
    // Two balanced classes: chance is 50%.
    expect(result.final.valAccuracy).toBeGreaterThanOrEqual(0.95);
  });

  it('trains on IDX files, with the augmentation recorded', async () => {
    const random = seededRandom(5);
    const n = 80;
    const header = (dims: number[]) => {
      const b = new Uint8Array(4 + 4 * dims.length);
      b[2] = 0x08;
      b[3] = dims.length;
      const v = new DataView(b.buffer);
      dims.forEach((d, k) => v.setUint32(4 + 4 * k, d));
      return b;
    };
    const images = new Uint8Array(n * 12 * 12);
    const labels = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      labels[i] = i % 2;
      const rgba = stripes(12, i % 2 === 1, random);
      for (let p = 0; p < 144; p++) images[i * 144 + p] = rgba[p * 4]!;
    }
    const imagesFile = join(root, 'train-images-idx3-ubyte');
    const labelsFile = join(root, 'train-labels-idx1-ubyte');
    await writeFile(imagesFile, Buffer.concat([header([n, 12, 12]), images]));
    await writeFile(labelsFile, Buffer.concat([header([n]), labels]));
    const { code, out } = await run(
      'train',
      graphFile,
      '--data',
      imagesFile,
      '--data',
      labelsFile,
      '--epochs',
      '1',
      '--augment',
      'digits',
      '--json',
    );
    expect(code).toBe(0);
    const result = JSON.parse(out);
    expect(result.data).toMatchObject({
      format: 'idx',
      classNames: ['0', '1'],
      trainImages: 64,
      validationImages: 16,
    });
    expect(result.augment).toEqual(AUGMENT_PRESETS.find((p) => p.id === 'digits')!.config);
  });

  it('refuses wrong data options with the reason and the usage', async () => {
    const share = await run('train', graphFile, '--data', folder, '--val-share', '0.9');
    expect(share.code).toBe(2);
    expect(share.err).toMatch(/--val-share must be a positive number, not "0\.9" \(from 0\.05 to 0\.5\)/);
    const fit = await run('train', graphFile, '--fit', 'stretch');
    expect(fit.code).toBe(2);
    expect(fit.err).toMatch(/--fit is for --data/);
    const missing = await run('train', graphFile, '--data', join(root, 'nowhere'));
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/there is no such file or folder/);
    const augment = await run('train', graphFile, '--augment', '{"flipHorizontal": 1}');
    expect(augment.code).toBe(2);
    expect(augment.err).toMatch(/flipHorizontal must be true or false/);
  });

  it('reads --augment as a preset or a JSON object over no augmentation', () => {
    expect(augmentFrom('photos')).toEqual(AUGMENT_PRESETS.find((p) => p.id === 'photos')!.config);
    expect(augmentFrom('{"rotation": 15, "fill": "zero"}')).toEqual({
      ...noAugmentation,
      rotation: 15,
      fill: 'zero',
    });
    expect(augmentFrom('{"spin": 3}')).toMatchObject({ problem: expect.stringMatching(/no setting "spin"/) });
    expect(augmentFrom('sideways')).toMatchObject({ problem: expect.stringMatching(/must be a preset/) });
  });
});
