/**
 * `npm run cli -- inspect`: looks inside a graph for one image, through the same model session as the
 * app, and writes a PNG per node (its channels), the mean-activation and Grad-CAM heatmaps over the
 * image, and inspect.json with every node's shape and statistics and the prediction.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { InspectQuery, InspectReply, SampleChoice } from '../core/inspect/types';
import { concatFloats } from '../core/arrays';
import { datasetSettings } from '../core/training/settings';
import { decodeWeights, manifestFiles } from '../model-files/reader';
import { ModelSession } from '../session/model-session';
import type { NodeBackend } from '../train/node-backend';
import { useNodeBackend } from '../train/node-backend';
import type { FromWorker } from '../worker/protocol';
import { barChart, channelGrid, heatmapOverlay, imageRaster } from './inspect-images';
import { pngBytes } from './png';
import type { Io } from './io';
import { locatedErrors, trainConfigFrom, trainSettingOptions, trainSettingsUsage } from './options';
import { readGraphSource } from './source';

const inspectUsage = `usage: npm run cli -- inspect <graph.json | template> --out DIR [--weights model.json] [--epochs N] [--sample K] [--split validation|train] [--class C] [--node ID] [--backend wasm|cpu] ${trainSettingsUsage()}`;

/** The largest model.json and weight files read (a bigger one is refused before reading). */
const MODEL_JSON_BYTES = 64 * 1024 ** 2;
const WEIGHTS_BYTES = 2 * 1024 ** 3;

type Got<K extends InspectReply['kind']> = Extract<InspectReply, { kind: K }>;

/** A file name for a node's picture: its place in the graph and its id (ids are already file-safe). */
const nodeFile = (i: number, id: string) => `nodes/${String(i).padStart(3, '0')}-${id}.png`;

