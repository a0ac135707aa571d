/** The networks the training benches measure, prepared from graphs as the app prepares them. */
import * as tfl from '@tensorflow/tfjs-layers';
import { GraphBuilder } from '../src/core/builder';
import type { GraphDocument } from '../src/core/document';
import { loadGraph } from '../src/core/load';
import type { ImageDataset } from '../src/data/dataset';
import { prepareModel } from '../src/session/prepare';
import { findTemplate } from '../templates';

export type Net = 'reference' | 'reference-by-hand' | 'starter-cnn' | 'resnet-20';

/** The FACTS.md reference network: conv 16 → conv 32 s2 → conv 64 s2 → GAP → dense 10. */
export function referenceGraph(): GraphDocument {
  const g = new GraphBuilder('reference');
  let x = g.node('input', { height: 32, width: 32, channels: 3 }, [], { id: 'image' });
  x = g.node('conv', { filters: 16, activation: 'relu' }, x, { id: 'c1' });
  x = g.node('conv', { filters: 32, stride: 2, activation: 'relu' }, x, { id: 'c2' });
  x = g.node('conv', { filters: 64, stride: 2, activation: 'relu' }, x, { id: 'c3' });
  x = g.node('gap', {}, x, { id: 'pool' });
  g.node('output', { classes: 10 }, x, { id: 'classes' });
  return g.build();
}

/** The same network as a tfjs user writes it. */
export function referenceByHand(): tfl.LayersModel {
  const m = tfl.sequential();
  m.add(
    tfl.layers.conv2d({
      inputShape: [32, 32, 3],
      filters: 16,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
    }),
  );
  m.add(tfl.layers.conv2d({ filters: 32, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }));
  m.add(tfl.layers.conv2d({ filters: 64, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }));
  m.add(tfl.layers.globalAveragePooling2d({}));
  m.add(tfl.layers.dense({ units: 10, activation: 'softmax' }));
  return m;
}

/** The graph document of a bench network (the hand-written one has none). */
export function graphOf(net: Exclude<Net, 'reference-by-hand'>): GraphDocument {
  if (net === 'reference') return referenceGraph();
  const loaded = loadGraph(findTemplate(net)!.document);
  if (!loaded.ok) throw new Error(net);
  return loaded.doc;
}

export function modelFor(net: Net, data: ImageDataset): tfl.LayersModel {
  if (net === 'reference-by-hand') return referenceByHand();
  const prepared = prepareModel(graphOf(net), data);
  if (!prepared.ok) throw new Error(prepared.errors[0]!.message);
  return prepared.prepared.model;
}
