/**
 * The graph that trains is the graph on screen: for every template, the weights a session holds (as
 * downloaded: model.json + weights.bin) load into the graph as it is and into its generated
 * TypeScript module, with no size or class count adjusted on the way.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateModule } from '../../src/codegen';
import { compileGraph } from '../../src/compile/compile';
import { loadSavedWeights } from '../../src/compile/weights';
import type { GraphDocument } from '../../src/core/document';
import { loadGraph } from '../../src/core/load';
import { builtInDataProblems } from '../../src/core/training/data';
import type { ShapesRequest } from '../../src/core/training/data';
import { defaultTrainConfig } from '../../src/core/training/settings';
import { decodeWeights } from '../../src/model-files/reader';
import { modelJson } from '../../src/model-files/writer';
import type { Artifacts } from '../../src/model-files/types';
import { ModelSession } from '../../src/session/model-session';
import { useNodeBackend } from '../../src/train/node-backend';
import type { FromWorker } from '../../src/worker/protocol';
import { templates } from '../../templates';
import { importModule } from './support/generated';

beforeAll(() => useNodeBackend('wasm'));

const dataset: ShapesRequest = { kind: 'shapes', seed: 3, trainCount: 64, validationCount: 20 };

/** A template as a person would train it on Shapes: with the offered one-click fixes applied. */
function asTrained(name: string): GraphDocument {
  const loaded = loadGraph(templates.find((t) => t.name === name)!.document);
  if (!loaded.ok) throw new Error(name);
  let doc = loaded.doc;
  for (const p of builtInDataProblems(doc, dataset))
    if (p.fix && p.nodeId)
      doc = {
        ...doc,
        nodes: doc.nodes.map((n) =>
          n.id === p.nodeId ? { ...n, params: { ...n.params, ...p.fix!.params } } : n,
        ),
      };
  return doc;
}

/** What the Download button writes, read back as Load weights reads it. */
function downloadedAndRead(artifacts: Artifacts) {
  const json = JSON.parse(modelJson(artifacts, 'model.weights.bin')) as { weightsManifest: unknown };
  const read = decodeWeights(json.weightsManifest, new Map([['model.weights.bin', artifacts.weightData]]));
  if (!read.ok) throw new Error(JSON.stringify(read.errors));
  return read.weights;
}

const predict = (model: tfl.LayersModel, shape: readonly number[]) =>
  tf.tidy(() =>
    Array.from((model.predict(tf.randomUniform([1, ...shape], 0, 1, 'float32', 5)) as tf.Tensor).dataSync()),
  );

describe('saved weights fit the graph on screen and its exported code', () => {
  it.each(templates.map((t) => t.name))('%s', async (name) => {
    const doc = asTrained(name);
    expect(builtInDataProblems(doc, dataset)).toEqual([]);
    const posts: FromWorker[] = [];
    const session = new ModelSession({ post: (m) => posts.push(m) });
    const config = { ...defaultTrainConfig, epochs: 1, batchSize: 32 };
    // Small networks train a short epoch; the big ones (ImageNet-sized inputs) keep their initial weights.
    expect(session.open({ graph: doc, dataset }, config)).toBe(true);
    if (session.model!.compiled.analysis.totals.flops < 1e9) {
      const outcome = await session.train({ graph: doc, dataset }, config);
      expect(outcome?.status).toBe('done');
    }
    posts.length = 0;
    await session.export();
    const exported = posts.find((p) => p.type === 'exported');
    if (exported?.type !== 'exported' || exported.artifacts === null) throw new Error('no artifacts');
    const weights = downloadedAndRead(exported.artifacts);
    const input = session.model!.model.inputs[0]!.shape.slice(1) as number[];
    const expected = predict(session.model!.model, input);

    const onScreen = compileGraph(doc);
    if (!onScreen.ok) throw new Error('compile');
    expect(loadSavedWeights(onScreen.compiled.model, weights).ok).toBe(true);
    expect(predict(onScreen.compiled.model, input)).toEqual(expected);
    onScreen.compiled.model.dispose();

    const generated = generateModule(doc);
    if (!generated.ok) throw new Error('codegen');
    const mod = await importModule<{ createModel(): tfl.LayersModel }>(generated.code);
    const model = mod.createModel();
    expect(loadSavedWeights(model, weights)).toMatchObject({ ok: true, missing: [], unused: [] });
    const diff = predict(model, input).map((v, i) => Math.abs(v - expected[i]!));
    expect(Math.max(...diff)).toBeLessThan(1e-5);
    model.dispose();
    session.dispose();
  });
});
