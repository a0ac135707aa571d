import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import lz from 'lz-string';
import { bombLink, deeplyNested } from '../unit/support/bombs';
import { AUTOSAVE_KEY, fixture, snap } from './helpers';

const refusal = (page: Page) => page.getByRole('dialog', { name: 'Could not open the graph' });

test('the link that blanked the page opens the editor with the refusal, and a reload stays clean', async ({
  page,
}, info) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const link = lz.compressToEncodedURIComponent(deeplyNested(20_000));
  expect(link.length).toBeLessThan(1000);
  await page.goto(`/?backend=cpu#graph=${link}`);
  await expect(refusal(page)).toBeVisible();
  await expect(refusal(page).getByTestId('import-errors')).toContainText(
    'brackets nest more than 64 levels deep at line 1',
  );
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
  expect(new URL(page.url()).hash).toBe('');
  expect(new URL(page.url()).search).toBe('?backend=cpu');
  await snap(page, info, 'deep-link-refused');
  await refusal(page).getByRole('button', { name: 'Close' }).click();
  await page.reload();
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
  await expect(refusal(page)).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('a compression bomb link is refused, the page renders', async ({ page }, info) => {
  // 20,000 codes: a 45 KB link that unpacks to 200 million characters.
  const link = bombLink(20_000);
  let started = Date.now();
  await page.goto('/');
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
  console.log(`the plain page showed its graph ${Date.now() - started} ms after navigation began`);
  await page.goto('about:blank');
  started = Date.now();
  await page.goto(`/#graph=${link}`);
  await expect(refusal(page).getByTestId('import-errors')).toContainText(
    'the link would unpack to more than 32.0 MiB of text',
  );
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
  console.log(
    `bomb link of ${link.length} characters refused ${Date.now() - started} ms after navigation began`,
  );
  await snap(page, info, 'bomb-refused');
});

test('an autosave too big for the loader and for a second copy survives reloads and edits', async ({
  page,
}, info) => {
  // One node over the cap, padded to 3 M characters: storage holds it once, not twice.
  const nodes: [string, string, Record<string, unknown>][] = [['image', 'input', {}]];
  for (let i = 1; i <= 10_000; i++) nodes.push([`a${i}`, 'activation', {}]);
  const compact = JSON.stringify(fixture('too big', nodes, []));
  const original = compact.replace('"too big"', `"too big"${' '.repeat(3_000_000 - compact.length)}`);
  expect(original.length).toBe(3_000_000);

  await page.goto('/');
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
  await page.evaluate(([key, text]) => window.localStorage.setItem(key!, text!), [AUTOSAVE_KEY, original]);
  await page.reload();
  const dialog = refusal(page);
  await expect(dialog.getByRole('heading')).toHaveText(
    'Could not open the autosaved graph (still in browser storage, unchanged)',
  );
  await expect(dialog.getByTestId('held-graph')).toContainText('autosave is paused');
  await expect(dialog.getByTestId('import-errors')).toContainText(
    'a graph holds at most 10,000 nodes, and this one would have 10,001',
  );
  await snap(page, info, 'autosave-held');
  await page.setViewportSize({ width: 1440, height: 900 });
  await snap(page, info, 'autosave-held-1440');

  const stored = () => page.evaluate((key) => window.localStorage.getItem(key), AUTOSAVE_KEY);
  // Downloading gives back exactly the stored text.
  const downloading = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Download it' }).click();
  const file = await (await downloading).path();
  expect(readFileSync(file, 'utf8') === original).toBe(true);

  // Edits and the autosave delay leave it alone; so does a reload.
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByRole('alert')).toContainText('Autosave is paused');
  await page.locator('.palette [data-kind="conv"]').click();
  await page.waitForTimeout(500);
  expect((await stored()) === original).toBe(true);
  await page.reload();
  await expect(refusal(page).getByRole('heading')).toHaveText(
    'Could not open the autosaved graph (still in browser storage, unchanged)',
  );
  expect((await stored()) === original).toBe(true);

  // Only the person's choice lets autosave replace it.
  await refusal(page).getByRole('button', { name: 'Resume autosave' }).click();
  await expect.poll(async () => JSON.parse((await stored())!).name as string).toBe('Starter CNN');
  await snap(page, info, 'autosave-resumed');
});
