/**
 * Graph -> tf.LayersModel through the functional API, keeping for every node its layers and its
 * symbolic output so later features can read any node's activations.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { getNodeDef } from '../../nodes';
import type { Shape } from '../../nodes/shape';
import type { AnalysisError, GraphAnalysis } from '../core/analyze';
import { analysisErrors, analyzeGraph } from '../core/analyze';
import type { GraphDocument } from '../core/document';
import { setHandKernels } from './hand-kernels';
import { createLayer } from './layer-factory';

export interface CompiledNode {
  readonly layers: readonly tfl.layers.Layer[];
  readonly output: tfl.SymbolicTensor;
}

export interface CompiledGraph {
  readonly model: tfl.LayersModel;
  /** Every node of the model (the nodes the output depends on). */
  readonly nodes: ReadonlyMap<string, CompiledNode>;
  readonly analysis: GraphAnalysis;
}

/** A located problem of a graph that cannot be compiled. */
export type CompileError = AnalysisError;
export { analysisErrors };

export type CompileResult =
  | { readonly ok: true; readonly compiled: CompiledGraph }
  | { readonly ok: false; readonly errors: readonly CompileError[] };

function disposeLayers(nodes: ReadonlyMap<string, CompiledNode>): void {
  for (const n of nodes.values())
    for (const layer of n.layers) {
      try {
        layer.dispose();
      } catch {
        // Layers that were never built hold no weights.
      }
    }
}

export interface CompileOptions {
  /** Draws the initial weights from this seed; without it they are random each time. */
  readonly seed?: number;
}

export function compileGraph(
  doc: GraphDocument,
  analysis: GraphAnalysis = analyzeGraph(doc),
  options: CompileOptions = {},
): CompileResult {
  if (!analysis.valid || analysis.inputId === undefined || analysis.outputId === undefined)
    return { ok: false, errors: analysisErrors(analysis) };

  const nodes = new Map<string, CompiledNode>();
  let current: string | undefined;
  try {
    for (const id of analysis.order) {
      if (!analysis.live.has(id)) continue;
      current = id;
      const node = analysis.index.nodes.get(id)!;
      const def = getNodeDef(node.kind)!;
      const sources = (analysis.index.incoming.get(id) ?? []).map((e) => nodes.get(e.source)!.output);
      const shapes = (analysis.index.incoming.get(id) ?? []).map((e) => {
        const r = analysis.nodes.get(e.source);
        return (r?.status === 'ok' ? r.shape : []) as Shape;
      });
      const layers: tfl.layers.Layer[] = [];
      let output: tfl.SymbolicTensor | undefined;
      for (const spec of def.layers(shapes, node.params)) {
        if (spec.layer === 'input') {
          output = tfl.input({ shape: [...(spec.config['shape'] as number[])], name: id });
          continue;
        }
        const layer = createLayer(id, spec, options.seed);
        layers.push(layer);
        const from = output ?? (sources.length === 1 ? sources[0]! : sources);
        output = layer.apply(from) as tfl.SymbolicTensor;
      }
      if (output === undefined) throw new Error(`${def.label} produced no layer`);
      if (node.kernels !== undefined) {
        const conv = layers.find((l) => l.getClassName() === 'Conv2D');
        if (conv === undefined) throw new Error(`${def.label} has no convolution for its hand-set kernels`);
        setHandKernels(conv, node.kernels);
      }
      nodes.set(id, { layers, output });
    }
    const model = tfl.model({
      inputs: nodes.get(analysis.inputId)!.output,
      outputs: nodes.get(analysis.outputId)!.output,
      name: 'convcanvas',
    });
    return { ok: true, compiled: { model, nodes, analysis } };
  } catch (e) {
    disposeLayers(nodes);
    const reason = e instanceof Error ? e.message : String(e);
    return {
      ok: false,
      errors: [
        current === undefined
          ? { message: `TensorFlow.js could not build the model: ${reason}` }
          : { nodeId: current, message: `TensorFlow.js could not build this node: ${reason}` },
      ],
    };
  }
}
