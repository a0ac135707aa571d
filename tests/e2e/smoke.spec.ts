import { expect, test } from '@playwright/test';

test('the built app loads under its security policy and shows the default template', async ({ page }) => {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  const response = await page.goto('/');
  const headers = response!.headers();
  expect(headers['content-security-policy']).toContain("default-src 'self'");
  expect(headers['cross-origin-opener-policy']).toBe('same-origin');
  await expect(page.getByRole('heading', { name: 'ConvCanvas' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Model summary' })).toContainText('16×16×32');
  await page.screenshot({ path: test.info().outputPath('home.png'), fullPage: true });
  expect(problems).toEqual([]);
});
