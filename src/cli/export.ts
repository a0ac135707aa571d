/** `npm run cli -- export`: writes the TypeScript module that builds a graph's model. */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generateModule } from '../codegen';
import type { TrainConfig } from '../train/config';
import { defaultTrainConfig } from '../train/config';
import type { Io } from './main';
import { readGraphSource } from './source';

export const exportUsage =
  'usage: npm run cli -- export <graph.json | template> [--train [--epochs N] [--lr X] [--batch N] [--optimizer sgd|adam|adamw]] [--out file.ts]';

const optimizers: readonly TrainConfig['optimizer'][] = ['sgd', 'adam', 'adamw'];

/** The training settings from the options, or why they are wrong. */
function trainConfig(values: Record<string, string | boolean | undefined>): TrainConfig | string {
  const number = (key: string, integer: boolean): number | string | undefined => {
    const raw = values[key];
    if (typeof raw !== 'string') return undefined;
    const n = Number(raw);
    return Number.isFinite(n) && n > 0 && (!integer || Number.isInteger(n))
      ? n
      : `--${key} must be a positive ${integer ? 'whole ' : ''}number, not "${raw}"`;
  };
  const epochs = number('epochs', true);
  const lr = number('lr', false);
  const batch = number('batch', true);
  for (const v of [epochs, lr, batch]) if (typeof v === 'string') return v;
  const optimizer = values['optimizer'];
  if (optimizer !== undefined && !optimizers.includes(optimizer as TrainConfig['optimizer']))
    return `--optimizer must be one of ${optimizers.join(', ')}, not "${String(optimizer)}"`;
  return {
    ...defaultTrainConfig,
    ...(epochs === undefined ? {} : { epochs: epochs as number }),
    ...(lr === undefined ? {} : { learningRate: lr as number }),
    ...(batch === undefined ? {} : { batchSize: batch as number }),
    ...(optimizer === undefined ? {} : { optimizer: optimizer as TrainConfig['optimizer'] }),
  };
}

export function exportCommand(args: readonly string[], io: Io): number {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      train: { type: 'boolean', default: false },
      out: { type: 'string' },
      epochs: { type: 'string' },
      lr: { type: 'string' },
      batch: { type: 'string' },
      optimizer: { type: 'string' },
    },
    allowPositionals: true,
  });
  const [source] = positionals;
  if (source === undefined || positionals.length > 1) {
    io.err(exportUsage);
    return 2;
  }
  const config = values.train ? trainConfig(values) : undefined;
  if (typeof config === 'string') {
    io.err(`${config}\n${exportUsage}`);
    return 2;
  }
  const graph = readGraphSource(source);
  if (!graph.ok) {
    io.err(graph.message);
    return 1;
  }
  const result = generateModule(graph.doc, config === undefined ? {} : { train: config });
  if (!result.ok) {
    io.err(
      [
        'The graph cannot be exported:',
        ...result.errors.map((e) => `  ${e.nodeId ?? 'graph'}: ${e.message}`),
      ].join('\n'),
    );
    return 1;
  }
  if (values.out === undefined) io.out(result.code.trimEnd());
  else {
    writeFileSync(values.out, result.code);
    io.err(`Wrote ${values.out} (${result.code.split('\n').length - 1} lines).`);
  }
  return 0;
}
