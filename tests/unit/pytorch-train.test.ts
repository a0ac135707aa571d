/**
 * The exported train.py in a real PyTorch: the app's schedule, one optimizer step landing where the
 * app's own trainer lands (SGD, Adam, AdamW, with weight decay), the augmentation's definitions on
 * tiny images worked out by hand, and a two-process torchrun (Gloo on the CPU) on a folder of PNGs.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../src/compile/compile';
import { GraphBuilder } from '../../src/core/builder';
import type { GraphDocument } from '../../src/core/document';
import type { AugmentConfig } from '../../src/core/training/augment';
import { noAugmentation } from '../../src/core/training/augment';
import type { TrainConfig } from '../../src/core/training/settings';
import { defaultTrainConfig, learningRateAt } from '../../src/core/training/settings';
import { shapesDataset } from '../../src/data/shapes';
import { trainModel } from '../../src/train/trainer';
import * as torch from './support/pytorch';
import { withCpuBackend } from './support/tf';

withCpuBackend();

const missing = torch.torchMissing();
if (missing !== null) console.warn(`Skipping the PyTorch training checks: ${missing}`);

/** Conv, batch norm, a strided conv with bias, a flatten into a dense layer, and the output. */
function stepGraph(): GraphDocument {
  const g = new GraphBuilder('step');
  let x = g.node('input', { height: 6, width: 6, channels: 3 });
  x = g.node('conv', { filters: 4, bias: false, activation: 'linear' }, x);
  x = g.node('batchnorm', { momentum: 0.9 }, x);
  x = g.node('activation', { fn: 'relu' }, x);
  x = g.node('stride2', { filters: 5 }, x);
  x = g.node('flatten', {}, x);
  x = g.node('dense', { units: 6, activation: 'tanh' }, x);
  g.node('output', { classes: 10 }, x);
  return g.build();
}

const weightsOf = (model: tfl.LayersModel): Map<string, Float32Array> =>
  new Map(model.weights.map((w) => [w.originalName, w.read().dataSync() as Float32Array]));

const settingsOf = (c: TrainConfig) => ({
  optimizer: c.optimizer,
  learning_rate: c.learningRate,
  momentum: c.momentum,
  weight_decay: c.weightDecay,
  schedule: c.schedule,
  batch_size: c.batchSize,
  epochs: c.epochs,
});

