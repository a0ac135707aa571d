import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import type { Download } from '@playwright/test';
import { field, openApp, selectNode, snap } from './helpers';

test('trains the Starter CNN for an epoch on wasm in a worker, with pause and resume', async ({
  page,
}, info) => {
  test.setTimeout(180_000);
  // Long tasks on the page's main thread while training runs (reported, not asserted: timing varies).
  await page.addInitScript(() => {
    const w = window as unknown as { __longTasks: { start: number; duration: number }[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  await openApp(page, '/?backend=wasm');
  await expect(page.getByTestId('backend-reason')).toContainText('wasm was chosen');
  const training = page.getByRole('region', { name: 'Training' });
  await training.getByRole('spinbutton', { name: 'epochs' }).fill('1');
  const startedAt = await page.evaluate(() => performance.now());
  await training.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('train-status')).toHaveText('Training…');
  const progress = training.getByRole('progressbar', { name: 'Training progress' });
  await expect
    .poll(async () => Number(await progress.getAttribute('value')), { timeout: 30_000 })
    .toBeGreaterThan(5);
  await snap(page, info, 'training');
  // The live chart redraws as batches arrive.
  const chart = page.getByTestId('chart-loss').locator('canvas');
  const before = await chart.evaluate((c: HTMLCanvasElement) => c.toDataURL());
  await expect
    .poll(() => chart.evaluate((c: HTMLCanvasElement) => c.toDataURL()), { timeout: 20_000 })
    .not.toBe(before);

  await training.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('train-status')).toHaveText('Paused.');
  await page.waitForTimeout(500); // a batch already under way may still land
  const held = Number(await progress.getAttribute('value'));
  await page.waitForTimeout(1500);
  expect(Number(await progress.getAttribute('value'))).toBe(held);
  await training.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByTestId('train-status')).toHaveText('Training…');

  await expect(page.getByTestId('train-status')).toHaveText('Done.', { timeout: 150_000 });
  const cells = await page.getByTestId('epochs').locator('tbody td').allTextContents();
  const valAccuracy = Number(cells[4]!.replace('%', '')) / 100;
  // Ten balanced classes: chance is 10%.
  expect(valAccuracy).toBeGreaterThan(0.2);
  // Afterwards: the confusion matrix (10×10 plus accuracy) and the worst validation images.
  await expect(page.getByRole('table', { name: 'Confusion matrix' }).locator('tr')).toHaveCount(10);
  await expect(page.getByTestId('results').locator('canvas.thumb')).toHaveCount(12);
  await snap(page, info, 'trained');

  // One more epoch continues the same model; the numbering and the history carry on.
  await training.getByRole('spinbutton', { name: 'More epochs' }).fill('1');
  await training.getByRole('button', { name: 'Train 1 more epoch' }).click();
  await expect(page.getByTestId('train-status')).toHaveText('Training…');
  await expect(page.getByTestId('train-status')).toHaveText('Done.', { timeout: 150_000 });
  await expect(page.getByTestId('epochs').locator('tbody tr')).toHaveCount(2);
  const second = await page.getByTestId('epochs').locator('tbody tr').nth(1).locator('td').allTextContents();
  expect(second[0]).toBe('2');

  const longTasks = await page.evaluate((t0) => {
    const w = window as unknown as { __longTasks: { start: number; duration: number }[] };
    const during = w.__longTasks.filter((t) => t.start >= t0).map((t) => t.duration);
    return { count: during.length, longest: Math.max(0, ...during), since: performance.now() - t0 };
  }, startedAt);
  info.annotations.push({
    type: 'main-thread long tasks while training',
    description: `${longTasks.count} tasks over 50 ms, longest ${longTasks.longest.toFixed(0)} ms, in ${(longTasks.since / 1000).toFixed(0)} s`,
  });
  console.log(`long tasks while training: ${JSON.stringify(longTasks)}`);

  // The weights survive a reload: the same run comes back, ready for more epochs or a download.
  await page.reload();
  await expect(page.getByTestId('weights-restored')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('epochs').locator('tbody tr')).toHaveCount(2);
  expect(await page.getByTestId('epochs').locator('tbody tr').nth(1).locator('td').allTextContents()).toEqual(
    second,
  );
  await expect(page.getByRole('table', { name: 'Confusion matrix' }).locator('tr')).toHaveCount(10);
  await expect(training.getByRole('button', { name: /Train \d+ more epoch/ })).toBeVisible();

  // Download: model.json names the weights file and describes exactly its bytes.
  const downloads: Download[] = [];
  page.on('download', (d) => downloads.push(d));
  await training.getByRole('button', { name: 'Download model' }).click();
  await expect.poll(() => downloads.length).toBe(2);
  const files = new Map<string, Buffer>();
  for (const d of downloads) files.set(d.suggestedFilename(), readFileSync((await d.path())!));
  const jsonName = [...files.keys()].find((n) => n.endsWith('.model.json'))!;
  const json = JSON.parse(files.get(jsonName)!.toString('utf8')) as {
    format: string;
    weightsManifest: { paths: string[]; weights: { shape: number[] }[] }[];
  };
  expect(json.format).toBe('layers-model');
  const [group] = json.weightsManifest;
  const bytes = group!.weights.reduce((n, w) => n + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
  expect(files.get(group!.paths[0]!)!.byteLength).toBe(bytes);
  // ... and loads back into the same graph.
  await page
    .getByTestId('weights-file')
    .setInputFiles(
      [...files].map(([name, buffer]) => ({ name, buffer, mimeType: 'application/octet-stream' })),
    );
  await expect(page.getByText('Weights loaded into the graph.')).toBeVisible({ timeout: 30_000 });
});

test('editing the network while it trains asks whether to stop', async ({ page }, info) => {
  test.setTimeout(120_000);
  await openApp(page, '/?backend=wasm');
  await expect(page.getByTestId('backend-reason')).toContainText('wasm was chosen');
  const training = page.getByRole('region', { name: 'Training' });
  await training.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('train-status')).toHaveText('Training…');
  await selectNode(page, 'conv');
  await field(page, 'filters').fill('24');
  const dialog = page.getByRole('dialog', { name: 'Training is running' });
  await expect(dialog).toBeVisible();
  await snap(page, info, 'edit-while-training');
  // Taking the edit back keeps training on the graph it started with.
  await dialog.getByRole('button', { name: 'Undo the edit, keep training' }).click();
  await expect(dialog).toBeHidden();
  await expect(field(page, 'filters')).toHaveValue('16');
  await expect(page.getByTestId('train-status')).toHaveText('Training…');
  // Asked again, stopping ends the run and keeps the edit: the edited network is not trained yet.
  await field(page, 'filters').fill('24');
  await dialog.getByRole('button', { name: 'Stop training' }).click();
  await expect(page.getByTestId('train-status')).toHaveText(/^Not trained yet/, { timeout: 30_000 });
  await expect(field(page, 'filters')).toHaveValue('24');
  // The stopped run belongs to the graph before the edit.
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByTestId('train-status')).toHaveText('Stopped.', { timeout: 30_000 });
});

