import { describe, expect, it } from 'vitest';
import { defaultTrainConfig } from '../../src/core/training/settings';
import type { TrainingEvent, TrainingState } from '../../src/store/lifecycle';
import { BATCH_HISTORY } from '../../src/core/training/reports';
import { etaSeconds, idle, reduce } from '../../src/store/lifecycle';

const config = { ...defaultTrainConfig, epochs: 2, batchSize: 10 };
const batch = (n: number, ips = 100): TrainingEvent => ({
  type: 'batch',
  report: {
    epoch: 1,
    batch: n,
    batches: 5,
    loss: 1 / n,
    accuracy: 0.5,
    learningRate: 0.01,
    imagesPerSecond: ips,
  },
});
const run = (...events: TrainingEvent[]): TrainingState => events.reduce(reduce, idle);

describe('training lifecycle', () => {
  it('moves idle → compiling → training → paused → training → done', () => {
    const s = run({ type: 'start', config }, { type: 'compiled', trainable: 10, batches: 5 }, batch(1));
    expect(s.phase).toBe('training');
    const paused = reduce(s, { type: 'pause' });
    expect(paused.phase).toBe('paused');
    const resumed = reduce(paused, { type: 'resume' });
    expect(resumed.phase).toBe('training');
    const done = reduce(resumed, { type: 'finished', stopped: false });
    expect(done).toMatchObject({ phase: 'done', stopped: false });
    if (done.phase === 'done') expect(done.progress.done).toBe(1);
  });

  it('ignores events that make no sense in a state', () => {
    expect(reduce(idle, { type: 'pause' })).toBe(idle);
    expect(reduce(idle, batch(1))).toBe(idle);
    const training = run({ type: 'start', config }, { type: 'compiled', trainable: 1, batches: 5 });
    expect(reduce(training, { type: 'start', config })).toBe(training);
    expect(reduce(training, { type: 'reset' })).toBe(training);
  });

  it('keeps progress when training fails, and can start again after', () => {
    const failed = run({ type: 'start', config }, { type: 'compiled', trainable: 1, batches: 5 }, batch(1), {
      type: 'failed',
      kind: 'diverged',
      message: 'NaN',
    });
    expect(failed).toMatchObject({ phase: 'error', kind: 'diverged', progress: { done: 1 } });
    expect(reduce(failed, { type: 'start', config }).phase).toBe('compiling');
  });

  it('estimates the time left from a smoothed rate', () => {
    const s = run(
      { type: 'start', config },
      { type: 'compiled', trainable: 1, batches: 5 },
      batch(1, 100),
      batch(2, 200),
    );
    if (s.phase !== 'training') throw new Error(s.phase);
    expect(s.progress.imagesPerSecond).toBeCloseTo(0.8 * 100 + 0.2 * 200);
    // 2 epochs × 5 batches, 2 done: 8 batches × 10 images at 120 images/s.
    expect(etaSeconds(s.progress, 10)).toBeCloseTo(80 / 120);
  });

  it('bounds the batch history for long runs', () => {
    let s = run({ type: 'start', config }, { type: 'compiled', trainable: 1, batches: 5 });
    for (let i = 0; i < BATCH_HISTORY * 3; i++) s = reduce(s, batch(i + 1));
    if (s.phase !== 'training') throw new Error(s.phase);
    expect(s.progress.batches.length).toBeLessThanOrEqual(BATCH_HISTORY);
    expect(s.progress.done).toBe(BATCH_HISTORY * 3);
    expect(s.progress.batches.at(-1)?.batch).toBe(BATCH_HISTORY * 3);
  });
});

describe('training more epochs', () => {
  it('goes from done back to training with the history kept and the total extended', () => {
    const done = run(
      { type: 'start', config },
      { type: 'compiled', trainable: 1, batches: 5 },
      batch(1),
      {
        type: 'epoch',
        report: {
          epoch: 1,
          loss: 1,
          accuracy: 0.5,
          valLoss: 1,
          valAccuracy: 0.5,
          seconds: 1,
          weightChange: 0.1,
        },
      },
      { type: 'finished', stopped: false },
    );
    const more = reduce(done, { type: 'more', epochs: 3 });
    expect(more).toMatchObject({
      phase: 'training',
      config: { epochs: 5 },
      progress: { epochs: 5, done: 1 },
    });
    if (more.phase === 'training') expect(more.progress.epochReports).toHaveLength(1);
    expect(reduce(idle, { type: 'more', epochs: 3 })).toBe(idle);
  });
});
