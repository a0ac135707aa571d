/**
 * Where a graph lives outside the page: browser storage (autosave), share links (compressed into the
 * URL fragment) and the start-up choice between them. Everything read back goes through loadGraph,
 * and every size is checked before the work that it would cost.
 */
// The default import: lz-string is CommonJS, whose named exports Node's ESM loader cannot see.
import lz from 'lz-string';
import type { GraphDocument } from '../core/document';
import type { DocError } from '../core/issues';
import { MAX_JSON_CHARS, MAX_LINK_CHARS } from '../core/limits';
import { formatBytes } from '../core/units';
import type { LoadResult } from '../core/load';
import { loadGraph, serializeGraph } from '../core/load';
import { DEFAULT_TEMPLATE, findTemplate } from '../../templates';
import { unpackedLength } from './lz-size';
import type { HeldGraph, Theme } from './types';

export const AUTOSAVE_KEY = 'convcanvas:graph';
/** Where an unreadable autosave is copied, so that autosave may go on without losing it. */
export const RESCUE_KEY = 'convcanvas:graph-unreadable';
export const THEME_KEY = 'convcanvas:theme';
const SHARE_PARAM = 'graph';

export type StorageLike = Pick<Storage, 'getItem' | 'setItem'>;

export function encodeShare(doc: GraphDocument): string {
  return lz.compressToEncodedURIComponent(JSON.stringify(doc));
}

const linkError = (message: string): LoadResult => ({ ok: false, errors: [{ path: '(link)', message }] });

/** A share link's graph. Never throws; a link too long, or one that would unpack too big, is not unpacked. */
export function decodeShare(encoded: string): LoadResult {
  if (encoded.length > MAX_LINK_CHARS)
    return linkError(
      `the link holds ${formatBytes(encoded.length)}, more than the ${formatBytes(MAX_LINK_CHARS)} a browser opens: it was not read`,
    );
  const size = unpackedLength(encoded, MAX_JSON_CHARS);
  if (!size.ok && size.reason === 'too-big')
    return linkError(
      `the link would unpack to more than ${formatBytes(MAX_JSON_CHARS)} of text (a 10,000-node graph takes about 4 MiB): it was not unpacked`,
    );
  let text: string | null = null;
  if (size.ok)
    try {
      text = lz.decompressFromEncodedURIComponent(encoded);
    } catch {
      text = null;
    }
  if (text === null || text === '')
    return linkError('the link is damaged: its graph data cannot be unpacked');
  return loadGraph(text);
}

/** A link that opens `doc` in this app. */
export function shareUrl(doc: GraphDocument, page: string): string {
  const url = new URL(page);
  url.search = '';
  url.hash = `${SHARE_PARAM}=${encodeShare(doc)}`;
  return url.toString();
}

/** The share link for `doc`, or why there is none (a graph too big for a link). */
export function shareLink(
  doc: GraphDocument,
  page: string,
  limit: number = MAX_LINK_CHARS,
): { readonly ok: true; readonly url: string } | { readonly ok: false; readonly message: string } {
  const url = shareUrl(doc, page);
  return url.length <= limit
    ? { ok: true, url }
    : {
        ok: false,
        message: `This graph packs into a link of ${formatBytes(url.length)}, more than the ${formatBytes(limit)} a browser opens: share it with Export instead.`,
      };
}

export function defaultDocument(): GraphDocument {
  const loaded = loadGraph(findTemplate(DEFAULT_TEMPLATE)!.document);
  if (!loaded.ok) throw new Error('the default template does not load');
  return loaded.doc;
}

export interface StartupProblem {
  readonly source: string;
  readonly errors: readonly DocError[];
  /** The refused text itself, when it is the person's autosaved graph. */
  readonly held?: HeldGraph;
}

export interface Startup {
  /** What the editor starts from: the autosave, or the default template. */
  readonly base: GraphDocument;
  /** A graph the URL asks for, opened on top of the base so undo brings the base back. */
  readonly incoming?: { readonly doc: GraphDocument; readonly message: string };
  readonly problems: readonly StartupProblem[];
  /** True when the URL named a graph and should be cleaned so a reload keeps later edits. */
  readonly cleanUrl: boolean;
  /** False when the autosave holds a graph that could not be opened nor copied aside. */
  readonly autosave: boolean;
}

/** Whether the URL asks for a graph (a share link or a template), so that it must be cleaned. */
export function namesAGraph(url: URL): boolean {
  try {
    return new URLSearchParams(url.hash.slice(1)).has(SHARE_PARAM) || url.searchParams.has('template');
  } catch {
    // An address that cannot even be read is cleaned: nothing in it is worth keeping.
    return true;
  }
}

