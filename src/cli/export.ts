/** `npm run cli -- export`: writes the TypeScript module, or the PyTorch files, for a graph. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateModule } from '../codegen';
import { generatePytorch } from '../codegen/pytorch';
import type { ResizeMode } from '../core/training/augment';
import type { Io } from './io';
import { locatedErrors, oneGraph, trainConfigFrom, trainSettingOptions, trainSettingsUsage } from './options';
import { readGraphSource } from './source';

export const exportUsage = `usage: npm run cli -- export <graph.json | template> [--train ${trainSettingsUsage()}] [--out file.ts]
       npm run cli -- export <graph.json | template> --format pytorch ${trainSettingsUsage()}
              [--resize centre-crop|letterbox|stretch] [--out folder]`;

const formats = ['typescript', 'pytorch'] as const;
const resizeModes: readonly ResizeMode[] = ['centre-crop', 'letterbox', 'stretch'];

/** A folder name of safe characters from a graph's name. */
const folderName = (name: string): string =>
  `${name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-|-$/g, '') || 'model'}-pytorch`;

export function exportCommand(args: readonly string[], io: Io): number {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      format: { type: 'string', default: 'typescript' },
      train: { type: 'boolean', default: false },
      out: { type: 'string' },
      resize: { type: 'string' },
      ...trainSettingOptions,
    },
    allowPositionals: true,
  });
  const source = oneGraph('export', positionals);
  if ('message' in source) {
    io.err(`${source.message}\n${exportUsage}`);
    return 2;
  }
  const format = values.format;
  if (!formats.includes(format as (typeof formats)[number])) {
    io.err(`--format must be one of ${formats.join(', ')}, not "${format}"\n${exportUsage}`);
    return 2;
  }
  const pytorch = format === 'pytorch';
  const resize = values.resize;
  if (resize !== undefined && (!pytorch || !resizeModes.includes(resize as ResizeMode))) {
    io.err(
      `${pytorch ? `--resize must be one of ${resizeModes.join(', ')}, not "${resize}"` : '--resize is for --format pytorch'}\n${exportUsage}`,
    );
    return 2;
  }
  // train.py always comes with the PyTorch files, so their settings need no --train.
  const config = values.train || pytorch ? trainConfigFrom(values) : undefined;
  if (typeof config === 'string') {
    io.err(`${config}\n${exportUsage}`);
    return 2;
  }
  const graph = readGraphSource(source.graph);
  if (!graph.ok) {
    io.err(graph.message);
    return 1;
  }
  if (pytorch) {
    const result = generatePytorch(graph.doc, {
      ...(config === undefined ? {} : { train: config }),
      ...(resize === undefined ? {} : { resize: resize as ResizeMode }),
    });
    if (!result.ok) {
      io.err(locatedErrors('exported', result.errors));
      return 1;
    }
    const folder = values.out ?? folderName(graph.doc.name);
    mkdirSync(folder, { recursive: true });
    for (const f of result.files) writeFileSync(join(folder, f.name), f.code);
    io.err(
      `Wrote ${result.files.map((f) => `${join(folder, f.name)} (${f.code.split('\n').length - 1} lines)`).join(', ')}.`,
    );
    return 0;
  }
  const result = generateModule(graph.doc, config === undefined ? {} : { train: config });
  if (!result.ok) {
    io.err(locatedErrors('exported', result.errors));
    return 1;
  }
  if (values.out === undefined) io.out(result.code.trimEnd());
  else {
    writeFileSync(values.out, result.code);
    io.err(`Wrote ${values.out} (${result.code.split('\n').length - 1} lines).`);
  }
  return 0;
}
