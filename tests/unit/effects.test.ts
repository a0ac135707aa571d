/**
 * The page's effects on the store, with fake storage and fake timers: autosave after a pause in
 * editing, weights asked for when a graph's structure changes, the theme remembered.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GraphBuilder } from '../../src/core/builder';
import type { GraphDocument } from '../../src/core/document';
import { AUTOSAVE_DELAY_MS, RESTORE_DELAY_MS, startPageEffects } from '../../src/store/effects';
import type { EffectsEnv } from '../../src/store/effects';
import { AUTOSAVE_KEY, THEME_KEY, cleanedUrl, initialTheme, namesAGraph } from '../../src/store/persistence';
import { createEditorStore } from '../../src/store/store';
import type { ToWorker } from '../../src/worker/protocol';

class MemoryStorage {
  readonly items = new Map<string, string>();
  writes = 0;
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.writes++;
    this.items.set(key, value);
  }
}

function chain(): GraphDocument {
  const g = new GraphBuilder('chain');
  const x = g.node('input', { height: 16, width: 16, channels: 3 }, [], { id: 'image' });
  const c = g.node('conv', { filters: 8 }, x, { id: 'conv' });
  g.node('output', {}, g.node('gap', {}, c, { id: 'pool' }), { id: 'out' });
  return g.build();
}

function setUp() {
  const storage = new MemoryStorage();
  const sent: ToWorker[] = [];
  const store = createEditorStore(chain(), 'light', { send: (m) => sent.push(m), restart: () => undefined });
  const env: EffectsEnv = {
    storage: () => storage,
    timers: { set: (run, ms) => setTimeout(run, ms), clear: (h) => clearTimeout(h as number) },
  };
  const effects = startPageEffects(store, env);
  const saved = () => JSON.parse(storage.getItem(AUTOSAVE_KEY)!) as GraphDocument;
  const restores = () => sent.filter((m) => m.type === 'restore').length;
  return { storage, store, effects, saved, restores };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('autosave', () => {
  it('saves the opening graph at once, then once after a pause in editing', () => {
    const { storage, store, effects, saved } = setUp();
    expect(saved().name).toBe('chain');
    const writes = storage.writes;
    for (let x = 1; x <= 20; x++) {
      store.getState().dragNodes(new Map([['conv', { x, y: 0 }]]), x === 20 ? 'end' : 'move');
      vi.advanceTimersByTime(AUTOSAVE_DELAY_MS - 10);
    }
    expect(storage.writes).toBe(writes);
    vi.advanceTimersByTime(10);
    expect(storage.writes).toBe(writes + 1);
    expect(saved().nodes.find((n) => n.id === 'conv')?.position).toEqual({ x: 20, y: 0 });
    effects.stop();
  });

  it('saves a pending change at once when the page goes away, and nothing when none is pending', () => {
    const { storage, store, effects, saved } = setUp();
    store.getState().renameGraph('renamed');
    effects.flush();
    expect(saved().name).toBe('renamed');
    const writes = storage.writes;
    effects.flush();
    vi.advanceTimersByTime(1000);
    expect(storage.writes).toBe(writes);
    effects.stop();
  });

  it('says once, not on every edit, when storage refuses', () => {
    const { storage, store, effects } = setUp();
    storage.setItem = () => {
      throw new DOMException('full', 'QuotaExceededError');
    };
    for (const name of ['a', 'b', 'c']) {
      store.getState().renameGraph(name);
      vi.advanceTimersByTime(AUTOSAVE_DELAY_MS);
    }
    expect(store.getState().toasts.map((t) => t.text)).toEqual([
      'Autosave failed (browser storage is full or off): use Export to keep your work.',
    ]);
    effects.stop();
  });

  it('writes nothing while paused, and saves as soon as it resumes', () => {
    const { storage, store, effects, saved } = setUp();
    store.getState().pauseAutosave();
    const writes = storage.writes;
    store.getState().renameGraph('while paused');
    vi.advanceTimersByTime(1000);
    effects.flush();
    expect(storage.writes).toBe(writes);
    store.getState().resumeAutosave();
    expect(saved().name).toBe('while paused');
    effects.stop();
  });
});

describe('weights restore', () => {
  it('is asked for once after structural changes settle, and never for moves', () => {
    const { store, effects, restores } = setUp();
    store.getState().dragNodes(new Map([['conv', { x: 5, y: 5 }]]), 'end');
    vi.advanceTimersByTime(RESTORE_DELAY_MS * 2);
    expect(restores()).toBe(0);
    store.getState().updateParams('conv', { filters: 16 });
    vi.advanceTimersByTime(RESTORE_DELAY_MS - 10);
    store.getState().updateParams('conv', { filters: 8 });
    vi.advanceTimersByTime(RESTORE_DELAY_MS - 10);
    expect(restores()).toBe(0);
    vi.advanceTimersByTime(10);
    expect(restores()).toBe(1);
    effects.stop();
  });
});

describe('theme', () => {
  it('is remembered when it changes, and read back at the next start before the system preference', () => {
    const { storage, store, effects } = setUp();
    store.getState().setTheme('dark');
    expect(storage.getItem(THEME_KEY)).toBe('dark');
    expect(initialTheme(storage, false)).toBe('dark');
    expect(initialTheme(new MemoryStorage(), true)).toBe('dark');
    expect(initialTheme(new MemoryStorage(), false)).toBe('light');
    effects.stop();
  });
});

describe('the address', () => {
  it('is cleaned of a link or template, keeping only a chosen backend', () => {
    expect(namesAGraph(new URL('http://x/#graph=abc'))).toBe(true);
    expect(namesAGraph(new URL('http://x/?template=resnet-20'))).toBe(true);
    expect(namesAGraph(new URL('http://x/?backend=wasm'))).toBe(false);
    expect(cleanedUrl(new URL('http://x/app/?template=resnet-20&backend=wasm#graph=abc'))).toBe(
      '/app/?backend=wasm',
    );
    expect(cleanedUrl(new URL('http://x/?template=resnet-20'))).toBe('/');
  });
});
