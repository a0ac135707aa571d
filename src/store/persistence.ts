/**
 * Where a graph lives outside the page: browser storage (autosave), share links (compressed into the
 * URL fragment) and the start-up choice between them. Everything read back goes through loadGraph.
 */
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from 'lz-string';
import type { GraphDocument } from '../core/document';
import type { DocError } from '../core/issues';
import type { LoadResult } from '../core/load';
import { loadGraph, serializeGraph } from '../core/load';
import { DEFAULT_TEMPLATE, findTemplate } from '../../templates';

export const AUTOSAVE_KEY = 'convcanvas:graph';
/** Where an unreadable autosave is moved, so it is never overwritten. */
export const RESCUE_KEY = 'convcanvas:graph-unreadable';
const SHARE_PARAM = 'graph';

export function encodeShare(doc: GraphDocument): string {
  return compressToEncodedURIComponent(JSON.stringify(doc));
}

export function decodeShare(encoded: string): LoadResult {
  let text: string | null = null;
  try {
    text = decompressFromEncodedURIComponent(encoded);
  } catch {
    text = null;
  }
  if (text === null || text === '')
    return {
      ok: false,
      errors: [{ path: '(link)', message: 'the link is damaged: its graph data cannot be unpacked' }],
    };
  return loadGraph(text);
}

/** A link that opens `doc` in this app. */
export function shareUrl(doc: GraphDocument, page: string): string {
  const url = new URL(page);
  url.search = '';
  url.hash = `${SHARE_PARAM}=${encodeShare(doc)}`;
  return url.toString();
}

export function defaultDocument(): GraphDocument {
  const loaded = loadGraph(findTemplate(DEFAULT_TEMPLATE)!.document);
  if (!loaded.ok) throw new Error('the default template does not load');
  return loaded.doc;
}

export interface Startup {
  /** What the editor starts from: the autosave, or the default template. */
  readonly base: GraphDocument;
  /** A graph the URL asks for, opened on top of the base so undo brings the base back. */
  readonly incoming?: { readonly doc: GraphDocument; readonly message: string };
  readonly problems: readonly { readonly source: string; readonly errors: readonly DocError[] }[];
  /** True when the URL named a graph and should be cleaned so a reload keeps later edits. */
  readonly cleanUrl: boolean;
}

/** Decides what to open, given the page URL and browser storage. Never throws. */
export function startup(url: URL, storage: Pick<Storage, 'getItem' | 'setItem'> | undefined): Startup {
  const problems: { source: string; errors: readonly DocError[] }[] = [];
  let base: GraphDocument | undefined;
  const saved = safeRead(storage, AUTOSAVE_KEY);
  if (saved !== null) {
    const loaded = loadGraph(saved);
    if (loaded.ok) base = loaded.doc;
    else {
      safeWrite(storage, RESCUE_KEY, saved);
      problems.push({ source: 'the autosaved graph (kept aside, unchanged)', errors: loaded.errors });
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
      };
    problems.push({ source: 'the share link', errors: loaded.errors });
    return { base, problems, cleanUrl: true };
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
      };
    problems.push({
      source: 'the link',
      errors: [{ path: '?template', message: `there is no template called "${templateName}"` }],
    });
    return { base, problems, cleanUrl: true };
  }
  return { base, problems, cleanUrl: false };
}

function safeRead(storage: Pick<Storage, 'getItem'> | undefined, key: string): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function safeWrite(storage: Pick<Storage, 'setItem'> | undefined, key: string, value: string): boolean {
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
