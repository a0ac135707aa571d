import type { GraphDocument } from '../../../src/core/document';

/** The same network with a 32×32 input, for numeric checks of the big templates on the cpu backend. */
export function smallInput(doc: GraphDocument): GraphDocument {
  return {
    ...doc,
    nodes: doc.nodes.map((n) =>
      n.kind === 'input' && Number(n.params['height']) > 64
        ? { ...n, params: { ...n.params, height: 32, width: 32 } }
        : n,
    ),
  };
}
