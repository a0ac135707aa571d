/**
 * The added WebGPU kernels checked in Chromium's WebGPU (SwiftShader here: correctness only, the
 * times mean nothing). webgpu-checks/ is built into a page with Vite and served under the preview
 * server's origin (WebGPU needs a secure context); each test runs one of its checks.
 */
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { buildPage, servePage } from '../../bench/built-page';
import type { CheckName, CheckResult } from './webgpu-checks/checks';

const PREFIX = '/__webgpu-checks/';

test.describe.configure({ mode: 'serial' });

let page: Page;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  const outDir = await buildPage(join(import.meta.dirname, 'webgpu-checks'), PREFIX);
  page = await browser.newPage();
  await servePage(page, outDir, PREFIX);
  await page.goto(`${PREFIX}index.html`);
  await page.waitForFunction(() => 'webgpuChecks' in window);
  const adapter = await page.evaluate(() => window.webgpuChecks.start());
  console.log(`WebGPU adapter: ${adapter}`);
});

test.afterAll(async () => {
  await page?.close();
});

const checks: [CheckName, string][] = [
  ['weightGradient', 'the weight gradient matches tfjs’ own WebGPU kernel on random convolutions'],
  ['batchNorm', 'batch norm in training matches tfjs’ moments + batchNorm and their gradients'],
  ['adam', 'Adam in one dispatch takes the steps tf.train.adam takes'],
  ['reluGradient', 'ReLU’s gradient in one dispatch matches tfjs’ formula, NaNs included'],
  ['replacedGradients', 'the gradients of Sum, Mean, Square and ClipByValue match tfjs’ own'],
  ['networks', 'Starter CNN and ResNet-20 gradients on WebGPU match the cpu backend'],
  ['training', 'the training loop on WebGPU reports every batch and stops at a NaN with the old weights'],
];

for (const [name, title] of checks)
  test(title, async () => {
    test.setTimeout(240_000);
    const info = test.info();
    const result: CheckResult = await page.evaluate((n) => window.webgpuChecks.run(n), name);
    info.annotations.push({
      type: name,
      description: `${result.cases} cases, worst difference ${result.worst.toExponential(2)}`,
    });
    console.log(`${name}: ${result.cases} cases, worst ${result.worst.toExponential(2)}`);
    expect(result.failures).toEqual([]);
  });
