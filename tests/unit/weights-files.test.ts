import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../src/compile/compile';
import { GraphBuilder } from '../../src/core/builder';
import type { GraphDocument } from '../../src/core/document';
import { describeWeightProblems, loadSavedWeights } from '../../src/compile/weights';
import { openFiles } from '../../src/import';
import type { SavedWeight } from '../../src/model-files/types';
import { modelJson } from '../../src/model-files/writer';
import type { TrainedMeta } from '../../src/model-files/types';
import { savedWeightsOf, toArtifacts } from '../../src/train/saved-weights';
import { defaultTrainConfig } from '../../src/core/training/settings';
import { withCpuBackend } from './support/tf';

withCpuBackend();

function graph(filters: number, padding = 'same-reflect'): GraphDocument {
  const g = new GraphBuilder('w');
  const x = g.node('input', { height: 12, width: 12, channels: 3 });
  const c = g.node('conv', { filters, padding }, x); // id conv_1
  const b = g.node('batchnorm', {}, c);
  g.node('output', { classes: 5 }, g.node('gap', {}, b));
  return g.build();
}

function compiled(doc: GraphDocument): tfl.LayersModel {
  const r = compileGraph(doc);
  if (!r.ok) throw new Error(r.errors[0]!.message);
  return r.compiled.model;
}

const meta: TrainedMeta = { key: 'k', config: defaultTrainConfig, epochReports: [], batchesPerEpoch: 3 };
const files = async (model: tfl.LayersModel) => {
  const artifacts = await toArtifacts(model, meta);
  return {
    json: modelJson(artifacts, 'w.weights.bin'),
    bins: new Map([['w.weights.bin', artifacts.weightData]]),
  };
};

/** The downloaded pair read back the way the app reads any model file. */
async function reopen(
  json: string,
  bins: Map<string, ArrayBuffer>,
): Promise<ReadonlyMap<string, SavedWeight>> {
  const picked = [
    {
      name: 'w.model.json',
      text: async () => json,
      arrayBuffer: async () => new TextEncoder().encode(json).buffer,
    },
    ...[...bins].map(([name, data]) => ({ name, text: async () => '', arrayBuffer: async () => data })),
  ];
  const opened = await openFiles(picked);
  if (opened.kind !== 'model' || opened.weights === null) throw new Error(JSON.stringify(opened));
  return opened.weights;
}

describe('model files', () => {
  it('round trip: saved weights load into a fresh compile of the graph and predict identically', async () => {
    const trained = compiled(graph(6));
    // Non-default values everywhere, batch-norm statistics included.
    trained.setWeights(trained.getWeights().map((w) => tf.randomUniform(w.shape, 0.5, 1.5, 'float32', 3)));
    const { json, bins } = await files(trained);
    const fresh = compiled(graph(6));
    expect(loadSavedWeights(fresh, await reopen(json, bins))).toMatchObject({ ok: true });
    const x = tf.randomNormal([2, 12, 12, 3], 0, 1, 'float32', 9);
    const a = (trained.predict(x) as tf.Tensor).dataSync();
    const b = (fresh.predict(x) as tf.Tensor).dataSync();
    expect([...b]).toEqual([...a]);
  });

  it("is what tfjs' own loader reads (tf.loadLayersModel)", async () => {
    const trained = compiled(graph(4));
    const { json, bins } = await files(trained);
    const parsed = JSON.parse(json) as {
      modelTopology: object;
      weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[];
      userDefinedMetadata: object;
    };
    const loaded = await tfl.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: parsed.modelTopology,
        weightSpecs: parsed.weightsManifest[0]!.weights,
        weightData: bins.get('w.weights.bin')!,
      }),
    );
    const x = tf.randomNormal([1, 12, 12, 3], 0, 1, 'float32', 2);
    expect([...(loaded.predict(x) as tf.Tensor).dataSync()]).toEqual([
      ...(trained.predict(x) as tf.Tensor).dataSync(),
    ]);
    expect(
      (JSON.parse(json) as { userDefinedMetadata: { convcanvas: TrainedMeta } }).userDefinedMetadata
        .convcanvas.key,
    ).toBe('k');
  });

  it('refuses weights of another shape, names the weights, and changes nothing', async () => {
    const { json, bins } = await files(compiled(graph(6)));
    const other = compiled(graph(8));
    const before = other.getWeights().map((w) => [...w.dataSync()]);
    const report = loadSavedWeights(other, await reopen(json, bins));
    expect(report.ok).toBe(false);
    expect(describeWeightProblems(report)).toMatch(
      /^shapes differ for conv_1\/kernel \(saved 3×3×3×6, model 3×3×3×8\), conv_1\/bias \(saved 6, model 8\)/,
    );
    expect(other.getWeights().map((w) => [...w.dataSync()])).toEqual(before);
  });

  it('browser storage keeps the weights by name, exactly', async () => {
    const model = compiled(graph(4));
    const artifacts = await toArtifacts(model, meta);
    const saved = savedWeightsOf(artifacts);
    expect([...saved.keys()]).toEqual(model.weights.map((w) => w.originalName));
    model.weights.forEach((w) =>
      expect([...saved.get(w.originalName)!.values]).toEqual([...w.read().dataSync()]),
    );
  });
});
