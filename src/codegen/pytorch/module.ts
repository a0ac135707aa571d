/**
 * Graph -> model.py: an nn.Module with one attribute per layer that has settings or weights, named
 * after its node, and a forward() in topological order with each step's NCHW shape in a comment.
 * It prints the same LayerSpecs the compiler builds from (through ./layers), and maps every line
 * back to its node.
 */
import { getNodeDef } from '../../../nodes';
import { layerName } from '../../../nodes/define';
import type { LayerSpec } from '../../../nodes/define';
import type { Shape } from '../../../nodes/shape';
import type { GraphAnalysis } from '../../core/analyze';
import type { GraphDocument } from '../../core/document';
import type { Helper } from './layers';
import { translations } from './layers';
import { PythonNames, pyCommentText, pyLiteral, pyString, pyTuple } from './python';
import { helperSource, initSource, weightsSource } from './support-source';

export interface GeneratedFile {
  readonly name: string;
  readonly code: string;
  /** For each line (index 0 is line 1), the node it belongs to, or null. */
  readonly lineNodes: readonly (string | null)[];
}

interface Section {
  readonly lines: readonly string[];
  readonly nodeId: string | null;
}

/** `[N, C, H, W]` or `[N, F]` for a tfjs-layout shape. */
const nchw = (s: Shape): string =>
  s.length === 3 ? `[N, ${s[2]}, ${s[0]}, ${s[1]}]` : `[N, ${s.join(', ')}]`;

/** Output shape of a padding layer inside a node (the only layers that come before another). */
function specShape(spec: LayerSpec, input: Shape | undefined): Shape | undefined {
  if (input?.length !== 3 || !(spec.layer === 'padding2d' || spec.layer === 'zeroPadding2d'))
    return undefined;
  const [[top, bottom], [left, right]] = spec.config['padding'] as [[number, number], [number, number]];
  return [input[0]! + top + bottom, input[1]! + left + right, input[2]!];
}

const count = (n: number): string => n.toLocaleString('en-US');

