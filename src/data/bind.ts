/** Makes a graph's Input and Output match a dataset: image size, channels and number of classes. */
import type { GraphDocument } from '../core/document';
import type { ImageDataset } from './dataset';

export function bindDataset(doc: GraphDocument, data: ImageDataset): GraphDocument {
  return {
    ...doc,
    nodes: doc.nodes.map((n) => {
      if (n.kind === 'input')
        return {
          ...n,
          params: { ...n.params, height: data.height, width: data.width, channels: data.channels },
        };
      if (n.kind === 'output') return { ...n, params: { ...n.params, classes: data.classes.length } };
      return n;
    }),
  };
}
