/**
 * Hostile inputs made on the spot, so none has to be stored: share links that unpack to far more
 * than they hold, and deeply nested JSON.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';

/** How many characters a bomb of `codes` codes unpacks to: 1 + 2 + 3 + … + (codes + 1). */
export const bombLength = (codes: number): number => 1 + (codes * (codes + 3)) / 2;

/**
 * An lz-string link (as `compressToEncodedURIComponent` writes them) whose every code stands for
 * the previous string plus its first character, so `codes` codes unpack to `bombLength(codes)`
 * copies of `char`: the worst case of LZW, output growing with the square of the input.
 */
export function bombLink(codes: number, char = ' '): string {
  const out: string[] = [];
  let value = 0;
  let position = 0;
  const put = (code: number, bits: number) => {
    for (let i = 0; i < bits; i++, code >>= 1) {
      value = (value << 1) | (code & 1);
      if (position === 5) {
        out.push(ALPHABET[value]!);
        value = 0;
        position = 0;
      } else position++;
    }
  };
  put(0, 2);
  put(char.charCodeAt(0), 8);
  let size = 4;
  let bits = 3;
  let enlargeIn = 4;
  for (let k = 0; k < codes; k++) {
    put(size++, bits);
    if (--enlargeIn === 0) {
      enlargeIn = 2 ** bits;
      bits++;
    }
  }
  put(2, bits);
  put(0, 6 - position);
  return out.join('');
}

/** `depth` nested arrays inside a graph-looking object: `{"schemaVersion":1,"nodes":[[[...]]]}`. */
export const deeplyNested = (depth: number): string =>
  `{"schemaVersion":1,"name":"deep","nodes":${'['.repeat(depth)}${']'.repeat(depth)},"edges":[]}`;
