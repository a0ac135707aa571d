/**
 * How long a share link's text is once unpacked, found without unpacking it. lz-string's LZW
 * output can grow with the square of its input (a 45 KB link unpacks to 200 M characters) and its
 * decompressor cannot stop early, so this reads the same codes and adds up only the lengths of the
 * strings they stand for: linear in the link, no strings made. It follows lz-string 1.5.0's
 * `_decompress` for `decompressFromEncodedURIComponent` step by step, so the two agree on every input
 * this calls well formed (a property test checks it against the library).
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
const VALUES = new Map([...ALPHABET].map((c, i) => [c.charCodeAt(0), i]));
/** Bits per link character, read from the highest (32) down, as lz-string's resetValue says. */
const RESET = 32;

export type Unpacked =
  | { readonly ok: true; readonly length: number }
  | { readonly ok: false; readonly reason: 'damaged' }
  /** Stopped as soon as the text passed `limit`; `codes` is how many codes were read until then. */
  | { readonly ok: false; readonly reason: 'too-big'; readonly codes: number };

/** The length of `decompressFromEncodedURIComponent(link)`, or why it is not worth unpacking. */
export function unpackedLength(link: string, limit: number): Unpacked {
  if (link === '') return { ok: false, reason: 'damaged' };
  const text = link.replaceAll(' ', '+');
  // Characters outside the alphabet, and reads past the end, count as zero bits, as in lz-string.
  const valueAt = (i: number): number => (i < text.length ? (VALUES.get(text.charCodeAt(i)) ?? 0) : 0);
  let value = valueAt(0);
  let position = RESET;
  let index = 1;
  const read = (bitCount: number): number => {
    let bits = 0;
    for (let power = 1, i = 0; i < bitCount; i++, power *= 2) {
      if ((value & position) > 0) bits += power;
      position >>= 1;
      if (position === 0) {
        position = RESET;
        value = valueAt(index++);
      }
    }
    return bits;
  };

  // Code 0 brings a new 8-bit character, 1 a 16-bit one, 2 ends the text; the first code is 2 bits.
  const first = read(2);
  if (first === 2 || first === 3) return { ok: false, reason: 'damaged' };
  read(first === 0 ? 8 : 16);
  // Lengths of the dictionary's strings; entries 0-2 are the three control codes.
  const lengths: number[] = [0, 0, 0, 1];
  let size = 4;
  let bits = 3;
  let enlargeIn = 4;
  let previous = 1;
  let total = 1;
  let codes = 1;
  for (;;) {
    if (index > text.length) return { ok: false, reason: 'damaged' };
    let code = read(bits);
    codes++;
    if (code === 2) return { ok: true, length: total };
    if (code < 2) {
      read(code === 0 ? 8 : 16);
      lengths[size++] = 1;
      code = size - 1;
      enlargeIn--;
    }
    if (enlargeIn === 0) {
      enlargeIn = 2 ** bits;
      bits++;
    }
    let entry: number;
    if (code < size) entry = lengths[code]!;
    else if (code === size) entry = previous + 1;
    else return { ok: false, reason: 'damaged' };
    total += entry;
    if (total > limit) return { ok: false, reason: 'too-big', codes };
    lengths[size++] = previous + 1;
    enlargeIn--;
    previous = entry;
    if (enlargeIn === 0) {
      enlargeIn = 2 ** bits;
      bits++;
    }
  }
}
