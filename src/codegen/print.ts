/** Prints plain data as TypeScript literals and lays out calls within a line width. */

export const LINE_WIDTH = 110;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A JS literal for a number, string, boolean, array or plain object. */
export function literal(value: unknown): string {
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'NaN';
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    return `{ ${entries.map(([k, v]) => `${key(k)}: ${literal(v)}`).join(', ')} }`;
  }
  return 'undefined';
}

/** The object on several lines, one key each, indented by `indent`. */
export function literalLines(value: Readonly<Record<string, unknown>>, indent: string): string[] {
  const entries = Object.entries(value);
  return ['{', ...entries.map(([k, v]) => `${indent}  ${key(k)}: ${literal(v)},`), `${indent}}`];
}

const key = (k: string): string => (IDENTIFIER.test(k) ? k : quote(k));

export function quote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}

/** Text safe inside a `//` comment: one line, no control characters. */
export function commentText(s: string): string {
  return s.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ').trim();
}