type Image = number[][][];
/** One image of one row, [C][H][W]. */
const row = (values: number[]): Image[] => [[[values]]];
const rgb = [[[0.2, 0.8]], [[0.4, 0.6]], [[0.6, 0.4]]]; // one 1×2 RGB image, [C][H][W]
const augmentCases: { images: Image[]; choices: object; fill?: string; want: Image[] }[] = [
  // Flips, each image on its own.
  {
    images: [
      [
        [
          [1, 2, 3],
          [4, 5, 6],
        ].map((r) => r.map((v) => v / 10)),
      ],
      [
        [
          [1, 2, 3],
          [4, 5, 6],
        ].map((r) => r.map((v) => v / 10)),
      ],
    ],
    choices: { flip_horizontal: [true, false] },
    want: [
      [
        [
          [0.3, 0.2, 0.1],
          [0.6, 0.5, 0.4],
        ],
      ],
      [
        [
          [0.1, 0.2, 0.3],
          [0.4, 0.5, 0.6],
        ],
      ],
    ],
  },
  {
    images: [
      [
        [
          [0.1, 0.2],
          [0.3, 0.4],
        ],
      ],
    ],
    choices: { flip_vertical: [true] },
    want: [
      [
        [
          [0.3, 0.4],
          [0.1, 0.2],
        ],
      ],
    ],
  },
  // A shift of one pixel to the right: the column that comes in is black, mirrored, or the edge.
  ...(
    [
      ['zero', [0, 0.1, 0.2, 0.3]],
      ['reflect', [0.2, 0.1, 0.2, 0.3]],
      ['symmetric', [0.1, 0.1, 0.2, 0.3]],
    ] as const
  ).map(([fill, want]) => ({
    images: row([0.1, 0.2, 0.3, 0.4]),
    choices: { warp: [[0], [1], [0.25], [0]] },
    fill,
    want: row([...want]),
  })),
  // Two pixels: reflection goes on past the edge (… c b | a b c d), symmetric repeats it.
  {
    images: row([0.1, 0.2, 0.3, 0.4]),
    choices: { warp: [[0], [1], [0.5], [0]] },
    fill: 'reflect',
    want: row([0.3, 0.2, 0.1, 0.2]),
  },
  {
    images: row([0.1, 0.2, 0.3, 0.4]),
    choices: { warp: [[0], [1], [-0.5], [0]] },
    fill: 'symmetric',
    want: row([0.3, 0.4, 0.4, 0.3]),
  },
  // Zoom 2 about the centre 1.5: output x reads 1.5 + (x − 1.5) / 2, between two pixels.
  {
    images: row([0.1, 0.2, 0.3, 0.4]),
    choices: { warp: [[0], [2], [0], [0]] },
    want: row([0.175, 0.225, 0.275, 0.325]),
  },
  // A quarter turn of a 3×3 image: output (x, y) reads the input at (y, 2 − x).
  {
    images: [
      [
        [
          [1, 2, 3],
          [4, 5, 6],
          [7, 8, 9],
        ].map((r) => r.map((v) => v / 10)),
      ],
    ],
    choices: { warp: [[90], [1], [0], [0]] },
    want: [
      [
        [
          [0.7, 0.4, 0.1],
          [0.8, 0.5, 0.2],
          [0.9, 0.6, 0.3],
        ],
      ],
    ],
  },
  // Brightness scales and clamps.
  { images: row([0.2, 0.6]), choices: { brightness: [2] }, want: row([0.4, 1]) },
  // Contrast about the image's mean grey: greys 0.363 and 0.637, mean 0.5.
  {
    images: [rgb],
    choices: { contrast: [2] },
    want: [[[[0, 1]], [[0.3, 0.7]], [[0.7, 0.3]]]],
  },
  // Saturation about each pixel's grey: 0 leaves the grey, 2 doubles the distance from it.
  {
    images: [rgb, rgb],
    choices: { saturation: [0, 2] },
    want: [
      [[[0.363, 0.637]], [[0.363, 0.637]], [[0.363, 0.637]]],
      [[[0.037, 0.963]], [[0.437, 0.563]], [[0.837, 0.163]]],
    ],
  },
  // Greyscale images have no saturation to change.
  { images: row([0.2, 0.6]), choices: { saturation: [0] }, want: row([0.2, 0.6]) },
];

const samplingAugment: AugmentConfig = {
  ...noAugmentation,
  flipHorizontal: true,
  rotation: 30,
  zoom: [0.8, 1.25],
  shift: 0.1,
  brightness: [0.5, 1.5],
  contrast: [0.9, 1.1],
};
/** The same settings under train.py's AUGMENT names. */
const snakeAugment = {
  flip_horizontal: samplingAugment.flipHorizontal,
  flip_vertical: samplingAugment.flipVertical,
  rotation: samplingAugment.rotation,
  zoom: samplingAugment.zoom,
  shift: samplingAugment.shift,
  fill: samplingAugment.fill,
  brightness: samplingAugment.brightness,
  contrast: samplingAugment.contrast,
  saturation: samplingAugment.saturation,
};

