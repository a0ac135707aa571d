/**
 * Graph -> a TypeScript ES module that builds the same tf.LayersModel with the functional API. It
 * prints the LayerSpecs the node kinds declare (the compiler builds from the very same specs), so
 * layer names, settings and weights match the compiled model one for one.
 */
import { getNodeDef } from '../../nodes';
import { layerName } from '../../nodes/define';
import type { LayerKind, LayerSpec } from '../../nodes/define';
import type { Shape } from '../../nodes/shape';
import { formatShape } from '../../nodes/shape';
import type { AnalysisError, GraphAnalysis } from '../core/analyze';
import { analysisErrors, analyzeGraph } from '../core/analyze';
import type { GraphDocument } from '../core/document';
import type { TrainConfig } from '../core/training/settings';
import { IdentifierPool, camelIdentifier } from './identifiers';
import { paddingLayerSource } from './padding-source';
import { LINE_WIDTH, commentText, literal, literalLines } from './print';
import { trainSource } from './train-source';
import type { AugmentConfig } from '../core/training/augment';

export interface CodegenOptions {
  /** Adds `train()` with these settings (optimizer, learning rate and schedule, batch, epochs). */
  readonly train?: TrainConfig;
  /** With `train`: augments its training images as the app does. */
  readonly augment?: AugmentConfig;
}

export interface GeneratedModule {
  readonly code: string;
  /** For each line (index 0 is line 1), the node it belongs to, or null. */
  readonly lineNodes: readonly (string | null)[];
  /** For each emitted node, its first and last line (1-based, inclusive). */
  readonly nodeLines: ReadonlyMap<string, { readonly first: number; readonly last: number }>;
}

export type CodegenResult =
  | ({ readonly ok: true } & GeneratedModule)
  | { readonly ok: false; readonly errors: readonly AnalysisError[] };

/** The model name the compiler uses, kept so both models read alike. */
const MODEL_NAME = 'convcanvas';

// tfjs-layers' own defaults: a config key holding its default is left out of the printed call.
const defaults: Partial<Record<LayerKind, Readonly<Record<string, unknown>>>> = {
  conv2d: {
    strides: 1,
    dilationRate: 1,
    padding: 'valid',
    activation: 'linear',
    useBias: true,
    trainable: true,
  },
  dense: { activation: 'linear', useBias: true, trainable: true },
  maxPooling2d: { padding: 'valid' },
  averagePooling2d: { padding: 'valid' },
  batchNormalization: { momentum: 0.99, epsilon: 0.001, axis: -1 },
  leakyReLU: { alpha: 0.3 },
  concatenate: { axis: -1 },
  zeroPadding2d: {
    padding: [
      [1, 1],
      [1, 1],
    ],
  },
};

const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The spec's config without keys at their defaults, with the layer name first. */
function printedConfig(spec: LayerSpec, name: string): Record<string, unknown> {
  const out: Record<string, unknown> = { name };
  const skip = defaults[spec.layer] ?? {};
  for (const [k, v] of Object.entries(spec.config)) {
    if (k in skip && sameValue(skip[k], v)) continue;
    // Pools default their strides to the pool size.
    if (k === 'strides' && (spec.layer === 'maxPooling2d' || spec.layer === 'averagePooling2d'))
      if (sameValue(v, spec.config['poolSize'])) continue;
    out[k] = v;
  }
  return out;
}

/** The expression that creates the layer. */
function layerExpression(
  spec: LayerSpec,
  config: Readonly<Record<string, unknown>>,
  inline: boolean,
  indent: string,
): string[] {
  const head = spec.layer === 'padding2d' ? 'new Padding2D(' : `tf.layers.${spec.layer}(`;
  if (inline) return [`${head}${literal(config)})`];
  const lines = literalLines(config, indent);
  return [`${head}${lines[0]!}`, ...lines.slice(1, -1), `${lines.at(-1)!})`];
}

