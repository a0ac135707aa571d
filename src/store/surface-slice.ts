/**
 * The loss-surface page: slices of the network on the canvas (computed by the training worker,
 * which holds its weights) and comparisons of two networks trained alike in workers of their own.
 */
import type { GraphDocument } from '../core/document';
import { defaultSliceConfig } from '../core/surface/settings';
import type { SliceRequest } from '../core/surface/types';
import { modelKey } from '../core/structure';
import { plainTwin, residualTwin } from '../core/twins';
import { defaultTrainConfig } from '../core/training/settings';
import type { FromWorker } from '../worker/protocol';
import type { SidePort, SideWorkers, TrainingPort } from '../worker/client';
import { findPreset, CLASSROOM } from '../../templates/pairs';
import type { ComparisonPlan } from './comparison';
import { idleComparison, receiveSide, startComparison } from './comparison';
import { isBusy } from './lifecycle';
import { weightsMatch } from './training-slice';
import type { GetState, PairChoice, SetState, SurfaceSlice } from './types';

export interface SurfaceEnvironment {
  /** Starts a worker of its own for one side of a comparison. */
  readonly sideWorkers?: SideWorkers;
  /** Logical cores: two comparison workers at once from 4 on. */
  readonly cores?: number;
  readonly now?: () => number;
}

/** The two graphs of a pair choice, or why the current graph has no such twin. */
export function pairGraphs(
  choice: PairChoice,
  doc: GraphDocument,
): readonly [GraphDocument, GraphDocument] | string {
  if (choice === 'residual-twin' || choice === 'plain-twin') {
    const twin = choice === 'residual-twin' ? residualTwin(doc) : plainTwin(doc);
    if (!twin.ok) return twin.message;
    return choice === 'residual-twin' ? [doc, twin.doc] : [twin.doc, doc];
  }
  const preset = findPreset(choice);
  return preset === undefined ? `No comparison called ${choice}.` : preset.graphs();
}

export function createSurfaceSlice(
  set: SetState,
  get: GetState,
  port: TrainingPort | undefined,
  env: SurfaceEnvironment = {},
): SurfaceSlice {
  const now = env.now ?? (() => performance.now());
  let ports: SidePort[] = [];
  const dropWorkers = () => {
    for (const p of ports) p.dispose();
    ports = [];
  };
  const request = (): SliceRequest => get().sliceConfig;
  const send = (side: 0 | 1, action: 'train' | 'slice') => {
    const c = get().comparison;
    if (c.phase !== 'running') return;
    const target = ports[c.plan.parallel ? side : 0];
    if (target === undefined) return;
    if (action === 'slice') target.send({ type: 'surface', request: c.plan.slice });
    else
      target.send({
        type: 'train',
        graph: c.plan.graphs[side],
        config: c.plan.config,
        dataset: { kind: 'shapes', seed: c.plan.config.seed, ...c.plan.data },
      });
  };
  const onSide = (side: 0 | 1 | 'sequential') => (m: FromWorker) => {
    const c = get().comparison;
    if (c.phase !== 'running') return;
    // One worker runs both sides in turn: its messages belong to the side under way.
    const which: 0 | 1 =
      side === 'sequential' ? (c.sides[0].phase === 'done' || c.sides[0].phase === 'failed' ? 1 : 0) : side;
    const { comparison, next } = receiveSide(c, which, m, now());
    set({ comparison });
    if (next) send(next.side, next.action);
    if (comparison.phase === 'done') dropWorkers();
  };
  return {
    surfaceOpen: false,
    surfaceTab: 'slice',
    sliceConfig: { ...defaultSliceConfig, kind: 'random' },
    slice: { phase: 'idle' },
    comparePair: CLASSROOM,
    comparison: idleComparison,
    openSurface: (tab) => set({ surfaceOpen: true, ...(tab && { surfaceTab: tab }) }),
    closeSurface: () => set({ surfaceOpen: false }),
    setSurfaceTab: (tab) => set({ surfaceTab: tab }),
    setSliceConfig: (patch) => set({ sliceConfig: { ...get().sliceConfig, ...patch } }),
    computeSlice() {
      const s = get();
      if (port === undefined || isBusy(s.training) || s.slice.phase === 'running' || !weightsMatch(s)) return;
      set({ slice: { phase: 'running', key: modelKey(s.doc) } });
      port.send({ type: 'surface', request: request() });
    },
    cancelSlice() {
      if (get().slice.phase === 'running') port?.send({ type: 'cancel-surface' });
    },
    receiveSurface(m) {
      const slice = get().slice;
      if (slice.phase !== 'running') return;
      if (m.type === 'surface-failed') set({ slice: { phase: 'error', message: m.message } });
      else if (m.status === 'running') set({ slice: { ...slice, surface: m.surface } });
      else set({ slice: { phase: m.status, key: slice.key, surface: m.surface } });
    },
    setComparePair: (choice) => set({ comparePair: choice }),
    startComparison() {
      const s = get();
      if (env.sideWorkers === undefined || s.comparison.phase === 'running') return;
      const graphs = pairGraphs(s.comparePair, s.doc);
      if (typeof graphs === 'string') {
        s.notify(graphs, 'error');
        return;
      }
      const preset = findPreset(s.comparePair);
      const parallel = (env.cores ?? 1) >= 4;
      const plan: ComparisonPlan = preset
        ? {
            graphs,
            config: { ...defaultTrainConfig, ...preset.train },
            data: preset.data,
            slice: { ...defaultSliceConfig, ...preset.slice, kind: 'random' },
            parallel,
          }
        : {
            graphs,
            config: s.trainConfig,
            // Comparisons draw the built-in images, as many as the Train panel's settings ask for.
            data: s.datasetConfig,
            slice: { ...s.sliceConfig, kind: 'random' },
            parallel,
          };
      dropWorkers();
      set({ comparison: startComparison(plan, now()) });
      const workers = env.sideWorkers;
      ports = parallel ? [workers(onSide(0)), workers(onSide(1))] : [workers(onSide('sequential'))];
      send(0, 'train');
      if (parallel) send(1, 'train');
    },
    cancelComparison() {
      const c = get().comparison;
      if (c.phase !== 'running') return;
      dropWorkers();
      set({ comparison: { ...c, phase: 'cancelled', ended: now() } });
    },
  };
}
