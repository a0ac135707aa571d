/**
 * Inflates a gzip file whose contents state their own size in a header (as IDX files do), never
 * holding more than that size: the stream is inflated in small pieces, the header is read as soon as
 * it has come out, its size checked, exactly that much allocated, and inflating stops the moment the
 * output would run past it. A gzip bomb is refused after at most one piece too many; a file whose
 * header claims too much is refused before the buffer is allocated.
 */
import { Gunzip } from 'fflate';
import type { Parsed } from './problems';
import { count, problem } from './problems';

/** Compressed bytes per push: deflate expands at most about 1,032×, so one push yields at most ~4 MB. */
const PIECE = 4096;

/**
 * `sizeOf` reads the start of the inflated data: 'more' when it needs more bytes, else the total
 * size the contents claim (already checked against the caller's limits) or a problem.
 */
export type SizeFromHeader = (head: Uint8Array) => 'more' | Parsed<number>;

export const isGzip = (bytes: Uint8Array): boolean =>
  bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

export function gunzipSized(bytes: Uint8Array, file: string, sizeOf: SizeFromHeader): Parsed<Uint8Array> {
  let head = new Uint8Array(0);
  let out: Uint8Array | undefined;
  let filled = 0;
  let failure: ReturnType<typeof problem> | undefined;
  const stream = new Gunzip((chunk) => {
    if (failure !== undefined) return;
    if (out === undefined) {
      const joined = new Uint8Array(head.length + chunk.length);
      joined.set(head);
      joined.set(chunk, head.length);
      head = joined;
      const size = sizeOf(head);
      if (size === 'more') {
        if (head.length > 1024)
          failure = problem(file, 'the header does not end within its first kilobyte', 'header');
        return;
      }
      if (!size.ok) {
        failure = size;
        return;
      }
      out = new Uint8Array(size.value);
      chunk = head;
    }
    if (filled + chunk.length > out.length) {
      failure = problem(
        file,
        `inflates to more than the ${count(out.length)} bytes its header states (stopped after ${count(filled + chunk.length)}): a damaged file or a gzip bomb`,
      );
      return;
    }
    out.set(chunk, filled);
    filled += chunk.length;
  });
  try {
    for (let at = 0; at < bytes.length && failure === undefined; at += PIECE)
      stream.push(bytes.subarray(at, at + PIECE), at + PIECE >= bytes.length);
  } catch (e) {
    return problem(file, `the gzip data is damaged (${e instanceof Error ? e.message : String(e)})`);
  }
  if (failure !== undefined) return failure;
  if (out === undefined) {
    const size = sizeOf(head);
    return size !== 'more' && !size.ok
      ? size
      : problem(file, `the file ends inside its header (${head.length} bytes inflated)`, 'header');
  }
  if (filled < out.length)
    return problem(
      file,
      `the file is truncated: its header states ${count(out.length)} bytes, it inflates to ${count(filled)}`,
      `byte ${count(filled)}`,
    );
  return { ok: true, value: out };
}

/** The first `length` inflated bytes (fewer when the data ends first), inflating no more than needed. */
export function gunzipHead(bytes: Uint8Array, file: string, length: number): Parsed<Uint8Array> {
  const head = new Uint8Array(length);
  let filled = 0;
  const stream = new Gunzip((chunk) => {
    const take = Math.min(chunk.length, length - filled);
    head.set(chunk.subarray(0, take), filled);
    filled += take;
  });
  try {
    for (let at = 0; at < bytes.length && filled < length; at += PIECE)
      stream.push(bytes.subarray(at, at + PIECE), at + PIECE >= bytes.length);
  } catch (e) {
    return problem(file, `the gzip data is damaged (${e instanceof Error ? e.message : String(e)})`);
  }
  return { ok: true, value: head.subarray(0, filled) };
}
