import { describe, expect, it } from 'vitest';
import { axis, filled, refinementOrder } from '../../src/core/surface/grid';
import { pathPlane, symmetricEigen } from '../../src/core/surface/pca';
import { logLevels, logScaleOf, position } from '../../src/core/surface/scale';
import { seededRandom } from '../../src/data/random';

describe('slice grids', () => {
  it('put every point in the refinement order exactly once, a coarse lattice first', () => {
    for (const [nx, ny] of [
      [11, 11],
      [21, 21],
      [51, 51],
      [13, 1],
    ] as const) {
      const order = refinementOrder(nx, ny);
      expect(new Set(order).size).toBe(nx * ny);
      expect(Math.max(...order)).toBe(nx * ny - 1);
      // The first points are the corners' lattice: every 8th index of each axis and the last.
      const lattice = (n: number) => axis(0, n - 1, n).filter((i) => i % 8 === 0 || i === n - 1).length;
      const coarse = lattice(nx) * lattice(ny);
      for (const index of order.slice(0, coarse)) {
        const [i, j] = [index % nx, Math.floor(index / nx)];
        expect(i % 8 === 0 || i === nx - 1).toBe(true);
        expect(j % 8 === 0 || j === ny - 1).toBe(true);
      }
    }
  });

  it('fill a refining grid from its complete lattice: exact for a plane, known points kept', () => {
    const n = 21;
    const plane = (i: number, j: number) => 0.5 + 2 * i - 3 * j;
    const values = new Float32Array(n * n).fill(NaN);
    const order = refinementOrder(n, n);
    // The 8-lattice (3 + 1 points per side) and two points of the next lattice.
    const known = 16 + 2;
    for (const index of order.slice(0, known)) values[index] = plane(index % n, Math.floor(index / n));
    const out = filled(values, n, n);
    for (let j = 0; j < n; j++)
      for (let i = 0; i < n; i++) expect(out[j * n + i]).toBeCloseTo(plane(i, j), 3);
    // Nothing complete yet: the gaps stay gaps.
    const sparse = new Float32Array(n * n).fill(NaN);
    sparse[0] = 1;
    expect(Number.isNaN(filled(sparse, n, n)[5])).toBe(true);
  });

  it('space contour levels evenly in log between the lowest and highest loss of all grids', () => {
    const scale = logScaleOf([Float32Array.of(0.1, NaN, 2), Float32Array.of(10, Infinity)])!;
    expect(scale).toEqual({ lo: Float32Array.of(0.1)[0], hi: 10 });
    const levels = logLevels(scale, 3);
    const ratios = levels.slice(1).map((l, k) => l / levels[k]!);
    expect(ratios[0]).toBeCloseTo(ratios[1]!, 10);
    expect(levels[0]! / scale.lo).toBeCloseTo(ratios[0]!, 6);
    expect(position(scale, 1)).toBeCloseTo(0.5, 6);
  });
});

describe('the training path in the plane of its main directions', () => {
  it('diagonalises a symmetric matrix', () => {
    const { values, vectors } = symmetricEigen([
      [2, 1, 0],
      [1, 2, 0],
      [0, 0, 5],
    ]);
    expect(values.map((v) => Number(v.toFixed(9)))).toEqual([5, 3, 1]);
    expect(Math.abs(vectors[2]![0]!)).toBeCloseTo(1, 9);
    expect(Math.abs(vectors[0]![1]! * vectors[1]![1]!)).toBeCloseTo(0.5, 9);
  });

  it('recovers a path that lies in a known plane: the same plane, the same distances', () => {
    const size = 500;
    const random = seededRandom(3);
    const vector = () => Float64Array.from({ length: size }, () => random() - 0.5);
    // An orthonormal pair (Gram–Schmidt) and a centre.
    const u = vector();
    const nu = Math.hypot(...u);
    u.forEach((x, i) => (u[i] = x / nu));
    const v = vector();
    const uv = v.reduce((a, x, i) => a + x * u[i]!, 0);
    v.forEach((x, i) => (v[i] = x - uv * u[i]!));
    const nv = Math.hypot(...v);
    v.forEach((x, i) => (v[i] = x / nv));
    const centre = vector();
    // A curved descent towards the last point, spread more along u than v.
    const coords = Array.from({ length: 12 }, (_, t) => [3 * Math.cos(t / 4) + t / 2, Math.sin(t / 2)]);
    const snapshots = coords.map(([a, b]) =>
      Float32Array.from(centre, (c, i) => c + a! * u[i]! + b! * v[i]!),
    );
    const plane = pathPlane(snapshots)!;
    // d1 and d2 are unit vectors inside span{u, v}.
    for (const d of [plane.d1, plane.d2]) {
      const du = d.reduce((a, x, i) => a + x * u[i]!, 0);
      const dv = d.reduce((a, x, i) => a + x * v[i]!, 0);
      expect(Math.hypot(du, dv)).toBeCloseTo(1, 4);
    }
    expect(plane.d1.reduce((a, x, i) => a + x * plane.d2[i]!, 0)).toBeCloseTo(0, 5);
    // The projection is the path up to a rotation: every distance to the last point is kept.
    const last = coords.at(-1)!;
    coords.forEach(([a, b], t) => {
      expect(Math.hypot(plane.x[t]!, plane.y[t]!)).toBeCloseTo(Math.hypot(a! - last[0]!, b! - last[1]!), 3);
    });
    expect(plane.x.at(-1)).toBeCloseTo(0, 6);
    expect(plane.explained[0] + plane.explained[1]).toBeCloseTo(1, 5);
    expect(plane.explained[0]).toBeGreaterThan(plane.explained[1]);
  });

  it('declines a path that is a straight line or too short', () => {
    const line = [0, 1, 2, 3].map((t) => Float32Array.of(t, 2 * t, -t));
    expect(pathPlane(line)).toBeUndefined();
    expect(pathPlane(line.slice(0, 2))).toBeUndefined();
  });
});
