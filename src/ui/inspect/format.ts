/** Numbers in the inspection panels: four significant digits, no exponent for everyday sizes. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-4) return v.toExponential(2);
  return Number(v.toPrecision(4)).toString();
}

/** A difference between a value worked out by hand and the model's, in words. */
export function agreement(computed: number, actual: number): string {
  const d = Math.abs(computed - actual);
  return d === 0 ? 'equal' : `differ by ${d.toExponential(1)}`;
}

export const percent = (v: number, digits = 0): string => `${(v * 100).toFixed(digits)}%`;