/** model.py for a valid graph (the caller checks validity). */
export function pytorchModel(doc: GraphDocument, analysis: GraphAnalysis): GeneratedFile {
  const live = analysis.order.filter((id) => analysis.live.has(id));
  const shapeOf = (id: string): Shape => {
    const r = analysis.nodes.get(id);
    return r?.status === 'ok' ? r.shape : [];
  };
  const specsOf = new Map<string, readonly LayerSpec[]>();
  for (const id of live) {
    const node = analysis.index.nodes.get(id)!;
    const inputs = (analysis.index.incoming.get(id) ?? []).map((e) => shapeOf(e.source));
    specsOf.set(id, getNodeDef(node.kind)!.layers(inputs, node.params));
  }
  const inputShapeOf = (id: string): Shape => {
    const e = (analysis.index.incoming.get(id) ?? [])[0];
    return e === undefined ? [] : shapeOf(e.source);
  };
  const feedsOnlyDense = (id: string): boolean => {
    const consumers = (analysis.index.outgoing.get(id) ?? []).filter((e) => analysis.live.has(e.target));
    return consumers.length > 0 && consumers.every((e) => specsOf.get(e.target)?.[0]?.layer === 'dense');
  };

  const names = new PythonNames();
  const varOf = new Map<string, string>();
  const helpers = new Set<Helper>();
  const renamed: [attr: string, layer: string][] = [];
  const flattenedFrom: [attr: string, shape: Shape][] = [];
  const init: Section[] = [];
  const forward: Section[] = [];
  let inputVar = 'x';

  for (const id of live) {
    const node = analysis.index.nodes.get(id)!;
    const incoming = analysis.index.incoming.get(id) ?? [];
    const inShapes = incoming.map((e) => shapeOf(e.source));
    const specs = specsOf.get(id)!;
    const name = names.take(id);
    varOf.set(id, name);
    const label = node.label === undefined ? '' : pyCommentText(node.label);
    if (specs[0]?.layer === 'input') {
      inputVar = name;
      forward.push({ lines: [`    def forward(self, ${name}):  # ${nchw(shapeOf(id))}`], nodeId: id });
      continue;
    }
    const initLines: string[] = [];
    const lines: string[] = label === '' ? [] : [`        # ${label}`];
    let inputs = incoming.map((e) => varOf.get(e.source)!);
    let shape: Shape | undefined = inShapes[0];
    specs.forEach((spec, i) => {
      if (spec.layer === 'input') return;
      const lastSpec = i === specs.length - 1;
      const layer = translations[spec.layer]({
        config: spec.config,
        inputs: i === 0 ? inShapes : [shape ?? []],
        feedsOnlyDense: spec.layer === 'flatten' && feedsOnlyDense(id),
      });
      let attr = '';
      if (layer.module !== undefined) {
        attr = spec.suffix === undefined ? name : names.take(`${id}_${spec.suffix}`);
        if (attr !== layerName(id, spec)) renamed.push([attr, layerName(id, spec)]);
        initLines.push(`        self.${attr} = ${layer.module}`);
        if (spec.layer === 'dense') {
          const source = incoming[0]?.source;
          if (source !== undefined && specsOf.get(source)?.[0]?.layer === 'flatten' && feedsOnlyDense(source))
            flattenedFrom.push([attr, inputShapeOf(source)]);
        }
      }
      for (const h of layer.helpers ?? []) helpers.add(h);
      layer.steps.forEach((step, j) => {
        const lastStep = j === layer.steps.length - 1;
        const stepShape =
          step.shape ?? (lastStep ? (lastSpec ? shapeOf(id) : specShape(spec, shape)) : undefined);
        const comment = stepShape === undefined ? '' : `  # ${nchw(stepShape)}`;
        lines.push(`        ${name} = ${step.code(inputs, `self.${attr}`)}${comment}`);
        inputs = [name];
        shape = stepShape ?? shape;
      });
    });
    if (initLines.length > 0) init.push({ lines: initLines, nodeId: id });
    forward.push({ lines, nodeId: id });
  }

  const t = analysis.totals;
  const input = shapeOf(analysis.inputId!);
  const output = shapeOf(analysis.outputId!);
  const stray = analysis.order.filter((id) => !analysis.live.has(id));
  const title = pyCommentText(doc.name) || 'Model';
  const header = [
    `"""${title}: a PyTorch model generated by ConvCanvas.`,
    '',
    `${count(t.trainable)} trainable and ${count(t.nonTrainable)} non-trainable parameters (batch-norm running statistics`,
    `counted, as TensorFlow.js counts them); input ${input.join('×')} given as ${nchw(input)}, output ${nchw(output)}.`,
    ...(stray.length > 0
      ? [`Not part of the model (they do not lead to the output): ${stray.join(', ')}.`]
      : []),
    '',
    "It computes what the app's TensorFlow.js model computes: TensorFlow's 'same' padding (the odd row",
    'and column go after the image), pooling whose padding never counts, batch norm with the same',
    'momentum, epsilon and running variance, Glorot-uniform initial kernels, and dense layers that read',
    "a flattened image in TensorFlow's order. load_tfjs_weights() reads the model.json + weights.bin",
    'the app downloads, so training continues where it stopped in the browser:',
    '',
    '    model = Model()',
    "    load_tfjs_weights(model, 'model.json')  # optional",
    '    probabilities = model(images)  # float images in [0, 1], [N, C, H, W]',
    '"""',
    'import json',
    'import math',
    'import os',
    '',
    'import torch',
    'import torch.nn as nn',
    'import torch.nn.functional as F',
    '',
    `INPUT_SHAPE = ${pyTuple([input[2]!, input[0]!, input[1]!])}  # channels, height, width`,
    `CLASSES = ${output[0] ?? 0}`,
    '# Attributes whose TensorFlow.js layer has another name.',
    `LAYER_NAMES = ${pyLiteral(Object.fromEntries(renamed))}`,
    "# Dense layers after torch.flatten: the H×W×C each one's input was, to reorder its rows.",
    `FLATTENED_FROM = {${flattenedFrom.map(([a, s]) => `${pyString(a)}: ${pyTuple([...s])}`).join(', ')}}`,
  ];

  const order: Helper[] = ['BatchNorm', 'symmetric_pad', 'avg_pool_same'];
  const sections: Section[] = [{ lines: header, nodeId: null }];
  for (const h of order)
    if (helpers.has(h))
      sections.push({ lines: ['', '', ...helperSource[h].trimEnd().split('\n')], nodeId: null });
  sections.push(
    { lines: ['', '', ...initSource.trimEnd().split('\n')], nodeId: null },
    {
      lines: [
        '',
        '',
        'class Model(nn.Module):',
        `    """${title}, layer by layer as in ConvCanvas; returns class probabilities."""`,
        '',
        '    def __init__(self):',
        '        super().__init__()',
      ],
      nodeId: null,
    },
    ...init,
    { lines: ['        init_like_tfjs(self)', ''], nodeId: null },
    ...forward,
    { lines: [`        return ${varOf.get(analysis.outputId!) ?? inputVar}`], nodeId: null },
    { lines: ['', '', ...weightsSource.trimEnd().split('\n')], nodeId: null },
  );

  const lines: string[] = [];
  const lineNodes: (string | null)[] = [];
  for (const s of sections)
    for (const line of s.lines) {
      lines.push(line);
      lineNodes.push(s.nodeId);
    }
  return { name: 'model.py', code: lines.join('\n') + '\n', lineNodes };
}
