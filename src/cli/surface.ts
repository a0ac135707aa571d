/**
 * `npm run cli -- surface` and `compare`: train a graph (or load its weights), slice its loss
 * surface, print the grid and draw it; or do that for two graphs with the same data, seed and
 * settings. The same session code as the page.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { GraphDocument } from '../core/document';
import { curvesImage, surfacesImage } from '../core/surface/figure';
import { sliceSettingFlags, sliceSettings, defaultSliceConfig } from '../core/surface/settings';
import type { SliceConfig } from '../core/surface/settings';
import { SLICE_KINDS } from '../core/surface/types';
import type { SliceKind, SliceRequest, Surface } from '../core/surface/types';
import { plainTwin, residualTwin } from '../core/twins';
import type { DatasetConfig, TrainConfig, TrainSettingKey } from '../core/training/settings';
import {
  datasetSettingFlags,
  datasetSettings,
  defaultDatasetConfig,
  trainSettingFlags,
} from '../core/training/settings';
import { decodeWeights, manifestFiles } from '../model-files/reader';
import type { SideResult } from '../session/compare';
import { runSide } from '../session/compare';
import type { NodeBackend } from '../train/node-backend';
import { useNodeBackend } from '../train/node-backend';
import type { FromWorker } from '../worker/protocol';
import { findPreset, CLASSROOM } from '../../templates/pairs';
import type { Io } from './io';
import { settingValue, trainConfigFrom, trainSettingOptions, trainSettingsUsage } from './options';
import { writePng } from './png';
import { readGraphSource } from './source';

const sliceUsage = `[--kind ${SLICE_KINDS.join('|')}] [--${sliceSettingFlags.grid} N] [--${sliceSettingFlags.range} X] [--${sliceSettingFlags.samples} N] [--${sliceSettingFlags.seed} N] [--${sliceSettingFlags.includeBiasBn}]`;
const common = `[--backend wasm|cpu] ${trainSettingsUsage()} [--${datasetSettingFlags.trainCount} N] [--${datasetSettingFlags.validationCount} N] ${sliceUsage} [--json] [--out surface.png]`;
export const surfaceUsage = `usage: npm run cli -- surface <graph.json | template> [--weights model.json] ${common}`;
export const compareUsage = `usage: npm run cli -- compare <graphA> <graphB | twin> ${common}\n       npm run cli -- compare ${CLASSROOM} [options]   the classroom pair with its settings`;

const options = {
  ...trainSettingOptions,
  backend: { type: 'string' as const, default: 'wasm' },
  kind: { type: 'string' as const },
  weights: { type: 'string' as const },
  [sliceSettingFlags.grid]: { type: 'string' as const },
  [sliceSettingFlags.range]: { type: 'string' as const },
  [sliceSettingFlags.samples]: { type: 'string' as const },
  [sliceSettingFlags.seed]: { type: 'string' as const },
  [sliceSettingFlags.includeBiasBn]: { type: 'boolean' as const, default: false },
  [datasetSettingFlags.trainCount]: { type: 'string' as const },
  [datasetSettingFlags.validationCount]: { type: 'string' as const },
  json: { type: 'boolean' as const, default: false },
  out: { type: 'string' as const },
};

type Values = Readonly<Record<string, string | boolean | undefined>>;

interface Settings {
  readonly config: TrainConfig;
  readonly data: DatasetConfig;
  readonly slice: SliceRequest;
}

/** Settings from the flags over `base` (a preset's, or the defaults); a message when a flag is wrong. */
interface Base {
  readonly train?: Partial<TrainConfig>;
  readonly data?: DatasetConfig;
  readonly slice?: Partial<SliceConfig>;
}

function settingsFrom(values: Values, base: Base): Settings | string {
  const flagged = trainConfigFrom(values);
  if (typeof flagged === 'string') return flagged;
  const given = (flag: string) => typeof values[flag] === 'string';
  const config = { ...flagged } as Record<string, unknown>;
  for (const [key, value] of Object.entries(base.train ?? {}))
    if (!given(trainSettingFlags[key as TrainSettingKey])) config[key] = value;
  const data: Record<string, number> = { ...defaultDatasetConfig, ...base.data };
  for (const key of ['trainCount', 'validationCount'] as const) {
    const flag = datasetSettingFlags[key];
    if (!given(flag)) continue;
    const v = settingValue(flag, datasetSettings[key], String(values[flag]));
    if (typeof v === 'object') return v.problem;
    data[key] = Number(v);
  }
  const slice: Record<string, unknown> = {
    ...defaultSliceConfig,
    seed: (config as TrainConfig).seed,
    ...base.slice,
  };
  for (const key of ['grid', 'range', 'samples', 'seed'] as const) {
    const flag = sliceSettingFlags[key];
    if (!given(flag)) continue;
    const v = settingValue(flag, sliceSettings[key], String(values[flag]));
    if (typeof v === 'object') return v.problem;
    slice[key] = v;
  }
  if (values[sliceSettingFlags.includeBiasBn] === true) slice['includeBiasBn'] = true;
  const kind = values['kind'] ?? 'random';
  if (!SLICE_KINDS.includes(kind as SliceKind))
    return `--kind must be one of ${SLICE_KINDS.join(', ')}, not "${String(kind)}"`;
  return {
    config: config as unknown as TrainConfig,
    data: data as unknown as DatasetConfig,
    slice: { ...(slice as unknown as SliceConfig), kind: kind as SliceKind },
  };
}

