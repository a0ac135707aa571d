import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../src/compile/compile';
import { GraphBuilder } from '../../src/core/builder';
import type { GraphDocument } from '../../src/core/document';
import { modelJson, readModelFiles } from '../../src/train/model-files';
import type { TrainedMeta } from '../../src/train/model-files';
import { applyArtifacts, toArtifacts } from '../../src/train/saved-weights';
import { defaultTrainConfig } from '../../src/train/config';
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

describe('model files', () => {
  it('round trip: saved weights load into a fresh compile of the graph and predict identically', async () => {
    const trained = compiled(graph(6));
    // Non-default values everywhere, batch-norm statistics included.
    trained.setWeights(trained.getWeights().map((w) => tf.randomUniform(w.shape, 0.5, 1.5, 'float32', 3)));
    const { json, bins } = await files(trained);
    const read = readModelFiles('w.model.json', json, bins);
    if (!read.ok) throw new Error(read.message);
    const fresh = compiled(graph(6));
    expect(applyArtifacts(fresh, read.artifacts)).toEqual({ ok: true });
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

  it('refuses weights of another shape, names the weight, and changes nothing', async () => {
    const { json, bins } = await files(compiled(graph(6)));
    const read = readModelFiles('w.model.json', json, bins);
    if (!read.ok) throw new Error(read.message);
    const other = compiled(graph(8));
    const before = other.getWeights().map((w) => [...w.dataSync()]);
    const result = applyArtifacts(other, read.artifacts);
    expect(result).toEqual({
      ok: false,
      message: "weight 'conv_1/kernel' is 3×3×3×6 in the file but 3×3×3×8 in this graph",
    });
    expect(other.getWeights().map((w) => [...w.dataSync()])).toEqual(before);
  });

  it('says which file is missing, short or not JSON', async () => {
    const { json, bins } = await files(compiled(graph(4)));
    expect(readModelFiles('w.model.json', json, new Map())).toEqual({
      ok: false,
      message: "w.model.json needs the weights file 'w.weights.bin': choose it together with w.model.json",
    });
    const short = new Map([['w.weights.bin', bins.get('w.weights.bin')!.slice(0, 100)]]);
    const r = readModelFiles('w.model.json', json, short);
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.message).toMatch(
        /hold 100 bytes but w\.model\.json describes \d+: a file is missing, truncated/,
      );
    expect(readModelFiles('m.json', '{"modelTopology": ', bins)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^m\.json: not JSON/),
    });
    expect(readModelFiles('m.json', '{"nodes": []}', bins)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/no modelTopology/),
    });
  });
});