/**
 * `const id = apply(layer, inputs); // shape` on one line when it fits, else with one argument per
 * line, and the config on its own lines when even that is too wide.
 */
function layerStatement(
  target: string,
  spec: LayerSpec,
  config: Readonly<Record<string, unknown>>,
  inputs: string,
  comment: string,
): string[] {
  const one = `  const ${target} = apply(${layerExpression(spec, config, true, '')[0]!}, ${inputs});`;
  if (one.length <= LINE_WIDTH) return [one + comment];
  const layer = layerExpression(spec, config, true, '')[0]!;
  const body =
    `    ${layer},`.length <= LINE_WIDTH ? [`    ${layer},`] : layerExpression(spec, config, false, '    ');
  if (body.length > 1) {
    body[0] = `    ${body[0]!}`;
    body[body.length - 1] = `${body.at(-1)!},`;
  }
  return [`  const ${target} = apply(`, ...body, `    ${inputs},`, `  );${comment}`];
}

/** Output shape of an extra layer inside a node (only padding layers come before another layer). */
function paddedShape(spec: LayerSpec, input: Shape | undefined): Shape | undefined {
  if (
    input === undefined ||
    input.length !== 3 ||
    !(spec.layer === 'padding2d' || spec.layer === 'zeroPadding2d')
  )
    return undefined;
  const [[top, bottom], [left, right]] = spec.config['padding'] as [[number, number], [number, number]];
  return [input[0]! + top + bottom, input[1]! + left + right, input[2]!];
}

const shapeComment = (shape: Shape | undefined): string =>
  shape === undefined ? '' : ` // ${formatShape(shape)}`;

function returnModel(inputs: string, outputs: string): string[] {
  const name = literal(MODEL_NAME);
  const one = `  return tf.model({ name: ${name}, inputs: ${inputs}, outputs: ${outputs} });`;
  if (one.length <= LINE_WIDTH) return [one];
  return [
    '  return tf.model({',
    `    name: ${name},`,
    `    inputs: ${inputs},`,
    `    outputs: ${outputs},`,
    '  });',
  ];
}

const count = (n: number): string => n.toLocaleString('en-US');

/** Generates the module for a valid graph, or returns why the graph cannot be built. */
/**
 * With train(): where it runs fast. In a browser '@tensorflow/tfjs' picks WebGPU or WebGL; in Node it
 * falls back to plain JavaScript, where a few batches take minutes, and tfjs 4.22's WebAssembly
 * backend cannot train convolutions (it has no weight-gradient kernel).
 */
const trainingBackendNote = [
  "// In Node, '@tensorflow/tfjs' computes in plain JavaScript, slowly: train with @tensorflow/tfjs-node",
  "// (import it instead); predict with `import '@tensorflow/tfjs-backend-wasm'; await tf.setBackend('wasm');`.",
];

