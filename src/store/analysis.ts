/**
 * Analysis of the current document, recomputed only when something that affects shapes changed:
 * moving nodes (every frame of a drag) reuses the previous result.
 */
import type { GraphAnalysis } from '../core/analyze';
import { analyzeGraph } from '../core/analyze';
import type { GraphDocument } from '../core/document';

let last: { doc: GraphDocument; analysis: GraphAnalysis } | undefined;

function sameStructure(a: GraphDocument, b: GraphDocument): boolean {
  if (a.edges !== b.edges || a.nodes.length !== b.nodes.length) return false;
  for (let i = 0; i < a.nodes.length; i++) {
    const x = a.nodes[i]!;
    const y = b.nodes[i]!;
    if (x.id !== y.id || x.kind !== y.kind || x.params !== y.params) return false;
  }
  return true;
}

export function analysisOf(doc: GraphDocument): GraphAnalysis {
  if (last !== undefined && (last.doc === doc || sameStructure(last.doc, doc))) {
    last = { doc, analysis: last.analysis };
    return last.analysis;
  }
  last = { doc, analysis: analyzeGraph(doc) };
  return last.analysis;
}