/** The page's address with the graph taken out, keeping only a chosen backend. */
export function cleanedUrl(url: URL): string {
  const backend = url.searchParams.get('backend');
  return url.pathname + (backend ? `?backend=${encodeURIComponent(backend)}` : '');
}

/** Copies an unreadable autosave aside; true only when the copy reads back equal. */
function keepAside(storage: StorageLike | undefined, text: string): boolean {
  return safeWrite(storage, RESCUE_KEY, text) && safeRead(storage, RESCUE_KEY) === text;
}

/** Decides what to open, given the page URL and browser storage. */
export function startup(url: URL, storage: StorageLike | undefined): Startup {
  const problems: StartupProblem[] = [];
  let base: GraphDocument | undefined;
  let autosave = true;
  const saved = safeRead(storage, AUTOSAVE_KEY);
  if (saved !== null) {
    const loaded = loadGraph(saved);
    if (loaded.ok) base = loaded.doc;
    else {
      const keptAside = keepAside(storage, saved);
      autosave = keptAside;
      problems.push({
        source: keptAside
          ? 'the autosaved graph (kept aside, unchanged)'
          : 'the autosaved graph (still in browser storage, unchanged)',
        errors: loaded.errors,
        held: { text: saved, keptAside },
      });
    }
  }
  base ??= defaultDocument();

  const hash = new URLSearchParams(url.hash.replace(/^#/, ''));
  const shared = hash.get(SHARE_PARAM);
  if (shared !== null) {
    const loaded = decodeShare(shared);
    if (loaded.ok)
      return {
        base,
        incoming: {
          doc: loaded.doc,
          message: `Opened the shared graph "${loaded.doc.name}". Undo (Ctrl+Z) brings back what you had.`,
        },
        problems,
        cleanUrl: true,
        autosave,
      };
    problems.push({ source: 'the share link', errors: loaded.errors });
    return { base, problems, cleanUrl: true, autosave };
  }
  const templateName = url.searchParams.get('template');
  if (templateName !== null) {
    const template = findTemplate(templateName);
    const loaded = template && loadGraph(template.document);
    if (loaded?.ok)
      return {
        base,
        incoming: {
          doc: loaded.doc,
          message: `Opened the template ${template!.title}. Undo (Ctrl+Z) brings back what you had.`,
        },
        problems,
        cleanUrl: true,
        autosave,
      };
    problems.push({
      source: 'the link',
      errors: [{ path: '?template', message: `there is no template called "${templateName.slice(0, 100)}"` }],
    });
    return { base, problems, cleanUrl: true, autosave };
  }
  return { base, problems, cleanUrl: false, autosave };
}

/**
 * startup, made total: should opening the link fail in a way nobody foresaw, the editor opens
 * without it, and should that fail too, on the default graph with autosave waiting so that the
 * stored graph is not overwritten unseen. Either way the reason is shown.
 */
export function safeStartup(url: URL, storage: StorageLike | undefined): Startup {
  const failure = (e: unknown): StartupProblem => ({
    source: 'the linked or saved graph',
    errors: [
      {
        path: '(start-up)',
        message: `opening it failed (${e instanceof Error ? e.message : String(e)}), so it was left out`,
      },
    ],
  });
  try {
    return startup(url, storage);
  } catch (e) {
    try {
      const plain = startup(new URL(url.pathname, url.origin), storage);
      return { ...plain, problems: [...plain.problems, failure(e)], cleanUrl: namesAGraph(url) };
    } catch (again) {
      const stored = safeRead(storage, AUTOSAVE_KEY);
      return {
        base: defaultDocument(),
        problems: [
          {
            ...failure(again),
            ...(stored === null ? {} : { held: { text: stored, keptAside: false } }),
          },
        ],
        cleanUrl: namesAGraph(url),
        autosave: stored === null,
      };
    }
  }
}

/** The saved theme, else the system's preference. */
export function initialTheme(storage: StorageLike | undefined, prefersDark: boolean): Theme {
  const saved = safeRead(storage, THEME_KEY);
  if (saved === 'light' || saved === 'dark') return saved;
  return prefersDark ? 'dark' : 'light';
}

export function safeRead(storage: Pick<Storage, 'getItem'> | undefined, key: string): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

export function safeWrite(
  storage: Pick<Storage, 'setItem'> | undefined,
  key: string,
  value: string,
): boolean {
  try {
    storage?.setItem(key, value);
    return storage !== undefined;
  } catch {
    return false;
  }
}

/** Saves the graph; false when storage refused (full or disabled). */
export function autosave(storage: Pick<Storage, 'setItem'> | undefined, doc: GraphDocument): boolean {
  return safeWrite(storage, AUTOSAVE_KEY, serializeGraph(doc));
}
