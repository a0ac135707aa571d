/**
 * A ModelSession holds one compiled graph with its data, its weights and the run that trained them,
 * and does everything that needs them: train, continue, pause, stop, restore saved weights, load a
 * file's weights, export. It speaks only through `post` (the worker forwards its messages to the page;
 * the CLI prints them; tests collect them), so the same code runs in a worker, in Node and in tests.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describeWeightProblems, loadSavedWeights } from '../compile/weights';
import { CPU_CHECK_TOLERANCE } from '../core/training/cpu-check';
import type { BackendName } from '../core/training/backends';
import {
  estimateTrainingMemory,
  isOutOfMemory,
  leavesBackendBroken,
  memoryRefusal,
  outOfMemoryMessage,
} from '../core/training/memory';
import type { TrainConfig } from '../core/training/settings';
import type { DatasetRequest } from '../core/training/data';
import type { AugmentConfig } from '../core/training/augment';
import { augmentConfigProblems } from '../core/training/augment-presets';
import { dataIdentity, dataProblems } from '../core/training/stored-data';
import type { BatchReport, EpochReport } from '../core/training/reports';
import { appendThinned } from '../core/training/reports';
import type { CompileError } from '../compile/compile';
import { analysisErrors, analyzeGraph } from '../core/analyze';
import { modelKey } from '../core/structure';
import { imageFloats } from '../data/dataset';
import { classCounts } from '../data/source';
import { blockingProblems, inputSizeOf } from '../core/training/data';
import type { InspectQuery } from '../core/inspect/types';
import { transferablesOf } from '../core/inspect/types';
import type { SavedWeight, TrainedMeta } from '../model-files/types';
import { checkAgainstCpu } from '../train/cpu-check';
import { validationResults } from '../train/results';
import { savedWeightsOf, toArtifacts } from '../train/saved-weights';
import type { TrainOutcome } from '../train/trainer';
import { trainModel } from '../train/trainer';
import type { FromWorker, ModelRequest } from '../worker/protocol';
import type { ImageDataset } from '../data/dataset';
import type { DatasetSource } from './datasets';
import { cachedDatasets } from './datasets';
import type { SliceRequest } from '../core/surface/types';
import { PathRecorder, flatTrainable } from '../surface/path';
import type { SurfaceResult } from '../surface/service';
import { computeSurface } from '../surface/service';
import type { DataLibrary } from './data-library';
import { Inspection } from './inspection';
import { PauseGate } from './pause-gate';
import type { PreparedModel } from './prepare';
import { errorText, prepareModel } from './prepare';
import type { WeightStore } from './weight-store';

export type Post = (message: FromWorker, transfer?: Transferable[]) => void;

export interface SessionOptions {
  readonly post: Post;
  /** Where weights are saved after every epoch and restored from; none: not kept. */
  readonly weights?: WeightStore;
  readonly datasets?: DatasetSource;
  /** The person's own datasets (stored requests); without it only the built-in data is there. */
  readonly library?: DataLibrary;
  /** Compare a GPU backend's forward pass with the CPU's before training (browser only). */
  readonly crossCheck?: boolean;
}

/** The model the session holds and the run that made its weights. */
interface Held extends PreparedModel {
  /** Freshly drawn weights, held to look inside before training: saved weights may replace them. */
  readonly random: boolean;
  readonly batchesPerEpoch: number;
  /** The data it trains and validates on. */
  readonly dataset: DatasetRequest;
  /** The augmentation of its training images (none when absent). */
  readonly augment?: AugmentConfig;
  config: TrainConfig;
  epochReports: EpochReport[];
  /** The run's batches, thinned, saved with the weights so a restored run draws the same curves. */
  batches: BatchReport[];
  /** Weight snapshots of the run, when it was trained here (for the training path on a slice). */
  path?: PathRecorder;
}

/** Batches saved with the weights. */
const SAVED_BATCHES = 500;

/** The CPU comparison runs when one forward pass of a few images costs at most this many FLOPs. */
const CPU_CHECK_FLOPS = 2e9;

const text = (e: unknown) => (e instanceof Error ? e.message : String(e));

