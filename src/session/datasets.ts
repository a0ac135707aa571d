/** The datasets a session trains on, drawn once per request and kept while the request stays the same. */
import type { ImageDataset } from '../data/dataset';
import { shapesDataset } from '../data/shapes';
import type { DatasetRequest } from '../worker/protocol';

export type DatasetSource = (request: DatasetRequest) => ImageDataset;

/** Draws the built-in dataset for a request, reusing the last one while the request is unchanged. */
export function cachedDatasets(): DatasetSource {
  let cached: { id: string; data: ImageDataset } | undefined;
  return (request) => {
    const id = JSON.stringify(request);
    if (cached?.id !== id)
      cached = {
        id,
        data: shapesDataset({
          seed: request.seed,
          size: request.size,
          trainCount: request.trainCount,
          validationCount: request.validationCount,
        }),
      };
    return cached.data;
  };
}
