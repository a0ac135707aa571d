/**
 * What a training step asks of WebGPU, with tfjs' own kernels and with the added ones, in
 * Chromium: `npx tsx bench/webgpu-steps.ts [--quick]`. Per step: dispatches, uploads (each into a
 * buffer created for it), GPU buffers created, queue submits and reads; pipelines compiled by the
 * first step, and the first and later steps' wall time. Without a GPU, Chromium's WebGPU runs on
 * SwiftShader (a CPU emulation): the counts are what a GPU would be asked for, the times say
 * nothing about a GPU.
 */
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import type { Browser } from '@playwright/test';
import { renderTable } from '../src/cli/table';
import { buildPage, servePage } from './built-page';
import { executablePath } from './serve';
import type { Measured, Request } from './webgpu-steps/page';

const PREFIX = '/__webgpu-steps/';
/** A secure origin (WebGPU needs one) where nothing listens: the route answers. */
const ORIGIN = 'http://localhost:4394';

const quick = process.argv.includes('--quick');
const cases: readonly Omit<Request, 'kernels'>[] = [
  { template: 'starter-cnn', batch: quick ? 8 : 32, steps: quick ? 2 : 3 },
  { template: 'resnet-20', batch: quick ? 4 : 8, steps: 2 },
];

async function measure(browser: Browser, outDir: string, r: Request): Promise<Measured> {
  // A fresh page (and GPU device) for each, so the first step compiles everything it uses.
  const page = await browser.newPage();
  try {
    await servePage(page, outDir, PREFIX);
    await page.goto(`${ORIGIN}${PREFIX}index.html`);
    await page.waitForFunction(() => 'measureSteps' in window);
    return await page.evaluate((request) => window.measureSteps(request), r);
  } finally {
    await page.close();
  }
}

async function main(): Promise<void> {
  const outDir = await buildPage(join(import.meta.dirname, 'webgpu-steps'), PREFIX);
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--enable-unsafe-webgpu'] });
  const rows: string[][] = [];
  let adapter = '';
  try {
    for (const c of cases)
      for (const kernels of ['tfjs', 'added'] as const) {
        const m = await measure(browser, outDir, { ...c, kernels });
        adapter = m.adapter;
        const p = m.perStep;
        rows.push([
          c.template,
          String(c.batch),
          kernels === 'tfjs' ? 'tfjs’ own' : 'added',
          p.dispatches.toFixed(0),
          p.uploads.toFixed(0),
          p.uploadKiB.toFixed(0),
          p.buffers.toFixed(0),
          p.submits.toFixed(0),
          p.reads.toFixed(0),
          String(m.firstStepPipelines),
          (m.firstStepMs / 1000).toFixed(1),
          (m.stepMs / 1000).toFixed(1),
        ]);
        console.log(rows.at(-1)!.join('  '));
      }
  } finally {
    await browser.close();
  }
  console.log(`\nPer training step on WebGPU (${adapter}; Adam; counts per step after the first two)`);
  console.log(
    renderTable(
      [
        'network',
        'batch',
        'kernels',
        'dispatches',
        'uploads',
        'KiB up',
        'buffers made',
        'submits',
        'reads',
        'first-step pipelines',
        'first step (s)',
        'later steps (s)',
      ],
      rows,
      ['left', 'right', 'left', ...Array<'right'>(9).fill('right')],
    ),
  );
}

await main();
