import { describe, expect, it } from 'vitest';
import type { Split } from '../../src/data/dataset';
import { SHAPES, shapesDataset } from '../../src/data/shapes';

const small = () => shapesDataset({ seed: 7, trainCount: 400, validationCount: 100 });

describe('built-in shapes dataset', () => {
  it('is deterministic from its seed and differs between seeds', () => {
    const a = small();
    const b = small();
    const same = (x: Float32Array, y: Float32Array) => x.length === y.length && x.every((v, i) => v === y[i]);
    expect(same(a.train.images, b.train.images)).toBe(true);
    expect(a.train.labels).toEqual(b.train.labels);
    expect(a.validation.boxes).toEqual(b.validation.boxes);
    const c = shapesDataset({ seed: 8, trainCount: 400, validationCount: 100 });
    expect(same(c.train.images, a.train.images)).toBe(false);
  });

  it('has at least 10 classes, balanced, 32×32×3 by default with values in [0, 1]', () => {
    const d = shapesDataset({ trainCount: 500, validationCount: 100 });
    expect(d.classes.length).toBeGreaterThanOrEqual(10);
    expect([d.height, d.width, d.channels]).toEqual([32, 32, 3]);
    expect(d.train.images.length).toBe(500 * 32 * 32 * 3);
    const counts = new Array(d.classes.length).fill(0);
    for (const l of d.train.labels) counts[l]++;
    expect(counts.every((n) => n === 500 / d.classes.length)).toBe(true);
    expect(d.train.images.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(shapesDataset({ size: 48, trainCount: 10, validationCount: 10 }).height).toBe(48);
  });

  it("keeps each object's box: every clearly coloured pixel is inside it, and it is tight", () => {
    const d = small();
    const check = (split: Split) => {
      for (let n = 0; n < split.count; n++) {
        const px = (x: number, y: number) =>
          Array.from(
            split.images.subarray((n * 32 * 32 + y * 32 + x) * 3, (n * 32 * 32 + y * 32 + x) * 3 + 3),
          );
        // The background colour: the median of the border pixels (objects never reach all four edges).
        const border = [
          ...Array.from({ length: 32 }, (_, i) => px(i, 0)),
          ...Array.from({ length: 32 }, (_, i) => px(i, 31)),
        ];
        const bg = [0, 1, 2].map((c) => border.map((p) => p[c]!).sort((a, b) => a - b)[border.length >> 1]!);
        const [x0, y0, x1, y1] = Array.from(split.boxes!.subarray(n * 4, n * 4 + 4));
        let seen = [32, 32, 0, 0];
        for (let y = 0; y < 32; y++)
          for (let x = 0; x < 32; x++) {
            const far = px(x, y).some((v, c) => Math.abs(v - bg[c]!) > 0.2);
            if (!far) continue;
            expect(
              x >= x0! && x < x1! && y >= y0! && y < y1!,
              `image ${n}: pixel ${x},${y} outside its box`,
            ).toBe(true);
            seen = [
              Math.min(seen[0]!, x),
              Math.min(seen[1]!, y),
              Math.max(seen[2]!, x + 1),
              Math.max(seen[3]!, y + 1),
            ];
          }
        // Antialiased edges may be faint: the box may exceed the clearly coloured pixels by a little.
        expect(seen[0]! - x0!).toBeLessThanOrEqual(2);
        expect(seen[1]! - y0!).toBeLessThanOrEqual(2);
        expect(x1! - seen[2]!).toBeLessThanOrEqual(2);
        expect(y1! - seen[3]!).toBeLessThanOrEqual(2);
      }
    };
    check(d.train);
    check(d.validation);
  });

  it('names its classes after the shapes drawn', () => {
    expect(small().classes).toEqual(SHAPES.map((s) => s.name));
  });
});
