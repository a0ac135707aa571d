import type { GraphDocument } from './document';
import { inputSizeOf } from './training/data';

/**
 * Whether two versions of a document have the same kinds, params and links (edits replace what they
 * change, so unchanged parts are the same objects). Moving nodes keeps the structure.
 */
export function sameStructure(a: GraphDocument, b: GraphDocument): boolean {
  if (a === b) return true;
  if (a.edges !== b.edges || a.nodes.length !== b.nodes.length) return false;
  for (let i = 0; i < a.nodes.length; i++) {
    const x = a.nodes[i]!;
    const y = b.nodes[i]!;
    if (x.id !== y.id || x.kind !== y.kind || x.params !== y.params) return false;
  }
  return true;
}

let lastKey: { doc: GraphDocument; key: string } | undefined;

/**
 * What a trained model depends on: kinds, params and links (not positions or names). Asked for on
 * every store change, so the last key is reused while only positions change.
 */
export function structureKey(doc: GraphDocument): string {
  if (lastKey !== undefined && sameStructure(lastKey.doc, doc)) {
    lastKey = { doc, key: lastKey.key };
    return lastKey.key;
  }
  const key = JSON.stringify([
    doc.nodes.map((n) => [n.id, n.kind, n.params]),
    doc.edges.map((e) => [e.source, e.target, e.targetHandle]),
  ]);
  lastKey = { doc, key };
  return key;
}

/** A short, stable name for a long key (FNV-1a, 2 × 32 bits), e.g. for storage slots. */
export function shortHash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (a >>> 13);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

/**
 * What a set of trained weights belongs to: the graph's structure (which includes its input size). The
 * suffix keeps keys of weights saved by earlier versions, which named the image size separately.
 */
export function modelKey(doc: GraphDocument): string {
  return `${structureKey(doc)}|${inputSizeOf(doc)?.height ?? 0}`;
}