/** A model.json's weights, read from the files it names beside it. */
function readWeights(path: string): ReturnType<typeof decodeWeights> | { ok: false; message: string } {
  if (!existsSync(path)) return { ok: false, message: `there is no file ${path}` };
  if (statSync(path).size > MODEL_JSON_BYTES)
    return { ok: false, message: `${path} is too large for a model.json` };
  let manifest: unknown;
  try {
    manifest = (JSON.parse(readFileSync(path, 'utf8')) as { weightsManifest?: unknown }).weightsManifest;
  } catch (e) {
    return { ok: false, message: `${path} is not JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  const files = new Map<string, ArrayBuffer>();
  for (const name of manifestFiles(manifest)) {
    // Only file names, next to model.json: a manifest cannot point elsewhere.
    const file = join(dirname(path), name);
    if (!existsSync(file)) return { ok: false, message: `${path} names ${name}, which is not beside it` };
    if (statSync(file).size > WEIGHTS_BYTES) return { ok: false, message: `${file} is too large` };
    const bytes = readFileSync(file);
    files.set(name, bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  }
  return decodeWeights(manifest, files);
}

export async function inspectCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      ...trainSettingOptions,
      out: { type: 'string' },
      weights: { type: 'string' },
      sample: { type: 'string', default: '0' },
      split: { type: 'string', default: 'validation' },
      class: { type: 'string' },
      node: { type: 'string' },
      backend: { type: 'string', default: 'wasm' },
    },
    allowPositionals: true,
  });
  const [source] = positionals;
  const out = values.out;
  const backend = values.backend as NodeBackend;
  const flags = values as Readonly<Record<string, string | undefined>>;
  // Without --epochs nothing is trained: the weights are the loaded or freshly drawn ones.
  const parsed = trainConfigFrom(flags);
  const config =
    typeof parsed === 'string'
      ? parsed
      : { ...parsed, epochs: flags['epochs'] === undefined ? 0 : parsed.epochs };
  const sampleIndex = Number(values.sample);
  const split = values.split === 'train' || values.split === 'validation' ? values.split : undefined;
  const problem =
    typeof config === 'string'
      ? config
      : !Number.isInteger(sampleIndex) || sampleIndex < 0
        ? `--sample must be a whole number from 0, not "${values.sample}"`
        : split === undefined
          ? `--split must be validation or train, not "${values.split}"`
          : backend !== 'wasm' && backend !== 'cpu'
            ? `--backend must be wasm or cpu, not "${backend}"`
            : source === undefined || out === undefined || positionals.length > 1
              ? ''
              : null;
  if (
    problem !== null ||
    typeof config === 'string' ||
    out === undefined ||
    source === undefined ||
    split === undefined
  ) {
    io.err(`${problem ? `${problem}\n` : ''}${inspectUsage}`);
    return 2;
  }
  const graph = readGraphSource(source);
  if (!graph.ok) {
    io.err(graph.message);
    return 1;
  }
  await useNodeBackend(backend);

  const replies: InspectReply[] = [];
  const notices: string[] = [];
  let failure: Extract<FromWorker, { type: 'failed' }> | undefined;
  const session = new ModelSession({
    post: (m) => {
      if (m.type === 'inspected') replies.push(m.reply);
      else if (m.type === 'failed') failure = m;
      else if (m.type === 'notice' && m.level === 'error') notices.push(m.message);
      else if (m.type === 'epoch')
        io.progress?.(`epoch ${m.report.epoch}: val acc ${m.report.valAccuracy.toFixed(3)}`);
    },
  });
  const dataset = {
    kind: 'shapes',
    seed: config.seed,
    trainCount: datasetSettings.trainCount.default,
    validationCount: datasetSettings.validationCount.default,
  } as const;
  const request = { graph: graph.doc, dataset };
  const ask = async <K extends InspectReply['kind']>(query: InspectQuery, kind: K): Promise<Got<K>> => {
    await session.inspect(query);
    const reply = replies.at(-1);
    if (reply?.kind === 'refused') throw new Error(reply.message);
    if (reply?.kind !== kind) throw new Error(`no ${kind} came back`);
    return reply as Got<K>;
  };
  try {
    let weights: 'random' | 'trained' | 'loaded' = 'random';
    if (values.weights !== undefined) {
      const read = readWeights(values.weights);
      if (!read.ok)
        throw new Error(
          'message' in read
            ? read.message
            : `${values.weights}: ${read.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
        );
      await session.load(request, read.weights, values.weights, config);
      if (session.model === undefined)
        throw new Error(notices.join(' ') || `the weights in ${values.weights} do not fit`);
      weights = 'loaded';
    }
    if (config.epochs > 0) {
      const outcome =
        weights === 'loaded' ? await session.continue(config) : await session.train(request, config);
      if (outcome === undefined)
        throw new Error(
          failure?.errors
            ? locatedErrors('trained', failure.errors)
            : (failure?.message ?? 'training failed'),
        );
      weights = 'trained';
    }
    // Open the model (if nothing above did), then find the sample's class and place within it.
    await session.inspect({ kind: 'look', graph: graph.doc, dataset, config, sample: firstSample(split) });
    const data = session.model?.data;
    if (data === undefined)
      throw new Error(
        (replies.at(-1) as { message?: string } | undefined)?.message ?? 'the graph cannot be opened',
      );
    const splitData = split === 'train' ? data.train : data.validation;
    if (sampleIndex >= splitData.count)
      throw new Error(`--sample must be below ${splitData.count}, the number of ${split} images`);
    const label = splitData.labels[sampleIndex]!;
    let nth = 0;
    for (let i = 0; i < sampleIndex; i++) if (splitData.labels[i] === label) nth++;
    const overview = await ask(
      {
        kind: 'look',
        graph: graph.doc,
        dataset,
        config,
        sample: { source: 'dataset', split, classIndex: label, nth },
      },
      'overview',
    );
    const classIndex = classOf(values.class, overview.classes);
    if (typeof classIndex === 'string') throw new Error(classIndex);

    mkdirSync(join(out, 'nodes'), { recursive: true });
    const image = overview.sample!.image;
    writeFileSync(join(out, 'image.png'), pngBytes(imageRaster(image)));
    const nodes = [];
    for (const [i, glance] of overview.nodes.entries()) {
      const file = nodeFile(i, glance.nodeId);
      const spatial = glance.shape.length === 3;
      const channels = spatial ? glance.shape[2]! : 1;
      const pages: Got<'channels'>[] = [];
      for (let start = 0; start < channels;) {
        const page = await ask(
          { kind: 'channels', nodeId: glance.nodeId, start, count: channels - start },
          'channels',
        );
        pages.push(page);
        start = page.start + page.count;
      }
      const values = concatFloats(pages.map((p) => p.values));
      const raster = spatial
        ? channelGrid(values, channels, glance.shape[0]!, glance.shape[1]!, pages[0]!.channelStats)
        : barChart(values);
      writeFileSync(join(out, file), pngBytes(raster));
      const kind = graph.doc.nodes.find((n) => n.id === glance.nodeId)?.kind;
      nodes.push({ id: glance.nodeId, kind, shape: glance.shape, ...glance.stats, file });
    }
    const heat = await ask(
      {
        kind: 'heatmaps',
        ...(values.node !== undefined && { nodeId: values.node }),
        ...(classIndex !== undefined && { classIndex }),
      },
      'heatmaps',
    );
    writeFileSync(join(out, 'heatmap-mean.png'), pngBytes(heatmapOverlay(image, heat.mean)));
    writeFileSync(join(out, 'heatmap-gradcam.png'), pngBytes(heatmapOverlay(image, heat.gradCam)));
    const summary = {
      graph: graph.doc.name,
      weights,
      backend,
      sample: {
        split,
        index: sampleIndex,
        label,
        className: data.classes[label],
        ...(overview.sample?.box && { box: overview.sample.box }),
      },
      predicted: {
        index: overview.predicted,
        className: overview.classes[overview.predicted],
        probability: overview.probabilities[overview.predicted],
      },
      probabilities: Object.fromEntries(overview.classes.map((c, i) => [c, overview.probabilities[i]])),
      heatmaps: {
        node: heat.nodeId,
        classIndex: heat.classIndex,
        className: overview.classes[heat.classIndex],
        score: heat.score,
        files: { mean: 'heatmap-mean.png', gradCam: 'heatmap-gradcam.png' },
      },
      milliseconds: overview.milliseconds,
      nodes,
    };
    writeFileSync(join(out, 'inspect.json'), JSON.stringify(summary, null, 2) + '\n');
    io.out(
      `${weights} weights: predicted ${summary.predicted.className} (${((summary.predicted.probability ?? 0) * 100).toFixed(1)}%) for ${split} image ${sampleIndex} (${summary.sample.className}); wrote ${nodes.length} node pictures, two heatmaps of ${heat.nodeId} and inspect.json to ${out}`,
    );
    return 0;
  } catch (e) {
    io.err(e instanceof Error ? e.message : String(e));
    return 1;
  } finally {
    session.dispose();
  }
}

const firstSample = (split: 'train' | 'validation'): SampleChoice => ({
  source: 'dataset',
  split,
  classIndex: 0,
  nth: 0,
});

/** --class as an index or a class name; undefined for the predicted class. */
function classOf(raw: string | undefined, classes: readonly string[]): number | undefined | string {
  if (raw === undefined) return undefined;
  const byName = classes.indexOf(raw);
  if (byName >= 0) return byName;
  const n = Number(raw);
  if (Number.isInteger(n) && n >= 0 && n < classes.length) return n;
  return `--class must be a class name (${classes.join(', ')}) or a number from 0 to ${classes.length - 1}, not "${raw}"`;
}
