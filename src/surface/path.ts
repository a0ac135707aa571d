/**
 * Weight snapshots taken while a model trains, for projecting its path on the plane of the path's
 * main directions. Memory is bounded: when the snapshots fill it, every other one is dropped and
 * snapshots are taken half as often, so the path stays evenly sampled however long the run.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import { concatFloats } from '../core/arrays';

export interface Snapshot {
  /** Epochs done when it was taken (fractional within an epoch). */
  readonly epoch: number;
  /** Every trainable weight, flattened one after another in the model's order. */
  readonly weights: Float32Array;
}

/** Reads the model's trainable weights into one vector (asynchronously: GPU backends stall otherwise). */
export async function flatTrainable(model: tfl.LayersModel): Promise<Float32Array> {
  const parts = (await Promise.all(model.trainableWeights.map((w) => w.read().data()))) as Float32Array[];
  return concatFloats(parts);
}

const MAX_SNAPSHOTS = 40;
const MAX_BYTES = 64 * 1024 ** 2;

export class PathRecorder {
  private snapshots: Snapshot[] = [];
  private seen = 0;

  private constructor(
    private readonly limit: number,
    private every: number,
  ) {}

  /**
   * Starts with the weights as they are. `plannedSteps` spaces the snapshots so that the run fills
   * about half the room (more steps, for "train more", thin them as they come).
   */
  static async start(model: tfl.LayersModel, plannedSteps: number): Promise<PathRecorder> {
    const limit = Math.max(4, Math.min(MAX_SNAPSHOTS, Math.floor(MAX_BYTES / (4 * model.countParams()))));
    const recorder = new PathRecorder(limit, Math.max(1, Math.floor((2 * plannedSteps) / limit)));
    await recorder.take(model, 0);
    return recorder;
  }

  /** Call after every optimizer step; keeps one snapshot every `every` steps. */
  async step(model: tfl.LayersModel, epoch: number): Promise<void> {
    if (++this.seen % this.every !== 0) return;
    await this.take(model, epoch);
  }

  private async take(model: tfl.LayersModel, epoch: number): Promise<void> {
    this.snapshots.push({ epoch, weights: await flatTrainable(model) });
    if (this.snapshots.length < this.limit) return;
    // Keep the first, drop every other: the rest stay evenly spaced at twice the interval.
    this.snapshots = this.snapshots.filter((_, i) => i % 2 === 0);
    this.every *= 2;
  }

  /** The snapshots so far, oldest first. */
  get path(): readonly Snapshot[] {
    return this.snapshots;
  }
}
