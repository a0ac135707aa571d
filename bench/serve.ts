/** Builds the app and serves the build for browser benchmarks; `close()` stops the server. */
import { spawn, spawnSync } from 'node:child_process';

export const executablePath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

async function waitForServer(url: string, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no server at ${url}`);
}

/** `outDir` and `env` (build-time variables such as VITE_WASM_THREADS) make a variant build. */
export async function serveBuild(
  port: number,
  { build = true, outDir = 'dist', env = {} as Record<string, string> } = {},
): Promise<{ base: string; close(): void }> {
  const dir = ['--outDir', outDir, '--emptyOutDir'];
  if (
    build &&
    spawnSync('node', ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'error', ...dir], {
      stdio: 'inherit',
      env: { ...process.env, ...env },
    }).status !== 0
  )
    throw new Error('build failed');
  const server = spawn(
    'node',
    [
      'node_modules/vite/bin/vite.js',
      'preview',
      ...dir.slice(0, 2),
      '--port',
      String(port),
      '--strictPort',
      '--host',
      '127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForServer(base);
  } catch (e) {
    server.kill();
    throw e;
  }
  return { base, close: () => server.kill() };
}