describe.skipIf(missing !== null)('train.py in PyTorch', () => {
  const root = torch.workDir();
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const progress = Array.from({ length: 41 }, (_, i) => i / 40);
  const scheduleConfigs = (['one-cycle', 'constant'] as const).map((schedule) => ({
    ...defaultTrainConfig,
    learningRate: 0.03,
    schedule,
  }));
  const stepConfigs: TrainConfig[] = (['sgd', 'adam', 'adamw'] as const).flatMap((optimizer) =>
    [0, 0.1].map((weightDecay) => ({
      ...defaultTrainConfig,
      optimizer,
      weightDecay,
      learningRate: 0.05,
      schedule: 'constant' as const,
      batchSize: 8,
      epochs: 1,
    })),
  );
  // One-cycle's first step runs at lr / 25.
  stepConfigs.push({ ...stepConfigs[1]!, schedule: 'one-cycle', epochs: 3 });
  const expected: Map<string, Float32Array>[] = [];
  const images = join(root, 'images');
  let answers: Record<string, unknown[]> = {};

  // Everything but the torchrun goes through one Python process: importing torch takes seconds.
  beforeAll(async () => {
    const plain = torch.writeExport(root, 'plain', stepGraph());
    const doc = stepGraph();
    const data = shapesDataset({ size: 6, trainCount: 8, validationCount: 2, seed: 5 });
    const input = torch.writeFloats(join(root, 'step-images.bin'), data.train.images);
    const steps: object[] = [];
    for (const [n, config] of stepConfigs.entries()) {
      const compiled = compileGraph(doc, undefined, { seed: 11 });
      if (!compiled.ok) throw new Error(JSON.stringify(compiled.errors));
      const model = compiled.compiled.model;
      const dir = torch.writeExport(root, `step-${n}`, doc, { train: config });
      const modelJson = await torch.saveTfjs(model, join(dir, 'before'));
      // The whole (8-image) set is one batch: one step of the app's own trainer.
      await trainModel(model, data, { ...config, epochs: 1 });
      expected.push(weightsOf(model));
      model.dispose();
      steps.push({
        dir,
        model_json: modelJson,
        input,
        shape: [8, 6, 6, 3],
        labels: [...data.train.labels],
        settings: settingsOf(config),
      });
    }
    answers = torch.runJobs(root, {
      schedule: scheduleConfigs.map((c) => ({ dir: plain, settings: settingsOf(c), progress })),
      steps,
      augment: augmentCases.map(({ want: _want, ...c }) => ({ dir: plain, ...c })),
      sampling: [{ dir: plain, n: 2000, augment: snakeAugment }],
      images: [
        {
          dir: images,
          seed: 3,
          train: 64,
          val: 8,
          sizes: [
            [12, 12],
            [16, 12],
            [12, 20],
          ],
        },
      ],
    });
  });

  it('uses the app’s learning-rate schedule', () => {
    const got = answers['schedule'] as number[][];
    scheduleConfigs.forEach((c, i) =>
      progress.forEach((p, j) => expect(got[i]![j]!).toBeCloseTo(learningRateAt(c, p), 12)),
    );
  });

  describe('one optimizer step from the same weights and batch', () => {
    it.each(stepConfigs.map((c, i) => [`${c.optimizer}, weight decay ${c.weightDecay}, ${c.schedule}`, i]))(
      '%s',
      (_name, i) => {
        const want = expected[i as number]!;
        const have = (answers['steps'] as { weights: Record<string, number[]> }[])[i as number]!.weights;
        expect(Object.keys(have).sort()).toEqual([...want.keys()].sort());
        for (const [name, values] of want) {
          const ours = have[name]!;
          const diff = values.reduce((m, v, j) => Math.max(m, Math.abs(v - ours[j]!)), 0);
          expect(diff, name).toBeLessThan(2e-6);
        }
      },
    );

    it('moves the weights (the comparison is not of unchanged numbers)', async () => {
      const compiled = compileGraph(stepGraph(), undefined, { seed: 11 });
      if (!compiled.ok) throw new Error('compile');
      const before = weightsOf(compiled.compiled.model);
      for (const after of expected) {
        const kernel = 'dense_1/kernel';
        const moved = before
          .get(kernel)!
          .reduce((m, v, j) => Math.max(m, Math.abs(v - after.get(kernel)![j]!)), 0);
        expect(moved).toBeGreaterThan(1e-4);
      }
      compiled.compiled.model.dispose();
    });
  });

  describe('augmentation follows the app’s definitions', () => {
    it('on tiny images worked out by hand', () => {
      const got = answers['augment'] as Image[][];
      augmentCases.forEach((c, i) =>
        c.want.flat(3).forEach((v, j) => expect(got[i]!.flat(3)[j], `case ${i}`).toBeCloseTo(v, 5)),
      );
    });

    it('draws every factor from its range and flips about half the images', () => {
      const got = (answers['sampling'] as Record<string, number[] | number[][] | null>[])[0]!;
      expect(got['flip_vertical']).toBeNull();
      expect(got['saturation']).toBeNull();
      const flips = got['flip_horizontal'] as number[];
      expect(flips[2]).toBeGreaterThan(0.45);
      expect(flips[2]).toBeLessThan(0.55);
      const drawn = got['warp'] as [number, number][];
      const ranges: [number, number][] = [
        [-30, 30],
        [0.8, 1.25],
        [-0.1, 0.1],
        [-0.1, 0.1],
      ];
      expect(drawn).toHaveLength(4);
      for (const [i, [lo, hi]] of drawn.entries()) {
        const [min, max] = ranges[i]!;
        expect(lo).toBeGreaterThanOrEqual(min);
        expect(hi).toBeLessThanOrEqual(max);
        expect(hi - lo).toBeGreaterThan(0.9 * (max - min));
      }
      const brightness = got['brightness'] as number[];
      expect(brightness[0]).toBeGreaterThanOrEqual(0.5);
      expect(brightness[1]).toBeLessThanOrEqual(1.5);
    });
  });

  it('trains with torchrun on two CPU processes: replicas agree, the loss falls, the checkpoint reloads and resumes', () => {
    const data = images;
    const g = new GraphBuilder('tiny');
    let x = g.node('input', { height: 12, width: 12, channels: 3 });
    x = g.node('conv', { filters: 6, bias: false, activation: 'linear' }, x);
    x = g.node('batchnorm', {}, x);
    x = g.node('activation', { fn: 'relu' }, x);
    x = g.node('stride2', { filters: 8 }, x);
    g.node('output', { classes: 2 }, g.node('gap', {}, x));
    const config: TrainConfig = {
      ...defaultTrainConfig,
      optimizer: 'adamw',
      weightDecay: 0.01,
      learningRate: 0.01,
      schedule: 'constant',
      batchSize: 4,
      epochs: 1,
      seed: 2,
    };
    const dir = torch.writeExport(root, 'ddp', g.build(), {
      train: config,
      augment: { ...noAugmentation, flipHorizontal: true, brightness: [0.9, 1.1] },
    });
    const out = join(root, 'run');
    writeFileSync(
      join(dir, 'run_and_keep.py'),
      [
        'import os, sys, torch, train',
        'model = train.main(sys.argv[1:])',
        "torch.save(model.state_dict(), os.path.join(sys.argv[sys.argv.index('--out') + 1], f\"final-{os.environ.get('RANK', '0')}.pt\"))",
        '',
      ].join('\n'),
    );
    const common = ['--data', data, '--out', out, '--workers', '0', '--log-every', '1', '--cpu'];
    const ddp = spawnSync(
      torch.python,
      [
        '-m',
        'torch.distributed.run',
        '--standalone',
        '--nproc_per_node=2',
        // torchrun 1.13 under Python 3.11 (Debian 12) cannot parse its own default of 0 for these.
        '--redirects=2',
        '--tee=2',
        join(dir, 'run_and_keep.py'),
        ...common,
      ],
      { encoding: 'utf8', timeout: 300_000, env: { ...process.env, OMP_NUM_THREADS: '1' } },
    );
    expect(ddp.status, ddp.stderr).toBe(0);
    expect(ddp.stdout).toMatch(/2 process\(es\) on cpu/);
    expect(ddp.stderr).toMatch(/skipped .*zz-broken\.png/);

    const [run] = torch.runChecks<{
      spread: number;
      reloaded: number;
      epoch: number;
      classes: string[];
      log: { epoch: number; batch?: number; loss: number; val_accuracy?: number }[];
    }>(root, 'run', [{ dir, out, ranks: 2 }]);
    expect(run!.spread).toBe(0);
    expect(run!.reloaded).toBe(0);
    expect(run!.epoch).toBe(1);
    expect(run!.classes).toEqual(['dark', 'square']);
    const losses = run!.log.filter((l) => l.batch !== undefined).map((l) => l.loss);
    // 128 training images over 2 processes of 4: 16 steps, each logged with both processes' mean.
    expect(losses.length).toBe(16);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(losses.slice(-4))).toBeLessThan(mean(losses.slice(0, 4)));

    // --resume continues after the saved epoch, in one process.
    const resumed = spawnSync(
      torch.python,
      [join(dir, 'run_and_keep.py'), ...common, '--resume', '--epochs', '2'],
      {
        encoding: 'utf8',
        timeout: 300_000,
      },
    );
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`resumed from ${join(out, 'checkpoint.pt')} after epoch 1`);
    expect(resumed.stdout).not.toMatch(/epoch 1\/2/);
    expect(resumed.stdout).toMatch(/epoch 2\/2: loss/);
    const log = readFileSync(join(out, 'log.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { epoch: number });
    expect(log.at(-1)!.epoch).toBe(2);
  });
});