/** A model.json and the weight files it names (beside it), as the session's load takes them. */
function readWeights(path: string) {
  if (!existsSync(path)) return { ok: false as const, message: `cannot read ${path}: no such file` };
  let json: { weightsManifest?: unknown };
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as { weightsManifest?: unknown };
  } catch (e) {
    return {
      ok: false as const,
      message: `${path} is not JSON: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
  const files = new Map<string, ArrayBuffer>();
  for (const name of manifestFiles(json.weightsManifest)) {
    const file = join(dirname(path), name);
    if (!existsSync(file))
      return { ok: false as const, message: `${path} names ${name}, which is not beside it` };
    const bytes = readFileSync(file);
    files.set(name, bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  }
  const decoded = decodeWeights(json.weightsManifest, files);
  if (!decoded.ok)
    return {
      ok: false as const,
      message: `${path}: ${decoded.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
    };
  return { ok: true as const, weights: decoded.weights };
}

const rows = (values: Float32Array, nx: number) =>
  Array.from({ length: values.length / nx }, (_, j) => Array.from(values.subarray(j * nx, (j + 1) * nx)));

function surfaceJson(s: Surface) {
  return {
    kind: s.kind,
    axes: s.axes,
    xs: s.xs,
    ys: s.ys,
    loss: rows(s.loss, s.xs.length),
    accuracy: rows(s.accuracy, s.xs.length),
    samples: s.samples,
    directionSeed: s.seed,
    includeBiasBn: s.includeBiasBn,
    ...(s.path && { path: s.path }),
    seconds: s.seconds,
  };
}

function sideJson(r: SideResult) {
  return {
    graph: r.name,
    final: r.epochs.at(-1) ?? null,
    epochs: r.epochs,
    trainSeconds: r.trainSeconds,
    sliceSeconds: r.sliceSeconds,
    ...(r.failure !== undefined && { failure: r.failure }),
    surface: r.surface && surfaceJson(r.surface),
  };
}

function describeSide(r: SideResult): string[] {
  const lines: string[] = [];
  const last = r.epochs.at(-1);
  if (last)
    lines.push(
      `${r.name}: trained ${r.epochs.length} epoch${r.epochs.length === 1 ? '' : 's'} in ${r.trainSeconds.toFixed(1)} s: training loss ${last.loss.toFixed(4)}, accuracy ${last.accuracy.toFixed(4)}; validation loss ${last.valLoss.toFixed(4)}, accuracy ${last.valAccuracy.toFixed(4)}`,
    );
  const s = r.surface;
  if (s) {
    const nx = s.xs.length;
    const centre = Math.floor(s.ys.length / 2) * nx + Math.floor(nx / 2);
    let lo = 0;
    let hi = 0;
    s.loss.forEach((v, i) => {
      if (v < s.loss[lo]!) lo = i;
      if (v > s.loss[hi]!) hi = i;
    });
    const at = (alpha: number) => s.loss[s.xs.findIndex((x) => Math.abs(x - alpha) < 1e-9)];
    const middle =
      s.kind === 'line'
        ? `loss ${at(0)?.toFixed(4)} at α = 0 (initial weights), ${at(1)?.toFixed(4)} at α = 1 (trained)`
        : `loss ${s.loss[centre]!.toFixed(4)} at the centre`;
    const where = (i: number) => `(${s.xs[i % nx]!.toFixed(2)}, ${s.ys[Math.floor(i / nx)]!.toFixed(2)})`;
    lines.push(
      `${r.name}: ${nx}×${s.ys.length} ${s.kind} slice on ${s.samples} images in ${r.sliceSeconds.toFixed(1)} s (direction seed ${s.seed}): ${middle}, lowest ${s.loss[lo]!.toFixed(4)} at ${where(lo)}, highest ${s.loss[hi]!.toFixed(4)} at ${where(hi)}`,
    );
  }
  if (r.failure !== undefined) lines.push(`${r.name}: ${r.failure}`);
  return lines;
}

function progressOf(io: Io, name: string, config: TrainConfig) {
  return (m: FromWorker) => {
    if (m.type === 'batch' && (m.report.batch % 5 === 0 || m.report.batch === m.report.batches))
      io.progress?.(
        `${name}: epoch ${m.report.epoch}/${config.epochs} batch ${m.report.batch}/${m.report.batches} loss ${m.report.loss.toFixed(3)}`,
      );
    else if (m.type === 'surface' && m.status === 'running')
      io.progress?.(
        `${name}: slice ${m.surface.done}/${m.surface.xs.length * m.surface.ys.length} points, ${m.surface.secondsLeft?.toFixed(0) ?? '?'} s left`,
      );
  };
}

const withSuffix = (path: string, suffix: string) => path.replace(/(\.png)?$/i, `${suffix}.png`);

async function run(
  graphs: readonly GraphDocument[],
  values: Values,
  settings: Settings,
  io: Io,
  weights?: ReturnType<typeof readWeights> & { ok: true },
): Promise<number> {
  await useNodeBackend(values['backend'] as NodeBackend);
  const dataset = { kind: 'shapes' as const, seed: settings.config.seed, ...settings.data };
  const results: SideResult[] = [];
  for (const graph of graphs) {
    const request = { graph, dataset };
    results.push(
      await runSide(request, settings.config, settings.slice, {
        onMessage: progressOf(io, graph.name, settings.config),
        ...(weights && {
          prepare: async (session) => {
            let problem: string | undefined;
            await session.load(request, weights.weights, String(values['weights']), settings.config);
            if (session.model === undefined)
              problem = `The weights in ${String(values['weights'])} do not fit ${graph.name}.`;
            return problem;
          },
        }),
      }),
    );
  }
  const out = values['out'];
  if (typeof out === 'string') {
    const surfaces = results.flatMap((r) => (r.surface ? [r.surface] : []));
    if (surfaces.length > 0) writePng(out, surfacesImage(surfaces));
    if (graphs.length > 1)
      writePng(withSuffix(out, '-curves'), curvesImage(results.map((r) => r.batches.map((b) => b.loss))));
  }
  if (values['json'] === true) io.out(JSON.stringify({ settings, graphs: results.map(sideJson) }, null, 2));
  else {
    for (const r of results) for (const l of describeSide(r)) io.out(l);
    const [a, b] = results.map((r) => r.epochs.at(-1)?.loss);
    if (results.length === 2 && a !== undefined && b !== undefined)
      io.out(
        `${a > b ? results[0]!.name : results[1]!.name} ends with the higher training loss (${Math.max(a, b).toFixed(4)} against ${Math.min(a, b).toFixed(4)}).`,
      );
    if (typeof out === 'string')
      io.out(
        `wrote ${out}${graphs.length > 1 ? ` and ${withSuffix(out, '-curves')}` : ''} (orange: ${results[0]!.name}${graphs.length > 1 ? `, blue: ${results[1]!.name}` : ''})`,
      );
  }
  return results.some((r) => r.failure !== undefined || r.surface === undefined) ? 1 : 0;
}

const backendProblem = (values: Values) =>
  values['backend'] === 'wasm' || values['backend'] === 'cpu' ? undefined : '--backend must be wasm or cpu';

export async function surfaceCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], options, allowPositionals: true });
  const settings = settingsFrom(values, {});
  const problem = typeof settings === 'string' ? settings : backendProblem(values);
  if (positionals.length !== 1 || problem !== undefined || typeof settings === 'string') {
    io.err(`${problem === undefined ? '' : `${problem}\n`}${surfaceUsage}`);
    return 2;
  }
  const graph = readGraphSource(positionals[0]!);
  if (!graph.ok) {
    io.err(graph.message);
    return 1;
  }
  let weights: (ReturnType<typeof readWeights> & { ok: true }) | undefined;
  if (typeof values.weights === 'string') {
    const read = readWeights(values.weights);
    if (!read.ok) {
      io.err(read.message);
      return 1;
    }
    weights = read;
  }
  return run([graph.doc], values, settings, io, weights);
}