export class ModelSession {
  private held: Held | undefined;
  private readonly gate = new PauseGate();
  private stopRequested = false;
  private sliceStopRequested = false;
  /** What the held model is doing: a slice must not move weights that are training, nor the reverse. */
  private busy: 'training' | 'slicing' | null = null;
  private saveWarned = false;
  private readonly post: Post;
  private readonly store: WeightStore | undefined;
  private readonly datasets: DatasetSource;
  private readonly library: DataLibrary | undefined;
  private readonly crossCheck: boolean;
  private readonly inspection: Inspection;

  constructor(options: SessionOptions) {
    this.post = options.post;
    this.store = options.weights;
    this.datasets = options.datasets ?? cachedDatasets();
    this.library = options.library;
    this.crossCheck = options.crossCheck ?? false;
    this.inspection = new Inspection(
      (reply) => this.post({ type: 'inspected', reply }, transferablesOf(reply)),
      () => this.held && { prepared: this.held, random: this.held.random },
    );
  }

  /** The model held now (trained, restored or loaded), if any. */
  get model(): PreparedModel | undefined {
    return this.held;
  }

  /**
   * Compiles the request's graph with its data; the model is not yet the session's. Training needs the
   * data; loading or restoring weights does not (without it there are no validation results). To look
   * inside (`look`), freshly drawn weights will do, with data of any number of classes.
   */
  private prepare(
    request: ModelRequest,
    batchSize: number,
    options: { seed?: number; forTraining?: boolean; look?: boolean },
  ) {
    const { look = false, ...rest } = options;
    const data = this.dataFor(request, look);
    if (!data.ok && options.forTraining) return data;
    const result = prepareModel(request.graph, data.ok ? data.data : undefined, {
      ...rest,
      anyClasses: look,
    });
    if (!result.ok) return { ok: false as const, message: errorText(result.errors), errors: result.errors };
    const { prepared } = result;
    const start = (
      config: TrainConfig,
      run?: Pick<TrainedMeta, 'epochReports' | 'batches'>,
      augment?: AugmentConfig,
    ): Held => ({
      ...prepared,
      random: look,
      batchesPerEpoch: Math.ceil((prepared.data?.train.count ?? 0) / batchSize),
      dataset: request.dataset,
      ...(augment !== undefined && { augment }),
      config,
      epochReports: [...(run?.epochReports ?? [])],
      batches: [...(run?.batches ?? [])],
    });
    return { ok: true as const, model: prepared.model, start };
  }

  /**
   * Fits a stored dataset to the request's input size when it is not already (decoding its files
   * again, with progress); the built-in data needs nothing.
   */
  private async ready(request: ModelRequest): Promise<void> {
    const size = inputSizeOf(request.graph);
    if (size !== undefined && this.library !== undefined) await this.library.ensure(request.dataset, size);
  }

  /** The request's data at the graph's input size, or why it cannot be drawn (before drawing any). */
  private dataFor(request: ModelRequest, anyClasses = false) {
    const size = inputSizeOf(request.graph);
    const { dataset } = request;
    const info = dataset.kind === 'stored' ? this.library?.info(dataset.id) : undefined;
    const problems: CompileError[] = blockingProblems(dataProblems(request.graph, dataset, info))
      // Looking needs images, not labels: an Output with another class count (its fix) is no obstacle.
      .filter((p) => !(anyClasses && p.fix?.params['classes'] !== undefined))
      .map((p) =>
        p.nodeId === undefined ? { message: p.message } : { nodeId: p.nodeId, message: p.message },
      );
    if (size === undefined) {
      const analysis = analyzeGraph(request.graph);
      problems.push(...analysisErrors(analysis));
    }
    if (problems.length > 0 || size === undefined)
      return { ok: false as const, message: errorText(problems), errors: problems };
    if (dataset.kind === 'shapes') return { ok: true as const, data: this.datasets(dataset, size) };
    const found = this.library?.get(dataset, size) ?? {
      ok: false as const,
      message: 'There are no stored datasets here.',
    };
    return found.ok
      ? { ok: true as const, data: found.data }
      : { ok: false as const, message: found.message, errors: [{ message: found.message }] };
  }

  private hold(next: Held): void {
    if (this.held !== undefined && this.held.model !== next.model) this.held.model.dispose();
    this.held = next;
    this.inspection.weightsChanged();
  }

