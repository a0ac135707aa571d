/** `npm run cli -- export`: writes the TypeScript module that builds a graph's model. */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generateModule } from '../codegen';
import type { Io } from './io';
import { locatedErrors, oneGraph, trainConfigFrom, trainSettingOptions, trainSettingsUsage } from './options';
import { readGraphSource } from './source';

export const exportUsage = `usage: npm run cli -- export <graph.json | template> [--train ${trainSettingsUsage()}] [--out file.ts]`;

export function exportCommand(args: readonly string[], io: Io): number {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      train: { type: 'boolean', default: false },
      out: { type: 'string' },
      ...trainSettingOptions,
    },
    allowPositionals: true,
  });
  const source = oneGraph('export', positionals);
  if ('message' in source) {
    io.err(`${source.message}\n${exportUsage}`);
    return 2;
  }
  const config = values.train ? trainConfigFrom(values) : undefined;
  if (typeof config === 'string') {
    io.err(`${config}\n${exportUsage}`);
    return 2;
  }
  const graph = readGraphSource(source.graph);
  if (!graph.ok) {
    io.err(graph.message);
    return 1;
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
