import type { GraphDocument } from './document';

/** What a trained model depends on: kinds, params and links (not positions or names). */
export function structureKey(doc: GraphDocument): string {
  return JSON.stringify([
    doc.nodes.map((n) => [n.id, n.kind, n.params]),
    doc.edges.map((e) => [e.source, e.target, e.targetHandle]),
  ]);
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

/** What a set of trained weights belongs to: the graph's structure and the input size it was bound to. */
export function modelKey(doc: GraphDocument, inputSize: number): string {
  return `${structureKey(doc)}|${inputSize}`;
}
