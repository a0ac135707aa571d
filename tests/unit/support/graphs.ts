import type { GraphDocument } from '../../../src/core/document';
import { inputSizeOf } from '../../../src/core/training/data';
import { shapesDataset } from '../../../src/data/shapes';

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

/** The same network with its Input set to `size`×`size` (as a person would edit the Input node). */
export function withInputSize(doc: GraphDocument, size: number): GraphDocument {
  return {
    ...doc,
    nodes: doc.nodes.map((n) =>
      n.kind === 'input' ? { ...n, params: { ...n.params, height: size, width: size } } : n,
    ),
  };
}

/** The built-in images at a graph's input size, as the session draws them. */
export function shapesFor(
  doc: GraphDocument,
  options: { trainCount: number; validationCount: number; seed?: number },
) {
  const size = inputSizeOf(doc);
  if (size === undefined) throw new Error(`${doc.name} has no single input`);
  return shapesDataset({
    ...options,
    height: size.height,
    width: size.width,
    channels: size.channels === 1 ? 1 : 3,
  });
}