  private meta(h: Held): TrainedMeta {
    return {
      key: h.key,
      config: h.config,
      epochReports: h.epochReports,
      batchesPerEpoch: h.batchesPerEpoch,
      dataset: h.dataset,
      ...(h.augment !== undefined && { augment: h.augment }),
      batches: h.batches,
    };
  }

  private async save(h: Held): Promise<void> {
    if (this.store === undefined) return;
    try {
      await this.store.save(h.model, this.meta(h));
    } catch (e) {
      if (!this.saveWarned)
        this.post({
          type: 'notice',
          level: 'error',
          message: `The trained weights could not be saved in this browser (${text(e)}); download them to keep them.`,
        });
      this.saveWarned = true;
    }
  }

  private async postResults(h: Held): Promise<void> {
    if (h.data === undefined) return;
    const results = await validationResults(h.model, h.data);
    this.post(
      { type: 'results', results },
      results.topLosses.map((t) => t.image.buffer as ArrayBuffer),
    );
  }

  /** On a GPU backend, compares the new model's forward pass with the CPU's and reports it. */
  private async checkBackend(h: Held): Promise<void> {
    const backend = tf.getBackend();
    if (!this.crossCheck || h.data === undefined || (backend !== 'webgpu' && backend !== 'webgl')) return;
    if (h.compiled.analysis.totals.flops * 4 > CPU_CHECK_FLOPS) return;
    try {
      const check = await checkAgainstCpu(h.model, h.graph, h.data as ImageDataset);
      this.post({ type: 'checked', check });
      if (check.maxDifference > CPU_CHECK_TOLERANCE)
        this.post({
          type: 'notice',
          level: 'error',
          message: `${backend} computes this network differently from the CPU (probabilities differ by up to ${check.maxDifference.toPrecision(2)}). Its training may not be trustworthy here: try ?backend=wasm.`,
        });
    } catch (e) {
      this.post({
        type: 'notice',
        level: 'info',
        message: `The ${backend} result could not be compared with the CPU (${text(e)}).`,
      });
    }
  }

  /**
   * What every run does first: a slice under way ends (its weights put back) and a stop from before is
   * forgotten. False, with a 'failed' message, when the augmentation settings are wrong.
   */
  private async beginRun(augment: AugmentConfig | undefined): Promise<boolean> {
    await this.endSlice();
    this.stopRequested = false;
    const wrong = augment === undefined ? [] : augmentConfigProblems(augment);
    if (wrong.length === 0) return true;
    this.post({
      type: 'failed',
      kind: 'compile',
      message: `The augmentation settings are wrong: ${wrong.join('; ')}.`,
    });
    return false;
  }

  /** Compiles the graph with fresh weights and trains it, augmenting its training images by `augment`. */
  async train(
    request: ModelRequest,
    config: TrainConfig,
    augment?: AugmentConfig,
  ): Promise<TrainOutcome | undefined> {
    if (!(await this.beginRun(augment))) return undefined;
    // Said before anything is allocated, in the words a real out-of-memory would get.
    const analysis = analyzeGraph(request.graph);
    const refusal = analysis.valid
      ? memoryRefusal(tf.getBackend() as BackendName, estimateTrainingMemory(analysis, config), config)
      : null;
    if (refusal !== null) {
      this.post({ type: 'failed', kind: 'out-of-memory', message: refusal });
      return undefined;
    }
    await this.ready(request);
    const prepared = this.prepare(request, config.batchSize, { seed: config.seed, forTraining: true });
    if (!prepared.ok) {
      this.post({ type: 'failed', kind: 'compile', message: prepared.message, errors: prepared.errors });
      return undefined;
    }
    const next = prepared.start(config, undefined, augment);
    this.hold(next);
    this.post({ type: 'compiled', trainable: next.model.countParams(), batches: next.batchesPerEpoch });
    await this.checkBackend(next);
    return this.run(next, config);
  }

