/**
 * What to tell the person when a run ends without learning: near-chance accuracy, a loss that never
 * fell below what guessing gives, and the usual fixes.
 */
import type { EpochReport } from './reports';
import type { TrainConfig } from './settings';

const percent = (x: number) => `${(100 * x).toFixed(x < 0.1 ? 1 : 0)}%`;

/**
 * Advice for a finished run, or null when it learned something. "Near chance" is validation accuracy
 * within a tenth of the way from chance (1 / classes) to perfect; the loss of guessing uniformly is
 * ln(classes).
 */
export function runAdvice(
  reports: readonly EpochReport[],
  classes: number,
  config: Pick<TrainConfig, 'learningRate' | 'epochs'>,
): string | null {
  const last = reports.at(-1);
  if (last === undefined || classes < 2) return null;
  const chance = 1 / classes;
  if (last.valAccuracy >= chance + (1 - chance) * 0.1) return null;
  const guessing = Math.log(classes);
  const stuck = last.loss >= 0.95 * guessing;
  const fixes = [
    `train for more epochs (this run had ${reports.length})`,
    `lower the learning rate (try ${(config.learningRate / 10).toPrecision(2)})`,
    'add batch norm after the convolutions',
    'or use a smaller network',
  ];
  return [
    `Validation accuracy ${percent(last.valAccuracy)} is near chance (${percent(chance)} for ${classes} classes)`,
    stuck
      ? `, and the training loss (${last.loss.toFixed(2)}) never fell below what guessing gives (${guessing.toFixed(2)}): the network did not learn.`
      : ': the network learned little.',
    ` Usual fixes: ${fixes.join(', ')}.`,
  ].join('');
}
