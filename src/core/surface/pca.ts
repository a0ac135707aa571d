/**
 * The two main directions of a training path (Li et al. 2018 §7): PCA of the snapshots' offsets from
 * the final weights, through the small Gram matrix (snapshots × snapshots) rather than the huge
 * covariance (weights × weights).
 */

export interface PathPlane {
  /** Unit vectors in weight space, orthogonal. */
  readonly d1: Float32Array;
  readonly d2: Float32Array;
  /** Each snapshot's offset from the last, projected on d1 and d2. */
  readonly x: number[];
  readonly y: number[];
  /** Share of the offsets' variance along each direction. */
  readonly explained: [number, number];
}

/** Eigen-decomposition of a symmetric matrix (cyclic Jacobi); eigenvalues descending, vectors as columns. */
export function symmetricEigen(a: number[][]): { values: number[]; vectors: number[][] } {
  const n = a.length;
  const m = a.map((row) => [...row]);
  const v = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j): number => (i === j ? 1 : 0)),
  );
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m[p]![q]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++)
      for (let q = p + 1; q < n; q++) {
        const apq = m[p]![q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (m[q]![q]! - m[p]![p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = m[k]![p]!;
          const akq = m[k]![q]!;
          m[k]![p] = c * akp - s * akq;
          m[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = m[p]![k]!;
          const aqk = m[q]![k]!;
          m[p]![k] = c * apk - s * aqk;
          m[q]![k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k]![p]!;
          const vkq = v[k]![q]!;
          v[k]![p] = c * vkp - s * vkq;
          v[k]![q] = s * vkp + c * vkq;
        }
      }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => m[j]![j]! - m[i]![i]!);
  return {
    values: order.map((i) => m[i]![i]!),
    vectors: v.map((row) => order.map((i) => row[i]!)),
  };
}

/**
 * The plane of a path's two main directions and the path in it. `snapshots` are weight vectors of
 * equal length, oldest first; the last is the centre (the trained weights). Undefined when the path
 * has fewer than three snapshots or does not leave a line.
 */
export function pathPlane(snapshots: readonly Float32Array[]): PathPlane | undefined {
  const k = snapshots.length - 1;
  if (k < 2) return undefined;
  const last = snapshots[k]!;
  const size = last.length;
  const offsets = snapshots.slice(0, k).map((s) => {
    const o = new Float64Array(size);
    for (let i = 0; i < size; i++) o[i] = s[i]! - last[i]!;
    return o;
  });
  // PCA of the offsets about their mean, as sklearn's PCA (Li et al.'s tool) does.
  const mean = new Float64Array(size);
  for (const o of offsets) for (let i = 0; i < size; i++) mean[i]! += o[i]! / k;
  const centred = offsets.map((o) => o.map((v, i) => v - mean[i]!));
  const gram = centred.map(() => new Array<number>(k).fill(0));
  for (let r = 0; r < k; r++)
    for (let c = r; c < k; c++) {
      const [a, b] = [centred[r]!, centred[c]!];
      let sum = 0;
      for (let i = 0; i < size; i++) sum += a[i]! * b[i]!;
      gram[r]![c] = sum;
      gram[c]![r] = sum;
    }
  const { values, vectors } = symmetricEigen(gram);
  const total = values.reduce((a, b) => a + Math.max(b, 0), 0);
  if (!(values[1]! > 1e-12 * Math.max(total, 1e-300))) return undefined;
  const direction = (c: number) => {
    const d = new Float64Array(size);
    for (let r = 0; r < k; r++) {
      const w = vectors[r]![c]!;
      const row = centred[r]!;
      for (let i = 0; i < size; i++) d[i]! += w * row[i]!;
    }
    let squares = 0;
    for (let i = 0; i < size; i++) squares += d[i]! * d[i]!;
    const norm = Math.sqrt(squares);
    return Float32Array.from(d, (v) => v / norm);
  };
  const d1 = direction(0);
  const d2 = direction(1);
  const project = (d: Float32Array) =>
    snapshots.map((s) => {
      let sum = 0;
      for (let i = 0; i < size; i++) sum += (s[i]! - last[i]!) * d[i]!;
      return sum;
    });
  return {
    d1,
    d2,
    x: project(d1),
    y: project(d2),
    explained: [values[0]! / total, values[1]! / total],
  };
}
