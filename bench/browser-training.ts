/**
 * Training throughput in real Chromium, through the app itself (worker, panel, charts):
 * `npm run bench:training`. For each backend and network: images per second between the third batch
 * and the end of a short epoch, and the page's long tasks (over 50 ms) while it trains.
 * `--threads`: instead, WebAssembly on one thread against two (builds with VITE_WASM_THREADS),
 * interleaved, best of three.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import type { Browser } from '@playwright/test';
import { renderTable } from '../src/cli/table';
import { executablePath, serveBuild } from './serve';

const PORT = 4392;

interface Case {
  readonly backend: 'wasm' | 'webgl' | 'webgpu' | 'cpu';
  readonly template: 'starter-cnn' | 'resnet-20';
  /** Training images: 32 per batch. */
  readonly images: number;
}

const cases: readonly Case[] = [
  { backend: 'wasm', template: 'starter-cnn', images: 640 },
  { backend: 'wasm', template: 'resnet-20', images: 320 },
  { backend: 'webgl', template: 'starter-cnn', images: 320 },
  { backend: 'webgl', template: 'resnet-20', images: 160 },
  { backend: 'webgpu', template: 'starter-cnn', images: 192 },
  { backend: 'cpu', template: 'starter-cnn', images: 192 },
];

async function measure(browser: Browser, base: string, c: Case): Promise<string[]> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.addInitScript(`(() => {
    window.__long = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push([e.startTime, e.duration]); })
      .observe({ type: 'longtask', buffered: true });
  })()`);
  try {
    await page.goto(`${base}/?backend=${c.backend}&template=${c.template}`);
    const reason = page.getByTestId('backend-reason');
    await reason.waitFor({ state: 'attached', timeout: 60_000 });
    const training = page.getByRole('region', { name: 'Training' });
    await training.getByRole('spinbutton', { name: 'epochs' }).fill('1');
    await training.getByText('More settings').click();
    await training.getByRole('spinbutton', { name: 'training images' }).fill(String(c.images));
    await training.getByRole('spinbutton', { name: 'validation images' }).fill('32');
    await training.getByRole('button', { name: 'Train', exact: true }).click();
    const progress = training.getByRole('progressbar', { name: 'Training progress' });
    const batches = c.images / 32;
    const done = async () => Number((await progress.getAttribute('value').catch(() => '0')) ?? 0);
    const deadline = Date.now() + 600_000;
    while ((await done()) < 3 && Date.now() < deadline) await page.waitForTimeout(50);
    const from = { batches: await done(), at: Date.now() };
    const t0 = (await page.evaluate('performance.now()')) as number;
    while ((await done()) < batches && Date.now() < deadline) await page.waitForTimeout(50);
    const seconds = (Date.now() - from.at) / 1000;
    const rate = ((batches - from.batches) * 32) / seconds;
    const long = (await page.evaluate(
      `window.__long.filter(([s]) => s >= ${t0}).map(([, d]) => d)`,
    )) as number[];
    await page.getByTestId('train-status').getByText('Done.').waitFor({ timeout: 600_000 });
    return [
      c.backend,
      c.template,
      rate.toFixed(1),
      String(long.length),
      long.length ? Math.max(...long).toFixed(0) : '–',
    ];
  } catch (e) {
    return [c.backend, c.template, `failed: ${String(e).slice(0, 50)}`, '', ''];
  } finally {
    await page.close();
  }
}

async function allBackends(): Promise<void> {
  const server = await serveBuild(PORT, { build: !process.argv.includes('--no-build') });
  try {
    const browser = await chromium.launch({
      executablePath,
      args: ['--no-sandbox', '--enable-unsafe-webgpu'],
    });
    const rows: string[][] = [];
    for (const c of cases) rows.push(await measure(browser, server.base, c));
    await browser.close();
    console.log('\nTraining in Chromium through the app (batch 32, Adam; img/s after the third batch)');
    console.log(
      renderTable(['backend', 'network', 'img/s', 'long tasks', 'longest (ms)'], rows, [
        'left',
        'left',
        'right',
        'right',
        'right',
      ]),
    );
  } finally {
    server.close();
  }
}

/** WebAssembly on one thread against two, each its own build, interleaved, best of three. */
async function threads(): Promise<void> {
  const counts = [1, 2] as const;
  const servers = await Promise.all(
    counts.map((n, i) =>
      serveBuild(PORT + 1 + i, {
        outDir: join(tmpdir(), `convcanvas-threads-${n}`),
        env: { VITE_WASM_THREADS: String(n) },
      }),
    ),
  );
  try {
    const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
    const wasmCases = cases.filter((c) => c.backend === 'wasm');
    const best = new Map<string, number>();
    for (let round = 0; round < 3; round++)
      for (const c of wasmCases)
        for (const [i, n] of counts.entries()) {
          const rate = Number((await measure(browser, servers[i]!.base, c))[2]);
          const key = `${c.template} ${n}`;
          if (Number.isFinite(rate)) best.set(key, Math.max(best.get(key) ?? 0, rate));
        }
    await browser.close();
    console.log('\nWebAssembly in Chromium by thread count (img/s after the third batch, best of 3)');
    console.log(
      renderTable(
        ['network', ...counts.map((n) => `${n} thread${n === 1 ? '' : 's'}`)],
        wasmCases.map((c) => [
          c.template,
          ...counts.map((n) => best.get(`${c.template} ${n}`)?.toFixed(1) ?? 'failed'),
        ]),
        ['left', 'right', 'right'],
      ),
    );
  } finally {
    for (const s of servers) s.close();
  }
}

await (process.argv.includes('--threads') ? threads() : allBackends());
