/**
 * The person's own graph in browser storage, against a storage that fills up, lies or fails, and
 * against start-up links built to break the page: the stored text is never overwritten unless a
 * verified copy exists or the person says so, and start-up always ends in an editor.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import lz from 'lz-string';
import { GraphBuilder } from '../../../src/core/builder';
import { MAX_NODES } from '../../../src/core/limits';
import { serializeGraph } from '../../../src/core/load';
import { bootEditor } from '../../../src/store/boot';
import type { BootEnv } from '../../../src/store/boot';
import { AUTOSAVE_KEY, RESCUE_KEY, defaultDocument, safeStartup } from '../../../src/store/persistence';
import type { StorageLike } from '../../../src/store/persistence';
import { bombLink, deeplyNested } from '../support/bombs';

/** Browser storage with a quota counted as Chromium counts it: characters of keys and values. */
class QuotaStorage implements StorageLike {
  readonly items = new Map<string, string>();
  writes = 0;
  constructor(readonly quota = 5 * 2 ** 20) {}
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    let used = key.length + value.length;
    for (const [k, v] of this.items) if (k !== key) used += k.length + v.length;
    if (used > this.quota) throw new DOMException('the quota has been exceeded', 'QuotaExceededError');
    this.items.set(key, value);
    this.writes++;
  }
}

/** A graph the loader refuses (one node over the cap), `chars` characters long as stored. */
function refusedGraphText(chars: number): string {
  const g = new GraphBuilder('too big');
  let x = g.node('input');
  for (let i = 0; i < MAX_NODES; i++) x = g.node('activation', {}, x);
  const text = JSON.stringify(g.build());
  expect(text.length).toBeLessThan(chars);
  // Pad with blanks inside the JSON, as long graphs are: the text stays a graph the loader reads.
  return text.replace('"too big"', `"too big"${' '.repeat(chars - text.length)}`);
}

