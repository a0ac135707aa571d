/**
 * What in a compiled graph cannot be trained by TensorFlow.js, said before training starts rather
 * than as an exception from deep inside a gradient.
 */
import type { CompiledGraph } from '../compile/compile';

export interface TrainingBlocker {
  readonly nodeId: string;
  readonly message: string;
}

const dilationOf = (config: Record<string, unknown>): number => {
  const rate = config['dilationRate'];
  return Math.max(...(Array.isArray(rate) ? rate.map(Number) : [Number(rate ?? 1)]));
};

export function trainingBlockers(compiled: Pick<CompiledGraph, 'nodes'>): TrainingBlocker[] {
  const blockers: TrainingBlocker[] = [];
  for (const [nodeId, node] of compiled.nodes)
    for (const layer of node.layers) {
      if (layer.getClassName() !== 'Conv2D' || layer.trainable === false) continue;
      const dilation = dilationOf(layer.getConfig() as Record<string, unknown>);
      if (dilation > 1)
        blockers.push({
          nodeId,
          message: `Node '${nodeId}' uses dilation ${dilation}. TensorFlow.js cannot compute the gradient of a dilated convolution, so this graph runs but cannot train: set its dilation to 1 (a larger kernel covers the same area), or make the node not trainable.`,
        });
    }
  return blockers;
}