  /**
   * Holds the graph with fresh weights drawn from `config.seed`, untrained, unless the session already
   * holds weights for exactly this graph (to look inside a network before training it). False, with a
   * 'failed' message, when the graph cannot be built.
   */
  open(request: ModelRequest, config: TrainConfig): boolean {
    if (this.held?.key === modelKey(request.graph)) return true;
    const prepared = this.prepare(request, config.batchSize, { seed: config.seed });
    if (!prepared.ok) {
      this.post({ type: 'failed', kind: 'compile', message: prepared.message, errors: prepared.errors });
      return false;
    }
    this.hold(prepared.start(config));
    return true;
  }

  /**
   * Trains the held model for `config.epochs` more, from where it stopped, on `dataset` when given (the
   * data of loaded weights may only fit the graph now).
   */
  async continue(
    config: TrainConfig,
    dataset?: DatasetRequest,
    augment?: AugmentConfig,
  ): Promise<TrainOutcome | undefined> {
    if (!(await this.beginRun(augment))) return undefined;
    if (this.held === undefined) return undefined;
    if (dataset !== undefined) await this.ready({ graph: this.held.graph, dataset });
    const held = this.held;
    if (held === undefined) return undefined;
    if (augment !== undefined) this.held = { ...held, augment };
    if (
      dataset !== undefined &&
      (held.data === undefined || JSON.stringify(dataset) !== JSON.stringify(held.dataset))
    ) {
      const found = this.dataFor({ graph: held.graph, dataset });
      if (!found.ok) {
        this.post({ type: 'failed', kind: 'compile', message: found.message, errors: found.errors });
        return undefined;
      }
      this.held = {
        ...this.held!,
        data: found.data,
        dataset,
        batchesPerEpoch: Math.ceil(found.data.train.count / config.batchSize),
      };
    }
    return this.run(this.held!, config);
  }

  pause(): void {
    this.gate.pause();
  }

  resume(): void {
    this.gate.resume();
  }

  /** Stops after the current batch (also when paused). */
  stop(): void {
    this.stopRequested = true;
    this.gate.resume();
  }

  /** Trains the held model; posts progress, then the outcome and the validation results. */
  private async run(current: Held, config: TrainConfig): Promise<TrainOutcome | undefined> {
    const data = current.data;
    if (data === undefined) {
      const found = this.dataFor({ graph: current.graph, dataset: current.dataset });
      this.post({
        type: 'failed',
        kind: 'compile',
        message: found.ok ? 'There is no data to train on.' : found.message,
      });
      return undefined;
    }
    this.busy = 'training';
    if (current.path === undefined && current.epochReports.length === 0)
      current.path = await PathRecorder.start(
        current.model,
        Math.ceil(data.train.count / config.batchSize) * config.epochs,
      );
    try {
      const outcome = await trainModel(
        current.model,
        data,
        current.augment === undefined ? config : { ...config, augment: current.augment },
        {
          onBatch: async (report) => {
            current.batches = appendThinned(current.batches, report, SAVED_BATCHES);
            await current.path?.step(current.model, report.epoch - 1 + report.batch / report.batches);
            this.post({ type: 'batch', report });
            this.inspection.weightsChanged();
            await this.inspection.afterBatch();
            // Let pause/stop messages in between batches.
            await new Promise((resolve) => setTimeout(resolve, 0));
            if (!this.stopRequested) await this.gate.wait();
          },
          onEpoch: async (report) => {
            current.epochReports = [...current.epochReports, report];
            current.config = { ...config, epochs: current.epochReports.length };
            this.post({ type: 'epoch', report });
            await this.save(current);
          },
          shouldStop: () => this.stopRequested,
        },
        current.epochReports.length,
      );
      if (outcome.status === 'diverged')
        this.post({ type: 'failed', kind: 'diverged', message: outcome.message });
      else {
        this.post({ type: 'finished', stopped: outcome.status === 'stopped' });
        await this.postResults(current);
      }
      await this.inspection.afterRun();
      return outcome;
    } catch (e) {
      const memory = isOutOfMemory(e);
      const broken = leavesBackendBroken(e);
      const kept =
        current.epochReports.length > 0 ? ' The weights from the last finished epoch are saved.' : '';
      const restarted = broken ? ' The compute backend stopped working, so it starts afresh.' : '';
      this.post({
        type: 'failed',
        kind: memory ? 'out-of-memory' : 'crash',
        message:
          (memory
            ? outOfMemoryMessage(
                tf.getBackend(),
                estimateTrainingMemory(current.compiled.analysis, config),
                config,
                text(e),
              )
            : `Training stopped with an error: ${text(e)}. Your graph is unchanged.`) +
          kept +
          restarted,
        ...(broken && { restart: true }),
      });
      // The model is unusable with its backend; the saved weights come back after the restart.
      if (broken) this.held = undefined;
      return undefined;
    } finally {
      this.busy = null;
    }
  }

