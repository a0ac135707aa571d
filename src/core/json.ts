/**
 * Strict JSON parsing of untrusted text with bounded work: the length and the nesting depth are
 * checked before any parser runs, the parse itself is the engine's (iterative, fast), and only a
 * failed parse is scanned again to say where it went wrong.
 */
import type { ParseErrorCode } from 'jsonc-parser';
import { printParseErrorCode, visit } from 'jsonc-parser';
import type { DocError } from './issues';
import { MAX_JSON_CHARS, MAX_JSON_DEPTH } from './limits';
import { formatBytes } from './units';

export type JsonResult = { ok: true; value: unknown } | { ok: false; error: DocError };

/** "line 3, column 14" for a character offset in `text`. */
export function lineColumn(text: string, offset: number): string {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return `line ${line}, column ${offset - start + 1}`;
}

/**
 * The offset of the first bracket that opens level `limit + 1`, or -1 when the text nests no deeper
 * than `limit`. One pass, skipping strings; malformed text is the parser's business.
 */
export function tooDeepAt(text: string, limit: number = MAX_JSON_DEPTH): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return i;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return -1;
}

/** Plain words for jsonc-parser's error codes, keyed by their printed names. */
const jsonProblems: Readonly<Record<string, string>> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'malformed number',
  PropertyNameExpected: 'a quoted property name was expected',
  ValueExpected: 'a value was expected',
  ColonExpected: 'a colon was expected',
  CommaExpected: 'a comma was expected',
  CloseBraceExpected: 'a closing } was expected',
  CloseBracketExpected: 'a closing ] was expected',
  EndOfFileExpected: 'extra text after the end of the document',
  InvalidCommentToken: 'comments are not allowed',
  UnexpectedEndOfComment: 'an unfinished comment',
  UnexpectedEndOfString: 'an unfinished string',
  UnexpectedEndOfNumber: 'an unfinished number',
  InvalidUnicode: 'a bad unicode escape',
  InvalidEscapeCharacter: 'a bad escape character',
  InvalidCharacter: 'a control character inside a string',
};

// jsonc-parser builds each run of spaces into a string one character at a time (50 MB of spaces
// take seconds and gigabytes), so long runs are shortened to one space before it looks, and
// offsets are mapped back. A loop rather than a regular expression: the engine's backtracking
// overflows its stack on a run of millions.
const LONG_RUN = 16;
const isBlank = (c: number): boolean => c === 0x20 || c === 0x09;

/** `text` with every run of more than 16 blanks cut to one, and the way back to original offsets. */
export function squeezeBlanks(text: string): { text: string; original(offset: number): number } {
  // After squeezed offset at[k], original offsets are greater by removed[k].
  const at: number[] = [];
  const removed: number[] = [];
  const parts: string[] = [];
  let copied = 0;
  let total = 0;
  for (let i = 0; i < text.length;) {
    if (!isBlank(text.charCodeAt(i))) {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < text.length && isBlank(text.charCodeAt(end))) end++;
    if (end - i > LONG_RUN) {
      parts.push(text.slice(copied, i + 1));
      copied = end;
      at.push(i + 1 - total);
      total += end - i - 1;
      removed.push(total);
    }
    i = end;
  }
  parts.push(text.slice(copied));
  return {
    text: parts.join(''),
    original(offset) {
      let lo = 0;
      let hi = at.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (at[mid]! <= offset) lo = mid + 1;
        else hi = mid;
      }
      return offset + (lo === 0 ? 0 : removed[lo - 1]!);
    },
  };
}

const STOP = Symbol('first error found');

/** The first syntax error jsonc-parser finds, with offsets into `text`; undefined when it finds none. */
function firstSyntaxError(
  text: string,
): { readonly code: ParseErrorCode; readonly offset: number; readonly end: number } | undefined {
  const squeezed = squeezeBlanks(text);
  let found: { code: ParseErrorCode; offset: number; end: number } | undefined;
  try {
    visit(
      squeezed.text,
      {
        onError(code, offset, length) {
          found = { code, offset: squeezed.original(offset), end: squeezed.original(offset + length) };
          throw STOP;
        },
      },
      { disallowComments: true, allowTrailingComma: false },
    );
  } catch (e) {
    if (e !== STOP) throw e;
  }
  return found;
}

/** Strict JSON parse; on failure, says what and where (JSON.parse's own messages lack the place). */
export function parseJson(text: string, limit: number = MAX_JSON_CHARS): JsonResult {
  const fail = (message: string): JsonResult => ({ ok: false, error: { path: '(file)', message } });
  if (text.length > limit)
    return fail(
      `this is ${formatBytes(text.length)} of text, more than the ${formatBytes(limit)} read as a graph or model: nothing was parsed`,
    );
  if (text.trim() === '') return fail('the file is empty');
  const deep = tooDeepAt(text);
  if (deep !== -1)
    return fail(
      `brackets nest more than ${MAX_JSON_DEPTH} levels deep at ${lineColumn(text, deep)}; a graph nests 4 and a model file about a dozen, so nothing was parsed`,
    );
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    const first = firstSyntaxError(text);
    if (first === undefined) return fail(`this is not valid JSON: ${String(e)}`);
    const where = lineColumn(text, first.offset);
    return first.end >= text.trimEnd().length
      ? fail(`the file ends too early at ${where}: it looks truncated`)
      : fail(
          `this is not valid JSON at ${where}: ${jsonProblems[printParseErrorCode(first.code)] ?? 'unexpected text'}`,
        );
  }
}
