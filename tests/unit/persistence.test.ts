import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../src/core/builder';
import { serializeGraph } from '../../src/core/load';
import {
  AUTOSAVE_KEY,
  RESCUE_KEY,
  decodeShare,
  defaultDocument,
  encodeShare,
  shareUrl,
  startup,
} from '../../src/store/persistence';

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
}

function small() {
  const g = new GraphBuilder('small');
  const x = g.node('input', { height: 8, width: 8, channels: 1 }, [], { id: 'image', label: 'digits' });
  g.node('output', { classes: 3 }, g.node('flatten', {}, x), { id: 'out' });
  return g.build();
}

describe('share links', () => {
  it('round-trip a graph exactly through the URL fragment', () => {
    const doc = small();
    const url = shareUrl(doc, 'http://localhost:5173/?template=resnet-18#old');
    expect(url.startsWith('http://localhost:5173/#graph=')).toBe(true);
    expect(url).not.toContain('template=');
    const loaded = decodeShare(new URL(url).hash.slice('#graph='.length));
    expect(loaded).toEqual({ ok: true, doc, upgrades: [] });
  });

  it('compress: a 127-node ResNet fits in a link of a few kilobytes', () => {
    const opened = startup(new URL('http://x/?template=resnet-34'), undefined);
    const encoded = encodeShare(opened.incoming!.doc);
    expect(encoded.length).toBeLessThan(serializeGraph(opened.incoming!.doc).length / 5);
  });

  it('refuse a damaged link with a message', () => {
    const loaded = decodeShare('not-really-compressed');
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.errors[0]!.message).toMatch(/damaged|not valid JSON|ends too early/);
  });
});

describe('start-up', () => {
  it('restores the autosaved graph', () => {
    const storage = new MemoryStorage();
    storage.setItem(AUTOSAVE_KEY, serializeGraph(small()));
    const s = startup(new URL('http://x/'), storage);
    expect(s.base).toEqual(small());
    expect(s.incoming).toBeUndefined();
    expect(s.cleanUrl).toBe(false);
  });

  it('opens a share link on top of the autosave, so undo can bring the autosave back', () => {
    const storage = new MemoryStorage();
    storage.setItem(AUTOSAVE_KEY, serializeGraph(small()));
    const shared = { ...small(), name: 'shared' };
    const s = startup(new URL(`http://x/#graph=${encodeShare(shared)}`), storage);
    expect(s.base.name).toBe('small');
    expect(s.incoming?.doc).toEqual(shared);
    expect(s.cleanUrl).toBe(true);
  });

  it('opens ?template= and says when there is no such template', () => {
    expect(startup(new URL('http://x/?template=tiny-vgg'), undefined).incoming?.doc.name).toBe('Tiny VGG');
    const missing = startup(new URL('http://x/?template=alexnet'), undefined);
    expect(missing.incoming).toBeUndefined();
    expect(missing.problems[0]!.errors[0]!.message).toBe('there is no template called "alexnet"');
  });

  it('keeps an unreadable autosave aside instead of overwriting it', () => {
    const storage = new MemoryStorage();
    storage.setItem(AUTOSAVE_KEY, '{"schemaVersion": 1, "name": "half');
    const s = startup(new URL('http://x/'), storage);
    expect(s.base).toEqual(defaultDocument());
    expect(storage.getItem(RESCUE_KEY)).toBe('{"schemaVersion": 1, "name": "half');
    expect(s.problems[0]!.source).toMatch(/autosaved graph/);
  });

  it('survives storage that throws', () => {
    const hostile = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    expect(startup(new URL('http://x/'), hostile).base).toEqual(defaultDocument());
  });
});
