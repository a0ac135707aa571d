import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import type { Download, Locator, Page } from '@playwright/test';
import { openApp, snap } from './helpers';

const trainingPanel = (page: Page): Locator => page.getByRole('region', { name: 'Training' });
const landscape = (page: Page): Locator => page.getByRole('dialog', { name: 'Loss landscape' });

async function smallRun(page: Page, train: number, val: number): Promise<void> {
  const panel = trainingPanel(page);
  await panel.getByRole('spinbutton', { name: 'epochs' }).fill('1');
  await panel.getByText('More settings').click();
  await panel.getByRole('spinbutton', { name: 'training images' }).fill(String(train));
  await panel.getByRole('spinbutton', { name: 'validation images' }).fill(String(val));
}

/** The trained weights as downloaded (the .bin file's bytes). */
async function weightBytes(page: Page): Promise<Buffer> {
  const downloads: Download[] = [];
  const listener = (d: Download) => downloads.push(d);
  page.on('download', listener);
  await trainingPanel(page).getByRole('button', { name: 'Download model' }).click();
  await expect.poll(() => downloads.length).toBe(2);
  page.off('download', listener);
  const bin = downloads.find((d) => d.suggestedFilename().endsWith('.bin'))!;
  return readFileSync((await bin.path())!);
}

/** Both sizes the page is looked at in. */
async function snapBoth(page: Page, info: Parameters<typeof snap>[1], name: string): Promise<void> {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.waitForTimeout(300);
  await snap(page, info, `${name}-1440x900`);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.waitForTimeout(300);
  await snap(page, info, `${name}-1280x720`);
}

test('slices the trained Starter CNN: contours and a 3-D view; a cancelled 51×51 slice leaves the weights as they were', async ({
  page,
}, info) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  await openApp(page, '/?backend=wasm');
  await smallRun(page, 256, 64);
  await trainingPanel(page).getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('epochs').locator('tbody tr')).toHaveCount(1, { timeout: 150_000 });
  await expect(trainingPanel(page).getByRole('button', { name: 'Download model' })).toBeEnabled({
    timeout: 60_000,
  });
  const before = await weightBytes(page);

  await page.getByRole('button', { name: 'Landscape' }).click();
  const sheet = landscape(page);
  await sheet.getByRole('combobox', { name: 'grid' }).selectOption('11');
  await sheet.getByRole('spinbutton', { name: 'images' }).fill('64');
  await sheet.getByRole('button', { name: 'Compute 121 points' }).click();
  await expect(sheet.getByRole('status')).toContainText('Done', { timeout: 120_000 });
  await expect(sheet.getByRole('status')).toContainText('121 of 121');
  const contours = sheet.getByRole('img', { name: /loss contours/ });
  await expect(contours).toBeVisible();
  await snapBoth(page, info, 'slice-contours');

  await sheet.getByRole('button', { name: '3-D' }).click();
  const three = sheet.getByTestId('surface-3d');
  await expect(three).toBeVisible({ timeout: 20_000 });
  // The surface is drawn: the canvas holds more than one colour.
  await expect
    .poll(() => three.evaluate((c: HTMLCanvasElement) => c.toDataURL().length), { timeout: 10_000 })
    .toBeGreaterThan(5000);
  const box = (await three.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 80, box.y + box.height / 2 + 20, { steps: 6 });
  await page.mouse.up();
  await snapBoth(page, info, 'slice-3d');

  // The plane of the training path's main directions, with the path drawn over the contours.
  await sheet.getByRole('button', { name: 'Contours' }).click();
  await sheet.getByRole('radio', { name: /Training path/ }).check();
  await sheet.getByRole('button', { name: 'Compute 121 points' }).click();
  await expect(sheet.getByRole('status')).toContainText('Done', { timeout: 120_000 });
  await expect(sheet.getByText(/Path: \d+ snapshots/)).toBeVisible();
  await snapBoth(page, info, 'slice-path');
  await sheet.getByRole('radio', { name: /Random plane/ }).check();

  // A 51×51 slice, cancelled once it has begun: the weights are exactly as before.
  await sheet.getByRole('combobox', { name: 'grid' }).selectOption('51');
  await sheet.getByRole('button', { name: 'Compute 2,601 points' }).click();
  await expect(sheet.getByRole('status')).toContainText('of 2,601', { timeout: 30_000 });
  await expect
    .poll(async () => /Computing/.test((await sheet.getByRole('status').textContent()) ?? ''))
    .toBe(true);
  await page.waitForTimeout(1500);
  await sheet.getByRole('button', { name: 'Cancel' }).click();
  await expect(sheet.getByRole('status')).toContainText('Cancelled', { timeout: 30_000 });
  const status = (await sheet.getByRole('status').textContent()) ?? '';
  const done = Number(/([\d,]+) of 2,601/.exec(status)![1]!.replace(',', ''));
  expect(done).toBeGreaterThan(0);
  expect(done).toBeLessThan(2601);
  await snap(page, info, 'slice-cancelled');
  await page.keyboard.press('Escape');
  await expect(sheet).toBeHidden();
  expect((await weightBytes(page)).equals(before)).toBe(true);
});

test('compares the Starter CNN with its residual twin on small settings and exports the pictures', async ({
  page,
}, info) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await openApp(page, '/?backend=wasm');
  await smallRun(page, 128, 32);
  await page.getByRole('button', { name: 'Landscape' }).click();
  const sheet = landscape(page);
  await sheet.getByRole('combobox', { name: 'grid' }).selectOption('11');
  await sheet.getByRole('spinbutton', { name: 'images' }).fill('32');
  await sheet.getByRole('tab', { name: 'Plain vs residual' }).click();
  await snapBoth(page, info, 'compare-start');
  await sheet.getByRole('combobox', { name: 'compare' }).selectOption('residual-twin');
  await expect(sheet.getByText('Starter CNN (residual twin)')).toBeVisible();
  await sheet.getByRole('button', { name: 'Train and compare' }).click();
  await expect(sheet.getByRole('status')).toContainText('Comparing');
  await snap(page, info, 'compare-running');
  await expect(sheet.getByRole('status')).toContainText('Done', { timeout: 240_000 });
  await expect(sheet.getByRole('img', { name: /loss contours/ })).toHaveCount(2);
  await expect(sheet.locator('table.compare-table tbody tr')).toHaveCount(2);
  await expect(sheet.getByText(/ends with the higher training loss/)).toBeVisible();
  await snapBoth(page, info, 'compare-done');

  for (const name of ['Curves PNG', 'Surfaces PNG']) {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      sheet.getByRole('button', { name }).click(),
    ]);
    const png = readFileSync((await download.path())!);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(10_000);
    await download.saveAs(info.outputPath(download.suggestedFilename()));
  }
});