function env(storage: StorageLike | undefined, url = 'http://localhost/', overrides: Partial<BootEnv> = {}) {
  const replaced: string[] = [];
  const e: BootEnv = {
    url: new URL(url),
    storage: () => storage,
    replaceUrl: (to) => replaced.push(to),
    prefersDark: false,
    timers: { set: (run, ms) => setTimeout(run, ms), clear: (h) => clearTimeout(h as number) },
    ...overrides,
  };
  return { env: e, replaced };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('a refused autosave too big to copy aside', () => {
  // 3 M characters: the original fits in a 5 Mi-character quota, a second copy does not.
  const original = refusedGraphText(3_000_000);

  it('is never written over: autosave waits, and the person is told, with the text to download', () => {
    const storage = new QuotaStorage();
    storage.setItem(AUTOSAVE_KEY, original);
    const { store, effects } = bootEditor(env(storage).env);
    // Start-up used to save the default graph over it at once.
    expect(storage.getItem(AUTOSAVE_KEY)).toBe(original);
    expect(store.getState().autosave).toBe('paused');
    expect(store.getState().doc).toEqual(defaultDocument());
    const shown = store.getState().importErrors!;
    expect(shown.source).toBe('the autosaved graph (still in browser storage, unchanged)');
    expect(shown.errors[0]!.message).toBe(
      'a graph holds at most 10,000 nodes, and this one would have 10,001',
    );
    expect(shown.held).toEqual({ text: original, keptAside: false });

    // Edits, the autosave delay and the page going away all leave the stored text as it was.
    store.getState().addNode('conv', { x: 0, y: 900 });
    store.getState().renameGraph('edited');
    vi.advanceTimersByTime(10_000);
    effects.flush();
    expect(storage.getItem(AUTOSAVE_KEY)).toBe(original);
    expect(storage.getItem(RESCUE_KEY)).toBeNull();

    // A reload finds it again, exactly as stored.
    const again = bootEditor(env(storage).env).store.getState().importErrors!;
    expect(again.held?.text).toBe(original);
    effects.stop();
  });

  it('is replaced only when the person resumes autosave', () => {
    const storage = new QuotaStorage();
    storage.setItem(AUTOSAVE_KEY, original);
    const { store, effects } = bootEditor(env(storage).env);
    store.getState().renameGraph('mine now');
    store.getState().resumeAutosave();
    expect(store.getState().autosave).toBe('on');
    expect(JSON.parse(storage.getItem(AUTOSAVE_KEY)!).name).toBe('mine now');
    effects.stop();
  });
});

describe('a refused autosave that fits twice', () => {
  it('is copied aside, read back equal, and only then may autosave go on', () => {
    const original = refusedGraphText(2_500_000);
    const storage = new QuotaStorage();
    storage.setItem(AUTOSAVE_KEY, original);
    const { store, effects } = bootEditor(env(storage).env);
    expect(store.getState().autosave).toBe('on');
    expect(store.getState().importErrors?.held).toEqual({ text: original, keptAside: true });
    expect(storage.getItem(RESCUE_KEY)).toBe(original);
    expect(JSON.parse(storage.getItem(AUTOSAVE_KEY)!).name).toBe(defaultDocument().name);
    effects.stop();
  });

  it('is not trusted to a storage that stores something else', () => {
    const original = '{"schemaVersion": 1, "name": "half';
    const lying = new QuotaStorage();
    lying.setItem(AUTOSAVE_KEY, original);
    const real = lying.setItem.bind(lying);
    lying.setItem = (key, value) => real(key, key === RESCUE_KEY ? value.slice(0, 10) : value);
    const { store, effects } = bootEditor(env(lying).env);
    expect(store.getState().autosave).toBe('paused');
    vi.advanceTimersByTime(1000);
    expect(lying.getItem(AUTOSAVE_KEY)).toBe(original);
    effects.stop();
  });
});

describe('start-up', () => {
  it('opens an editor with the refusal for the link that blanked the page, and cleans the address first', () => {
    const link = lz.compressToEncodedURIComponent(deeplyNested(20_000));
    const storage = new QuotaStorage();
    const saved = serializeGraph({ ...defaultDocument(), name: 'kept' });
    storage.setItem(AUTOSAVE_KEY, saved);
    const { env: e, replaced } = env(storage, `http://localhost/?backend=cpu#graph=${link}`);
    const { store, effects } = bootEditor(e);
    expect(replaced).toEqual(['/?backend=cpu']);
    expect(store.getState().doc.name).toBe('kept');
    expect(store.getState().importErrors?.source).toBe('the share link');
    expect(store.getState().importErrors?.errors[0]?.message).toMatch(/nest more than 64 levels deep/);
    expect(storage.getItem(AUTOSAVE_KEY)).toBe(saved);
    effects.stop();
  });

  it('shows every refusal in turn: a bad autosave and a bomb link', () => {
    const storage = new QuotaStorage();
    storage.setItem(AUTOSAVE_KEY, '{"schemaVersion": 1, "name": "half');
    const { store, effects } = bootEditor(env(storage, `http://localhost/#graph=${bombLink(20_000)}`).env);
    expect(store.getState().importErrors?.source).toMatch(/^the autosaved graph/);
    store.getState().closeImportErrors();
    expect(store.getState().importErrors?.errors[0]?.message).toMatch(/would unpack to more than 32.0 MiB/);
    store.getState().closeImportErrors();
    expect(store.getState().importErrors).toBeNull();
    effects.stop();
  });

  it('opens an editor when storage, the address bar and reading the address all fail', () => {
    const hostile: StorageLike = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    const url = new URL('http://localhost/#graph=abc');
    Object.defineProperty(url, 'hash', {
      get: () => {
        throw new RangeError('Maximum call stack size exceeded');
      },
    });
    const { store, effects } = bootEditor(
      env(hostile, 'http://localhost/', {
        url,
        replaceUrl: () => {
          throw new Error('history is gone');
        },
      }).env,
    );
    expect(store.getState().doc).toEqual(defaultDocument());
    expect(store.getState().importErrors?.errors[0]?.message).toBe(
      'opening it failed (Maximum call stack size exceeded), so it was left out',
    );
    // Saving fails too, and says so once.
    store.getState().renameGraph('x');
    vi.advanceTimersByTime(1000);
    store.getState().renameGraph('y');
    vi.advanceTimersByTime(1000);
    expect(store.getState().toasts.filter((t) => t.text.startsWith('Autosave failed'))).toHaveLength(1);
    effects.stop();
  });

  it('falls back to the default graph, holding the stored one, when even a plain start fails', () => {
    const storage = new QuotaStorage();
    storage.setItem(AUTOSAVE_KEY, serializeGraph(defaultDocument()));
    const url = new URL('http://localhost/#graph=abc');
    Object.defineProperty(url, 'hash', {
      get: () => {
        throw new Error('unreadable');
      },
    });
    Object.defineProperty(url, 'pathname', {
      get: () => {
        throw new Error('unreadable too');
      },
    });
    const start = safeStartup(url, storage);
    expect(start.base).toEqual(defaultDocument());
    expect(start.autosave).toBe(false);
    expect(start.cleanUrl).toBe(true);
    expect(start.problems[0]!.held?.text).toBe(storage.getItem(AUTOSAVE_KEY));
  });
});
