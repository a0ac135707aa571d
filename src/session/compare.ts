/**
 * One side of a comparison (or a lone slice): train a graph in its own session, then slice it, and
 * keep what the page shows, the figures and the curves. The command line and the benches run
 * comparisons with it; the page runs the same session messages through its workers.
 */
import type { SliceRequest, Surface } from '../core/surface/types';
import type { BatchReport, EpochReport } from '../core/training/reports';
import type { TrainConfig } from '../core/training/settings';
import type { FromWorker, ModelRequest } from '../worker/protocol';
import { ModelSession } from './model-session';

export interface SideResult {
  readonly name: string;
  readonly epochs: readonly EpochReport[];
  readonly batches: readonly BatchReport[];
  readonly surface?: Surface;
  readonly trainSeconds: number;
  readonly sliceSeconds: number;
  /** Why training or the slice did not finish. */
  readonly failure?: string;
}

export interface SideOptions {
  /** Every message of the side's session, as it comes (progress displays). */
  readonly onMessage?: (message: FromWorker) => void;
  /** Weights to start from instead of training (with `config.epochs` 0). */
  readonly prepare?: (session: ModelSession) => Promise<string | undefined>;
}

/** Trains `request` with `config` (unless `prepare` provides weights), then computes `slice`. */
export async function runSide(
  request: ModelRequest,
  config: TrainConfig,
  slice: SliceRequest,
  { onMessage, prepare }: SideOptions = {},
): Promise<SideResult> {
  const batches: BatchReport[] = [];
  let surface: Surface | undefined;
  let failure: string | undefined;
  const session = new ModelSession({
    post: (m) => {
      if (m.type === 'batch') batches.push(m.report);
      else if (m.type === 'failed' || m.type === 'surface-failed') failure ??= m.message;
      else if (m.type === 'notice' && m.level === 'error') failure ??= m.message;
      else if (m.type === 'surface') surface = m.surface;
      onMessage?.(m);
    },
  });
  const name = request.graph.name;
  const started = performance.now();
  try {
    const problem = prepare === undefined ? undefined : await prepare(session);
    const outcome = prepare === undefined ? await session.train(request, config) : undefined;
    const trained = performance.now();
    const result = (extra: Partial<SideResult>): SideResult => ({
      name,
      epochs: outcome?.epochs ?? [],
      batches,
      trainSeconds: (trained - started) / 1000,
      sliceSeconds: 0,
      ...extra,
    });
    if (problem !== undefined || (prepare === undefined && outcome?.status !== 'done'))
      return result({ failure: problem ?? failure ?? 'Training did not finish.' });
    await session.surface(slice);
    return result({
      ...(surface && { surface }),
      sliceSeconds: (performance.now() - trained) / 1000,
      ...(failure !== undefined && { failure }),
    });
  } finally {
    session.dispose();
  }
}
