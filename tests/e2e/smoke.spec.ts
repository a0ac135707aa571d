import { expect, test } from '@playwright/test';
import { openApp, shapeOf, snap } from './helpers';

test('the built app loads under its security policy with the default template ready', async ({
  page,
}, info) => {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  const response = await page.request.get('/');
  const headers = response.headers();
  expect(headers['content-security-policy']).toContain("default-src 'self'");
  expect(headers['content-security-policy']).not.toContain("unsafe-inline'; script");
  expect(headers['cross-origin-opener-policy']).toBe('same-origin');
  await openApp(page);
  await expect(page.locator('.brand')).toContainText('Starter CNN');
  await expect(shapeOf(page, 'down1')).toHaveText('16×16×32');
  await expect(page.getByTestId('graph-status')).toHaveText('valid: ready to train');
  await snap(page, info, 'home');
  expect(problems).toEqual([]);
});
