/**
 * The exported PyTorch training script's throughput: `npx tsx bench/pytorch.ts [options]`. Exports a
 * template, writes a class-per-folder dataset of random PNGs at the template's input size, runs
 * train.py (under torchrun with --gpus N > 1) for two epochs and prints the second epoch's images per
 * second (the first includes cuDNN's autotuning and the readers' start).
 *
 *   --template lesson-resnet34-pets   --size PX (default: the template's)   --per-class N (default 16)
 *   --batch N (default 32)   --gpus N (processes; default 1)   --workers N   --python PATH
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generatePytorch } from '../src/codegen/pytorch';
import { loadGraph } from '../src/core/load';
import { defaultTrainConfig } from '../src/core/training/settings';
import { findTemplate } from '../templates';

const { values } = parseArgs({
  options: {
    template: { type: 'string', default: 'lesson-resnet34-pets' },
    size: { type: 'string' },
    'per-class': { type: 'string', default: '16' },
    batch: { type: 'string', default: '32' },
    gpus: { type: 'string', default: '1' },
    workers: { type: 'string', default: '4' },
    python: { type: 'string', default: process.env['TORCH_PYTHON'] ?? '/usr/bin/python3' },
  },
});

const template = findTemplate(values.template);
if (template === undefined) throw new Error(`no template ${values.template}`);
const loaded = loadGraph(template.document);
if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
const size = values.size === undefined ? undefined : Number(values.size);
const doc = {
  ...loaded.doc,
  nodes: loaded.doc.nodes.map((n) =>
    n.kind === 'input' && size !== undefined
      ? { ...n, params: { ...n.params, height: size, width: size } }
      : n,
  ),
};
const input = doc.nodes.find((n) => n.kind === 'input')!.params;
const classes = Number(doc.nodes.find((n) => n.kind === 'output')!.params['classes']);
const result = generatePytorch(doc, {
  train: { ...defaultTrainConfig, batchSize: Number(values.batch), epochs: 2 },
});
if (!result.ok) throw new Error(JSON.stringify(result.errors));

const root = mkdtempSync(join(tmpdir(), 'convcanvas-bench-pytorch-'));
try {
  const code = join(root, 'code');
  mkdirSync(code);
  for (const f of result.files) writeFileSync(join(code, f.name), f.code);
  const data = join(root, 'images');
  const write = spawnSync(
    values.python,
    [
      '-c',
      `import os, sys, torch
from PIL import Image
root, classes, per, h, w = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
for c in range(classes):
    os.makedirs(os.path.join(root, f'class{c:03d}'))
    for i in range(per):
        pixels = (torch.rand(h, w, 3) * 255).to(torch.uint8).numpy()
        Image.fromarray(pixels).save(os.path.join(root, f'class{c:03d}', f'{i}.png'))`,
      data,
      String(classes),
      values['per-class'],
      String(input['height']),
      String(input['width']),
    ],
    { encoding: 'utf8' },
  );
  if (write.status !== 0) throw new Error(write.stderr);
  const out = join(root, 'run');
  const gpus = Number(values.gpus);
  const args = ['--data', data, '--out', out, '--workers', values.workers, '--log-every', '1000'];
  const run =
    gpus > 1
      ? spawnSync(
          values.python,
          [
            '-m',
            'torch.distributed.run',
            '--standalone',
            `--nproc_per_node=${gpus}`,
            join(code, 'train.py'),
            ...args,
          ],
          { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
        )
      : spawnSync(values.python, [join(code, 'train.py'), ...args], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'inherit'],
        });
  process.stdout.write(run.stdout);
  if (run.status !== 0) throw new Error(`train.py stopped with ${run.status}`);
  const epochs = readFileSync(join(out, 'log.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { batch?: number; images_per_second?: number })
    .filter((l) => l.batch === undefined);
  console.log(
    `${values.template} at ${String(input['height'])}×${String(input['width'])}, batch ${values.batch} per process, ${gpus} process(es): ${epochs.at(-1)!.images_per_second!.toFixed(0)} images/s (second epoch)`,
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