export function generateModule(
  doc: GraphDocument,
  options: CodegenOptions = {},
  analysis: GraphAnalysis = analyzeGraph(doc),
): CodegenResult {
  if (!analysis.valid || analysis.inputId === undefined || analysis.outputId === undefined)
    return { ok: false, errors: analysisErrors(analysis) };

  const names = new IdentifierPool();
  const tensorOf = new Map<string, string>();
  const body: { lines: string[]; nodeId: string | null }[] = [];
  let usesPadding = false;

  for (const id of analysis.order) {
    if (!analysis.live.has(id)) continue;
    const node = analysis.index.nodes.get(id)!;
    const def = getNodeDef(node.kind)!;
    const incoming = analysis.index.incoming.get(id) ?? [];
    const shapes = incoming.map((e) => {
      const r = analysis.nodes.get(e.source);
      return r?.status === 'ok' ? r.shape : [];
    });
    const result = analysis.nodes.get(id);
    const outShape = result?.status === 'ok' ? result.shape : undefined;
    const specs = def.layers(shapes, node.params);
    const lines: string[] = [];
    if (node.label !== undefined && commentText(node.label) !== '')
      lines.push(`  // ${commentText(node.label)}`);
    const base = camelIdentifier(id);
    let current =
      incoming.length === 1
        ? tensorOf.get(incoming[0]!.source)!
        : `[${incoming.map((e) => tensorOf.get(e.source)!).join(', ')}]`;
    let shape: Shape | undefined = shapes[0];
    specs.forEach((spec, i) => {
      const last = i === specs.length - 1;
      const target = names.take(last ? base : camelIdentifier(`${id}_${spec.suffix ?? `layer${i + 1}`}`));
      shape = last ? outShape : paddedShape(spec, shape);
      const comment = shapeComment(shape);
      if (spec.layer === 'input') {
        const config = { name: layerName(id, spec), shape: spec.config['shape'] };
        lines.push(`  const ${target} = tf.input(${literal(config)});${comment}`);
      } else {
        if (spec.layer === 'padding2d') usesPadding = true;
        lines.push(
          ...layerStatement(target, spec, printedConfig(spec, layerName(id, spec)), current, comment),
        );
      }
      current = target;
    });
    tensorOf.set(id, current);
    body.push({ lines, nodeId: id });
  }

  const t = analysis.totals;
  const inShape = analysis.nodes.get(analysis.inputId);
  const outShape = analysis.nodes.get(analysis.outputId);
  const stray = analysis.order.filter((id) => !analysis.live.has(id));
  const header = [
    `// ${commentText(doc.name) || 'Model'}: a TensorFlow.js model generated by ConvCanvas.`,
    `// ${count(t.trainable)} trainable and ${count(t.nonTrainable)} non-trainable parameters; input ${
      inShape?.status === 'ok' ? formatShape(inShape.shape) : '?'
    }, output ${outShape?.status === 'ok' ? formatShape(outShape.shape) : '?'}.`,
  ];
  if (stray.length > 0)
    header.push(`// Not part of the model (they do not lead to the output): ${stray.join(', ')}.`);
  if (options.train !== undefined) header.push(...trainingBackendNote);

  const sections: { lines: string[]; nodeId: string | null }[] = [
    { lines: [...header, "import * as tf from '@tensorflow/tfjs';", ''], nodeId: null },
  ];
  if (usesPadding) sections.push({ lines: [...paddingLayerSource.trimEnd().split('\n'), ''], nodeId: null });
  sections.push(
    {
      lines: [
        '/** Calls a layer on earlier outputs (tfjs types Layer.apply loosely, hence the cast). */',
        'function apply(',
        '  layer: tf.layers.Layer,',
        '  inputs: tf.SymbolicTensor | tf.SymbolicTensor[],',
        '): tf.SymbolicTensor {',
        '  return layer.apply(inputs) as tf.SymbolicTensor;',
        '}',
        '',
        `/** Builds the network; layer names match the graph's nodes, so saved weights load one to one. */`,
        'export function createModel(): tf.LayersModel {',
      ],
      nodeId: null,
    },
    ...body,
    {
      lines: [...returnModel(tensorOf.get(analysis.inputId)!, tensorOf.get(analysis.outputId)!), '}'],
      nodeId: null,
    },
  );
  if (options.train !== undefined)
    sections.push({
      lines: ['', ...trainSource(options.train, options.augment).trimEnd().split('\n')],
      nodeId: null,
    });

  const lines: string[] = [];
  const lineNodes: (string | null)[] = [];
  const nodeLines = new Map<string, { first: number; last: number }>();
  for (const s of sections) {
    if (s.nodeId !== null)
      nodeLines.set(s.nodeId, { first: lines.length + 1, last: lines.length + s.lines.length });
    for (const line of s.lines) {
      lines.push(line);
      lineNodes.push(s.nodeId);
    }
  }
  return { ok: true, code: lines.join('\n') + '\n', lineNodes, nodeLines };
}
