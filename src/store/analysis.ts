/**
 * Analysis of the current document, recomputed only when something that affects shapes changed:
 * moving nodes (every frame of a drag) reuses the previous result.
 */
import type { GraphAnalysis } from '../core/analyze';
import { analyzeGraph } from '../core/analyze';
import type { GraphDocument } from '../core/document';
import { sameStructure } from '../core/structure';

let last: { doc: GraphDocument; analysis: GraphAnalysis } | undefined;

export function analysisOf(doc: GraphDocument): GraphAnalysis {
  if (last !== undefined && sameStructure(last.doc, doc)) {
    last = { doc, analysis: last.analysis };
    return last.analysis;
  }
  last = { doc, analysis: analyzeGraph(doc) };
  return last.analysis;
}
