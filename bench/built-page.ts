/**
 * A folder holding index.html and its TypeScript, built with Vite and served to Playwright pages
 * from memory under a path prefix (no server: the page's requests are answered by a route). Used
 * for pages that check or measure the training code in Chromium without going through the app.
 */
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import type { Page } from '@playwright/test';
import { build } from 'vite';

const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript' };

/** Builds `root` for serving under `prefix` (such as '/__checks/'); returns the output folder. */
export async function buildPage(root: string, prefix: string): Promise<string> {
  const outDir = join(tmpdir(), `convcanvas-page-${process.pid}-${prefix.replace(/\W/g, '')}`);
  await build({
    configFile: false,
    root,
    base: prefix,
    logLevel: 'error',
    build: { outDir, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 10_000 },
  });
  return outDir;
}

/**
 * Answers `page`'s requests under `prefix` from `outDir`. WebGPU needs a secure context: open the
 * page at the preview server's origin, or at http://localhost:<any port>, where nothing need listen.
 */
export async function servePage(page: Page, outDir: string, prefix: string): Promise<void> {
  await page.route(`**${prefix}**`, async (route) => {
    const path = new URL(route.request().url()).pathname.slice(prefix.length) || 'index.html';
    const body = await readFile(join(outDir, path)).catch(() => undefined);
    await route.fulfill(
      body === undefined
        ? { status: 404 }
        : { body, contentType: types[extname(path)] ?? 'application/octet-stream' },
    );
  });
}
