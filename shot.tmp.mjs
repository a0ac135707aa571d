import { chromium } from '@playwright/test';
const [,, url, out, w, h, script] = process.argv;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: Number(w), height: Number(h) } });
page.on('console', (m) => { if (m.type() === 'error') console.log('console:', m.text()); });
page.on('pageerror', (e) => console.log('pageerror:', e.message));
await page.goto(url);
await page.waitForTimeout(2500);
const steps = JSON.parse(script ?? '[]');
let n = 0;
for (const s of steps) {
  if (s.click) await page.locator(s.click).first().click();
  if (s.press) await page.keyboard.press(s.press);
  if (s.wait) await page.waitForTimeout(s.wait);
  if (s.waitFor) await page.locator(s.waitFor).first().waitFor({ timeout: s.timeout ?? 60000 });
  if (s.scroll) await page.locator(s.scroll).first().scrollIntoViewIfNeeded();
  if (s.shot) await page.screenshot({ path: `${out}-${s.shot}.png` });
}
await browser.close();