  /**
   * Computes a loss-surface slice of the held model, posting the grid as it refines; the weights are
   * exactly as before afterwards, also after a cancel.
   */
  async surface(request: SliceRequest): Promise<SurfaceResult | undefined> {
    const h = this.held;
    const refusal =
      h === undefined
        ? 'There is no model to slice yet: train the network (or load weights) first.'
        : this.busy !== null
          ? `The network is ${this.busy}: wait until it has finished or stop it.`
          : h.data === undefined
            ? 'The built-in images do not fit this graph, so there is nothing to measure its loss on.'
            : undefined;
    if (refusal !== undefined || h?.data === undefined) {
      this.post({ type: 'surface-failed', message: refusal! });
      return undefined;
    }
    this.sliceStopRequested = false;
    this.busy = 'slicing';
    try {
      const result = await computeSurface(
        {
          model: h.model,
          data: h.data,
          ...(h.path && { path: h.path.path }),
          initial: () => this.initialWeights(h),
        },
        request,
        {
          onProgress: (surface) => this.post({ type: 'surface', status: 'running', surface }),
          shouldStop: () => this.sliceStopRequested,
        },
      );
      if (result.ok) this.post({ type: 'surface', status: result.status, surface: result.surface });
      else this.post({ type: 'surface-failed', message: result.message });
      return result;
    } catch (e) {
      this.post({ type: 'surface-failed', message: `The slice stopped with an error: ${text(e)}.` });
      return undefined;
    } finally {
      this.busy = null;
    }
  }

  /** Stops the slice under way after the current point. */
  cancelSurface(): void {
    this.sliceStopRequested = true;
  }

  /** Cancels a slice under way and waits until its weights are back (training starts after it). */
  private async endSlice(): Promise<void> {
    if (this.busy !== 'slicing') return;
    this.cancelSurface();
    while (this.busy === 'slicing') await new Promise((resolve) => setTimeout(resolve, 5));
  }

  /** The held run's initial weights: drawn again from its seed, as training drew them. */
  private async initialWeights(h: Held): Promise<Float32Array | undefined> {
    const fresh = prepareModel(h.graph, h.data, { seed: h.config.seed });
    if (!fresh.ok) return undefined;
    try {
      return await flatTrainable(fresh.prepared.model);
    } finally {
      fresh.prepared.model.dispose();
    }
  }

  /** Brings back weights saved for exactly this graph and data, when there are any. */
  async restore(request: ModelRequest): Promise<void> {
    const key = modelKey(request.graph);
    const same =
      this.held?.key === key &&
      !this.held.random &&
      dataIdentity(this.held.dataset) === dataIdentity(request.dataset);
    if (same || this.store === undefined) return;
    let saved: Awaited<ReturnType<WeightStore['fetch']>>;
    try {
      saved = await this.store.fetch(key, request.dataset);
    } catch {
      return; // No storage (private mode, blocked): nothing to restore.
    }
    if (saved === undefined) return;
    // The same data as the run that made the weights, so its results are the same too.
    const original = { ...request, dataset: saved.meta.dataset ?? request.dataset };
    await this.ready(original);
    const prepared = this.prepare(original, saved.meta.config.batchSize, {});
    if (!prepared.ok) return;
    const applied = loadSavedWeights(prepared.model, savedWeightsOf(saved));
    if (!applied.ok) {
      prepared.model.dispose();
      return;
    }
    const next = prepared.start(saved.meta.config, saved.meta, saved.meta.augment);
    this.hold(next);
    this.post({ type: 'restored', key, meta: this.meta(next), source: 'restored' });
    await this.postResults(next);
  }

