/**
 * ConvCanvas on the command line: `npm run cli -- <command> ...`.
 * Exit codes: 0 success, 1 invalid graph, 2 usage error.
 */
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { exportCommand } from './export';
import type { Io } from './io';
import { oneGraph } from './options';
import { readGraphSource } from './source';
import { renderSummary, summaryOf } from './summary';
import { trainCommand } from './train';

const usage = `usage: npm run cli -- <command> [options]

commands:
  summary <graph.json | template> [--json]   shapes, parameters and FLOPs of every node
  train <graph.json | template> --epochs N [--backend wasm|cpu] [--lr X] [--batch N]
        [--optimizer sgd|adam|adamw] [--train-images N] [--val-images N]
        [--data <folder | idx files | cifar batches> ...] [--fit centre-crop|letterbox|stretch]
        [--val-share X] [--augment none|photos|satellite|digits|<json>] [--json]
                                             train on the built-in shapes dataset, or on --data
  export <graph.json | template> [--train [--epochs N] [--lr X] [--batch N] [--optimizer sgd|adam|adamw]]
        [--out file.ts]   a TypeScript module that builds the model (and trains it, with --train)
  export <graph.json | template> --format pytorch [--epochs N] [--lr X] [--batch N]
        [--optimizer sgd|adam|adamw] [--resize centre-crop|letterbox|stretch] [--out folder]
                          model.py, train.py (one GPU or many, with torchrun) and README.md`;

function summaryCommand(args: readonly string[], io: Io): number {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { json: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  const source = oneGraph('summary', positionals);
  if ('message' in source) {
    io.err(`${source.message}\n\n${usage}`);
    return 2;
  }
  const graph = readGraphSource(source.graph);
  if (!graph.ok) {
    io.err(graph.message);
    return 1;
  }
  const summary = summaryOf(graph.doc);
  io.out(values.json ? JSON.stringify(summary, null, 2) : renderSummary(summary));
  if (!summary.valid) {
    if (!values.json) io.err('The graph is not valid: see the errors above.');
    return 1;
  }
  return 0;
}

export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'summary':
        return summaryCommand(rest, io);
      case 'train':
        return await trainCommand(rest, io);
      case 'export':
        return exportCommand(rest, io);
      case undefined:
      case 'help':
      case '--help':
        io.out(usage);
        return command === undefined ? 2 : 0;
      default:
        io.err(`unknown command "${command}"\n\n${usage}`);
        return 2;
    }
  } catch (e) {
    io.err(e instanceof Error ? e.message : String(e));
    return 2;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const tty = process.stderr.isTTY;
  process.exitCode = await runCli(process.argv.slice(2), {
    out: (t) => process.stdout.write(t + '\n'),
    err: (t) => process.stderr.write(t + '\n'),
    progress: (t) => process.stderr.write(tty ? `\r${t}\x1b[K` : `${t}\n`),
  });
  if (tty) process.stderr.write('\n');
}
