/**
 * Hostile share links: one that blanked the page (deep nesting), compression bombs (a few KB that
 * unpack to tens of millions of characters), links longer than a browser opens, and any string at
 * all. Each is refused without unpacking more than the limit, and start-up still opens an editor.
 */
import fc from 'fast-check';
import lz from 'lz-string';
import { describe, expect, it, vi } from 'vitest';
import { MAX_JSON_CHARS, MAX_LINK_CHARS } from '../../../src/core/limits';
import { unpackedLength } from '../../../src/store/lz-size';
import { decodeShare, defaultDocument, shareLink, startup } from '../../../src/store/persistence';
import { bombLength, bombLink, deeplyNested } from '../support/bombs';

// Counts every call of the library's decompressor, to show which links were never unpacked.
const unpacked = vi.hoisted(() => ({ calls: 0 }));
vi.mock('lz-string', async (importOriginal) => {
  const lzs = await importOriginal<{ default: typeof lz }>();
  const real = lzs.default;
  const decompressFromEncodedURIComponent = (s: string) => {
    unpacked.calls++;
    return real.decompressFromEncodedURIComponent(s);
  };
  // The library is CommonJS: its functions are properties of the default export.
  return {
    ...real,
    decompressFromEncodedURIComponent,
    default: { ...real, decompressFromEncodedURIComponent },
  };
});

const refusal = (link: string): string => {
  const loaded = decodeShare(link);
  if (loaded.ok) throw new Error('expected a refusal');
  return loaded.errors.map((e) => e.message).join('\n');
};

/** lz-string's own decompressor, which throws on some damaged input. */
function libraryUnpack(link: string): string | null {
  try {
    return lz.decompressFromEncodedURIComponent(link);
  } catch {
    return null;
  }
}

describe('the link that blanked the page', () => {
  const link = lz.compressToEncodedURIComponent(deeplyNested(20_000));

  it('is a few hundred characters of nesting, refused with the place it goes too deep', () => {
    expect(link.length).toBeLessThan(1000);
    expect(refusal(link)).toMatch(/^brackets nest more than 64 levels deep at line 1, column \d+;/);
  });

  it('leaves start-up on the stored graph, with the refusal to show and the address to clean', () => {
    const s = startup(new URL(`http://x/?backend=cpu#graph=${link}`), undefined);
    expect(s.base).toEqual(defaultDocument());
    expect(s.incoming).toBeUndefined();
    expect(s.cleanUrl).toBe(true);
    expect(s.problems).toHaveLength(1);
    expect(s.problems[0]!.source).toBe('the share link');
    expect(s.problems[0]!.errors[0]!.message).toMatch(/nest more than 64 levels/);
  });
});

describe('compression bombs', () => {
  it('the generator makes links of a few KB that unpack to tens of millions of blanks', () => {
    const link = bombLink(3000);
    expect(link.length).toBeLessThan(6000);
    const text = libraryUnpack(link)!;
    expect(text.length).toBe(bombLength(3000));
    expect(text.trim()).toBe('');
  });

  it('are refused from their size alone: the decompressor never runs, and the count stops at the limit', () => {
    const before = unpacked.calls;
    for (const codes of [8200, 12_000, 20_000]) {
      const link = bombLink(codes);
      expect(link.length).toBeLessThan(64_000);
      expect(bombLength(codes)).toBeGreaterThan(MAX_JSON_CHARS);
      expect(refusal(link)).toBe(
        'the link would unpack to more than 32.0 MiB of text (a 10,000-node graph takes about 4 MiB): it was not unpacked',
      );
      // Work is bounded by the link: codes read until the limit, never more codes than it holds.
      const size = unpackedLength(link, MAX_JSON_CHARS);
      expect(size).toMatchObject({ ok: false, reason: 'too-big' });
      if (!size.ok && size.reason === 'too-big') expect(size.codes).toBeLessThanOrEqual(8200);
    }
    expect(unpacked.calls).toBe(before);
  });

  it('under the limit unpack, and what they hold is judged as any graph text', () => {
    expect(refusal(bombLink(3000))).toBe('the file is empty');
    expect(refusal(bombLink(3000, '['))).toMatch(
      /^brackets nest more than 64 levels deep at line 1, column 65;/,
    );
  });

  it('in a start-up link leave the stored graph and the address cleaning as with any bad link', () => {
    const s = startup(new URL(`http://x/#graph=${bombLink(20_000)}`), undefined);
    expect(s.base).toEqual(defaultDocument());
    expect(s.cleanUrl).toBe(true);
    expect(s.problems[0]!.errors[0]!.message).toMatch(/would unpack to more than 32.0 MiB/);
  });
});

describe('link length', () => {
  it('refuses a link longer than a browser opens without reading it', () => {
    const before = unpacked.calls;
    expect(refusal('A'.repeat(MAX_LINK_CHARS + 1))).toBe(
      'the link holds 2.00 MiB, more than the 2.00 MiB a browser opens: it was not read',
    );
    expect(unpacked.calls).toBe(before);
  });

  it('offers no link for a graph too big for one, and says to export it', () => {
    // The browser's 2 MiB takes a 7,000-node graph of random labels; a smaller limit tells the same.
    const page = 'http://localhost:5173/';
    const fits = shareLink(defaultDocument(), page);
    expect(fits.ok && decodeShare(new URL(fits.url).hash.slice('#graph='.length)).ok).toBe(true);
    const tooLong = shareLink(defaultDocument(), page, 2 ** 20 / 1024);
    expect(tooLong).toEqual({
      ok: false,
      message: `This graph packs into a link of ${(fits.ok ? fits.url.length / 1024 : 0).toPrecision(3)} KiB, more than the 1.00 KiB a browser opens: share it with Export instead.`,
    });
  });
});

describe('any string as a link', () => {
  const alphabet = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$ '];
  const links = fc.oneof(
    fc.string(),
    fc.string({ unit: fc.constantFrom(...alphabet) }),
    fc.string({ unit: 'grapheme' }).map((s) => lz.compressToEncodedURIComponent(s)),
    fc.json().map((s) => lz.compressToEncodedURIComponent(s)),
    fc.string().map((s) => lz.compressToEncodedURIComponent(s).slice(0, -1)),
  );
  // Links to thousands of nested brackets: deep enough to overflow a recursive parser.
  const deepLinks = fc
    .tuple(fc.string(), fc.integer({ min: 0, max: 30_000 }))
    .map(([s, depth]) => lz.compressToEncodedURIComponent(`{"nodes":${'['.repeat(depth)}${s}`));

  it('never makes decodeShare throw', () => {
    fc.assert(
      fc.property(fc.oneof({ arbitrary: links, weight: 9 }, { arbitrary: deepLinks, weight: 1 }), (link) => {
        const loaded = decodeShare(link);
        if (!loaded.ok) expect(loaded.errors.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('is sized exactly as lz-string unpacks it, whenever the sizing calls it well formed', () => {
    fc.assert(
      fc.property(links, (link) => {
        const size = unpackedLength(link, Number.POSITIVE_INFINITY);
        const text = libraryUnpack(link);
        if (size.ok) expect(text?.length).toBe(size.length);
        if (text === null || text === '') expect(size.ok).toBe(false);
      }),
      { numRuns: 5000 },
    );
  });
});