export async function compareCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], options, allowPositionals: true });
  const preset = positionals.length === 1 ? findPreset(positionals[0]!) : undefined;
  const settings = settingsFrom(
    values,
    preset ? { train: preset.train, data: preset.data, slice: preset.slice } : {},
  );
  const problem = typeof settings === 'string' ? settings : backendProblem(values);
  if (
    (preset === undefined && positionals.length !== 2) ||
    problem !== undefined ||
    typeof settings === 'string'
  ) {
    io.err(`${problem === undefined ? '' : `${problem}\n`}${compareUsage}`);
    return 2;
  }
  if (values.weights !== undefined) {
    io.err('compare trains both graphs; --weights is for surface');
    return 2;
  }
  let graphs: readonly GraphDocument[];
  if (preset) graphs = preset.graphs();
  else {
    const a = readGraphSource(positionals[0]!);
    if (!a.ok) {
      io.err(a.message);
      return 1;
    }
    if (positionals[1] === 'twin') {
      const hasSkips = a.doc.nodes.some((n) => n.kind === 'add');
      const twin = hasSkips ? plainTwin(a.doc) : residualTwin(a.doc);
      if (!twin.ok) {
        io.err(twin.message);
        return 1;
      }
      graphs = hasSkips ? [twin.doc, a.doc] : [a.doc, twin.doc];
    } else {
      const b = readGraphSource(positionals[1]!);
      if (!b.ok) {
        io.err(b.message);
        return 1;
      }
      graphs = [a.doc, b.doc];
    }
  }
  return run(graphs, values, settings, io);
}
