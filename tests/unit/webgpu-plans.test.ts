/**
 * How the WebGPU weight-gradient and batch-norm kernels divide their sums among workgroups: every
 * position (or row) is covered exactly once, no split is empty, and the work stays in bounds. (The
 * kernels themselves are checked against tfjs' own in Chromium's WebGPU: tests/e2e/
 * webgpu-kernels.spec.ts.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planChunks } from '../../src/train/kernels/webgpu/batchnorm';
import { planSplits, tileColumns } from '../../src/train/kernels/webgpu/weight-gradient';

describe('weight gradient: split of the sum over positions', () => {
  it('covers every position once, in non-empty chunks of whole 16-position steps', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 * 7 * 512 }),
        fc.integer({ min: 1, max: 1024 }),
        fc.integer({ min: 1, max: 64 * 352 * 352 }),
        (rows, columns, positions) => {
          const { splits, chunk } = planSplits(rows, columns, positions);
          expect(chunk % 16).toBe(0);
          expect(splits * chunk).toBeGreaterThanOrEqual(positions);
          expect((splits - 1) * chunk).toBeLessThan(positions);
          expect(splits).toBeLessThanOrEqual(65_535);
        },
      ),
    );
  });

  it('splits small filters over many positions, and leaves big filters whole', () => {
    // ResNet-20's first stage at batch 128: a 3×3×16×16 filter over 131,072 positions.
    const small = planSplits(144, 16, 131_072);
    expect(small.splits).toBeGreaterThan(100);
    expect(3 * small.splits).toBeLessThanOrEqual(1024);
    // A 3×3×512×512 filter already has 576 tiles of work.
    expect(planSplits(4608, 512, 16 * 11 * 11).splits).toBe(1);
    // Few positions: no split sums fewer than 128.
    expect(planSplits(9, 4, 300).splits).toBe(2);
  });

  it('keeps the partial sums small: at most about a thousand tiles’ worth', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4608 }),
        fc.integer({ min: 1, max: 512 }),
        fc.integer({ min: 1, max: 1 << 22 }),
        (rows, columns, positions) => {
          const { splits } = planSplits(rows, columns, positions);
          const tiles = Math.ceil(rows / 64) * Math.ceil(columns / tileColumns(columns));
          expect(splits === 1 || splits * tiles <= 2 * 512).toBe(true);
        },
      ),
    );
  });

  it('tiles output channels as narrowly as they allow', () => {
    expect([1, 16, 17, 32, 33, 64, 512].map(tileColumns)).toEqual([16, 16, 32, 32, 64, 64, 64]);
  });
});

describe('batch norm: chunks of rows', () => {
  it('covers every row once, in non-empty chunks', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1 << 22 }),
        fc.integer({ min: 1, max: 2048 }),
        (rows, channels) => {
          const p = planChunks(rows, channels);
          expect(p.chunks * p.chunkRows).toBeGreaterThanOrEqual(rows);
          expect((p.chunks - 1) * p.chunkRows).toBeLessThan(rows);
          expect(p.chunks).toBeLessThanOrEqual(65_535);
          expect(p.tile === 64 || p.tile >= channels).toBe(true);
        },
      ),
    );
  });

  it('spreads an activation over hundreds of workgroups, each thread over several rows', () => {
    // ResNet-20's first stage at batch 128: 131,072 rows of 16 channels.
    const p = planChunks(131_072, 16);
    expect(p.chunks).toBeGreaterThanOrEqual(256);
    expect(p.chunkRows / (256 / p.tile)).toBeGreaterThanOrEqual(8);
  });
});
