import { describe, expect, it } from 'vitest';
import { runAdvice } from '../../src/core/training/advice';
import type { EpochReport } from '../../src/core/training/reports';

const report = (loss: number, valAccuracy: number): EpochReport => ({
  epoch: 1,
  loss,
  accuracy: valAccuracy,
  valLoss: loss,
  valAccuracy,
  seconds: 1,
  weightChange: 0.1,
});
const config = { learningRate: 0.01, epochs: 1 };

describe('advice after a run', () => {
  it('says nothing when the network learned', () => {
    expect(runAdvice([report(0.4, 0.9)], 10, config)).toBeNull();
    // A tenth of the way from chance (10%) to perfect is 19%: just above it is learning.
    expect(runAdvice([report(2, 0.191)], 10, config)).toBeNull();
  });

  it('names chance level and the usual fixes when validation accuracy stays near it', () => {
    const advice = runAdvice([report(1.2, 0.15)], 10, config)!;
    expect(advice).toMatch(
      /^Validation accuracy 15% is near chance \(10% for 10 classes\): the network learned little\./,
    );
    expect(advice).toMatch(
      /more epochs.*lower the learning rate \(try 0\.0010\).*batch norm.*smaller network/,
    );
  });

  it('says the loss never fell below guessing (ln of the class count) when it did not', () => {
    const advice = runAdvice([report(2.31, 0.1)], 10, config)!;
    expect(advice).toContain(`never fell below what guessing gives (${Math.log(10).toFixed(2)})`);
    // Two classes: chance is 50%, guessing costs ln 2.
    expect(runAdvice([report(0.7, 0.52)], 2, config)).toContain('(50% for 2 classes)');
  });
});
