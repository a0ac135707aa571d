/**
 * The command line against hostile files and careless flags: each gets its own plain message and
 * exit code, never a raw JavaScript error.
 */
import { closeSync, ftruncateSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main';
import { deeplyNested } from '../support/bombs';

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const tmp = mkdtempSync(join(tmpdir(), 'convcanvas-hostile-cli-'));

describe('hostile graph files', () => {
  it('a deeply nested file is an invalid graph (exit 1) with the place, not a stack overflow', async () => {
    const file = join(tmp, 'deep.json');
    writeFileSync(file, deeplyNested(20_000));
    for (const command of ['summary', 'export']) {
      const { code, err } = await run(command, file);
      expect(code).toBe(1);
      expect(err).toMatch(
        /is not a valid graph:\n {2}\(\(file\)\): brackets nest more than 64 levels deep at line 1, column 105;/,
      );
    }
  });

  it('a file over the size limit is refused from its size, without reading it', async () => {
    const file = join(tmp, 'huge.json');
    const fd = openSync(file, 'w');
    ftruncateSync(fd, 40 * 2 ** 20);
    closeSync(fd);
    const { code, err } = await run('summary', file);
    expect(code).toBe(1);
    expect(err).toBe(`${file} is 40.0 MiB; a graph file is read only up to 32.0 MiB`);
  });
});

describe('train flags', () => {
  it('name the flag and its range instead of failing to allocate', async () => {
    const images = await run('train', 'starter-cnn', '--train-images', '1e9');
    expect(images.code).toBe(2);
    expect(images.err).toMatch(
      /^--train-images must be a positive whole number, not "1e9" \(from 64 to 50000\)\n/,
    );
    const size = await run('train', 'starter-cnn', '--size', '100000');
    expect(size.code).toBe(2);
    expect(size.err).toMatch(/^--size is no longer needed/);
  });

  it('say that a browser backend does not exist in Node', async () => {
    const webgl = await run('train', 'starter-cnn', '--backend', 'webgl');
    expect(webgl.code).toBe(2);
    expect(webgl.err).toMatch(/^--backend webgl needs a browser; in Node only wasm and cpu exist\n/);
    const other = await run('train', 'starter-cnn', '--backend', 'tpu');
    expect(other.err).toMatch(/^--backend must be wasm or cpu, not "tpu"\n/);
  });

  it('refuse a second graph instead of ignoring it, in every command', async () => {
    for (const command of ['summary', 'train', 'export']) {
      const { code, err } = await run(command, 'starter-cnn', 'resnet-20');
      expect(code).toBe(2);
      expect(err).toMatch(
        new RegExp(`^${command} takes one graph, but was given 2: "starter-cnn", "resnet-20"\\n`),
      );
    }
    expect((await run('train')).err).toMatch(/^train needs a graph: a graph.json file or a template name\n/);
  });
});