test('WebGPU trains for real: finite loss, weights move, forward pass matches the CPU', async ({
  page,
}, info) => {
  // Chromium's WebGPU here runs on SwiftShader, a CPU emulation: a few steps only.
  test.setTimeout(240_000);
  await openApp(page, '/?backend=webgpu');
  await expect(page.getByTestId('backend-reason')).toContainText('webgpu was chosen', { timeout: 60_000 });
  const training = page.getByRole('region', { name: 'Training' });
  await training.getByRole('spinbutton', { name: 'epochs' }).fill('1');
  await training.getByText('More settings').click();
  await training.getByRole('spinbutton', { name: 'training images' }).fill('64');
  await training.getByRole('spinbutton', { name: 'validation images' }).fill('32');
  await training.getByRole('button', { name: 'Train', exact: true }).click();
  // Two steps learn next to nothing: the run ends with advice rather than a bare "Done.".
  await expect(page.getByTestId('epochs').locator('tbody tr')).toHaveCount(1, { timeout: 200_000 });
  await expect(training.getByRole('button', { name: 'Train', exact: true })).toBeVisible({ timeout: 60_000 });
  const [, loss, , valLoss, , moved] = await page
    .getByTestId('epochs')
    .locator('tbody tr')
    .first()
    .locator('td')
    .allTextContents();
  expect(Number.isFinite(Number(loss))).toBe(true);
  expect(Number.isFinite(Number(valLoss))).toBe(true);
  // Two Adam steps move the weights by a visible fraction of their size.
  expect(Number(moved!.replace('%', ''))).toBeGreaterThan(0.1);
  await expect(page.getByTestId('cpu-check')).toContainText('Matches the CPU');
  await snap(page, info, 'webgpu-trained');
});
