/** The datasets a session trains on, drawn once per request and kept while the request stays the same. */
import type { InputSize, ShapesRequest } from '../core/training/data';
import type { ImageDataset } from '../data/dataset';
import { shapesDataset } from '../data/shapes';

/** The built-in data for a request, at the graph's input size (call only when builtInDataProblems found none). */
export type DatasetSource = (request: ShapesRequest, input: InputSize) => ImageDataset;

/** Draws the built-in dataset, reusing the last one while the request and the size are unchanged. */
export function cachedDatasets(): DatasetSource {
  let cached: { id: string; data: ImageDataset } | undefined;
  return (request, input) => {
    const id = JSON.stringify([request, input]);
    if (cached?.id !== id)
      cached = {
        id,
        data: shapesDataset({
          seed: request.seed,
          height: input.height,
          width: input.width,
          channels: input.channels === 1 ? 1 : 3,
          trainCount: request.trainCount,
          validationCount: request.validationCount,
        }),
      };
    return cached.data;
  };
}