  /** Puts a model file's weights into the graph, when every weight fits. */
  async load(
    request: ModelRequest,
    weights: ReadonlyMap<string, SavedWeight>,
    source: string,
    config: TrainConfig,
  ): Promise<void> {
    await this.ready(request);
    const prepared = this.prepare(request, config.batchSize, {});
    if (!prepared.ok) {
      this.post({
        type: 'notice',
        level: 'error',
        message: `The graph cannot take weights yet: ${prepared.message}`,
      });
      return;
    }
    const applied = loadSavedWeights(prepared.model, weights);
    if (!applied.ok) {
      prepared.model.dispose();
      this.post({
        type: 'notice',
        level: 'error',
        message: `The weights in ${source} do not fit this graph: ${describeWeightProblems(applied)}. To open that model's own architecture, use Import in the top bar.`,
      });
      return;
    }
    const next = prepared.start(config);
    this.hold(next);
    this.post({ type: 'restored', key: next.key, meta: this.meta(next), source: 'loaded' });
    await this.save(next);
    await this.postResults(next);
  }

  /** Posts `perClass` training images of every class of the request's data (drawn at its input size). */
  async preview(request: ModelRequest, perClass = 6): Promise<void> {
    await this.ready(request);
    const found = this.dataFor(request);
    if (!found.ok) {
      this.post({ type: 'notice', level: 'error', message: `No preview: ${found.message}` });
      return;
    }
    const { data } = found;
    const per = data.height * data.width * data.channels;
    const images = new Float32Array(data.classes.length * perClass * per);
    const taken = new Array<number>(data.classes.length).fill(0);
    for (let i = 0; i < data.train.count; i++) {
      const label = data.train.labels[i]!;
      if (taken[label]! >= perClass) continue;
      images.set(imageFloats(data.train, i, per), (label * perClass + taken[label]!) * per);
      taken[label]!++;
    }
    this.post(
      {
        type: 'preview',
        preview: {
          name: data.name,
          classes: data.classes,
          height: data.height,
          width: data.width,
          channels: data.channels,
          trainCount: data.train.count,
          validationCount: data.validation.count,
          trainPerClass: classCounts(data.train.labels, data.classes.length),
          validationPerClass: classCounts(data.validation.labels, data.classes.length),
          perClass,
          images,
        },
      },
      [images.buffer],
    );
  }

  /**
   * Answers a question about what the model computes. 'look' first holds the graph (with freshly drawn
   * weights when the session holds none for it and its data: random weights show random features),
   * except during a run of another graph. Nothing is answered while a slice moves the weights.
   */
  async inspect(query: InspectQuery): Promise<void> {
    if (this.busy === 'slicing') {
      this.post({
        type: 'inspected',
        reply: {
          kind: 'refused',
          about: query.kind,
          message: 'A loss-surface slice is moving the weights: look inside when it has finished.',
        },
      });
      return;
    }
    if (query.kind === 'look') {
      const request = { graph: query.graph, dataset: query.dataset };
      const held = this.held;
      const same =
        held?.key === modelKey(query.graph) && dataIdentity(held.dataset) === dataIdentity(query.dataset);
      if (!same) {
        if (this.busy === 'training') {
          this.post({
            type: 'inspected',
            reply: {
              kind: 'refused',
              about: 'look',
              message: 'Training another graph: look inside when it stops.',
            },
          });
          return;
        }
        await this.ready(request);
        const prepared = this.prepare(request, query.config.batchSize, {
          seed: query.config.seed,
          look: true,
        });
        if (!prepared.ok) {
          this.post({
            type: 'inspected',
            reply: { kind: 'refused', about: 'look', message: prepared.message },
          });
          return;
        }
        this.hold(prepared.start(query.config));
      }
    }
    await this.inspection.answer(query);
  }

  /** Sends the held model back as tfjs artifacts; null (with a notice) when there is none. */
  async export(): Promise<void> {
    if (this.held === undefined) {
      this.post({ type: 'notice', level: 'error', message: 'There is no trained model to download yet.' });
      this.post({ type: 'exported', artifacts: null });
      return;
    }
    const artifacts = await toArtifacts(this.held.model, this.meta(this.held));
    this.post({ type: 'exported', artifacts }, [artifacts.weightData]);
  }

  dispose(): void {
    this.inspection.dispose();
    this.held?.model.dispose();
    this.held = undefined;
  }
}
