/**
 * Shape inference and validation of a whole graph: for every node its output shape and stats or the
 * reason it has none, plus problems of the graph as a whole. Pure, and total on any loaded document.
 */
import { getNodeDef } from '../../nodes';
import type { NodeStats } from '../../nodes/define';
import type { Shape } from '../../nodes/shape';
import { elementCount } from '../../nodes/shape';
import type { GraphDocument } from './document';
import type { GraphIndex } from './graph';
import { ancestors, cycleMembers, indexGraph, topoSort } from './graph';
import type { GraphIssue } from './issues';
import { quoteSome } from './issues';
import { MAX_ACTIVATION_BYTES, MAX_WEIGHT_BYTES } from './limits';
import { formatBytes } from './units';

/** Bytes per activation value (float32). */
export const BYTES_PER_VALUE = 4;

export type NodeResult =
  | {
      readonly status: 'ok';
      readonly shape: Shape;
      readonly stats: NodeStats;
      /** Bytes of this node's output for one example. */
      readonly activationBytes: number;
    }
  /** This node itself is wrong: the message says why and how to fix it. */
  | { readonly status: 'error'; readonly message: string }
  /** An input of this node has no shape yet; fixing that will settle this one. */
  | { readonly status: 'waiting'; readonly message: string };

export interface Totals {
  readonly trainable: number;
  readonly nonTrainable: number;
  readonly flops: number;
  readonly activationBytes: number;
}

export interface GraphAnalysis {
  readonly index: GraphIndex;
  /** Every node's result; nodes on a loop are errors. */
  readonly nodes: ReadonlyMap<string, NodeResult>;
  /** Acyclic nodes, inputs first. */
  readonly order: readonly string[];
  readonly issues: readonly GraphIssue[];
  /** The single Input and Output, when there is exactly one of each. */
  readonly inputId: string | undefined;
  readonly outputId: string | undefined;
  /** Nodes the output depends on: what a compiled model contains. */
  readonly live: ReadonlySet<string>;
  /** True when nothing anywhere is an error: the graph can be compiled and trained. */
  readonly valid: boolean;
  /** Sums over the live nodes (all nodes with a shape when there is no output). */
  readonly totals: Totals;
}

const quote = (ids: readonly string[]): string => ids.map((id) => `"${id}"`).join(', ');

/** 7.25e24 as "7.3e24", 1234567 as "1,234,567". */
const compact = (n: number): string =>
  n < 1e15 ? n.toLocaleString('en-US') : n.toExponential(1).replace('e+', 'e');

function inferNode(index: GraphIndex, id: string, results: ReadonlyMap<string, NodeResult>): NodeResult {
  const node = index.nodes.get(id)!;
  const def = getNodeDef(node.kind);
  if (def === undefined) return { status: 'error', message: `"${node.kind}" is not a known node kind.` };
  const shapes: Shape[] = [];
  for (const edge of index.incoming.get(id) ?? []) {
    const upstream = results.get(edge.source);
    if (upstream?.status !== 'ok')
      return { status: 'waiting', message: `Waits for "${edge.source}", which has no valid output yet.` };
    shapes.push(upstream.shape);
  }
  try {
    const inferred = def.infer(shapes, node.params);
    if (!inferred.ok) return { status: 'error', message: inferred.error };
    if (inferred.shape.some((d) => !(d >= 1) || (d < 2 ** 53 && !Number.isInteger(d))))
      return {
        status: 'error',
        message: `The output would be ${inferred.shape.join('×')}, which is empty: the input is too small for these settings.`,
      };
    const activationBytes = elementCount(inferred.shape) * BYTES_PER_VALUE;
    if (activationBytes > MAX_ACTIVATION_BYTES)
      return {
        status: 'error',
        message: `The output would be ${inferred.shape.map(compact).join('×')}: ${formatBytes(activationBytes)} for one image, more than the ${formatBytes(MAX_ACTIVATION_BYTES)} all layer outputs of a model may take together. Use fewer channels or a smaller input.`,
      };
    const stats = def.stats(shapes, inferred.shape, node.params);
    const weightBytes = (stats.trainable + stats.nonTrainable) * BYTES_PER_VALUE;
    if (weightBytes > MAX_WEIGHT_BYTES)
      return {
        status: 'error',
        message: `This layer would have ${compact(stats.trainable + stats.nonTrainable)} weights (${formatBytes(weightBytes)}), more than the ${formatBytes(MAX_WEIGHT_BYTES)} a whole model may hold. Use fewer units or channels.`,
      };
    return { status: 'ok', shape: inferred.shape, stats, activationBytes };
  } catch (e) {
    // A node kind must never throw; if one does, the graph still renders and says where.
    return {
      status: 'error',
      message: `Internal error in ${def.label}: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}

function endpointIssues(doc: GraphDocument, kind: 'input' | 'output'): { id?: string; issues: GraphIssue[] } {
  const ids = doc.nodes.filter((n) => n.kind === kind).map((n) => n.id);
  const word = kind === 'input' ? 'Input' : 'Output';
  if (ids.length === 1) return { id: ids[0]!, issues: [] };
  if (ids.length === 0)
    return {
      issues: [
        {
          severity: 'error',
          message:
            kind === 'input'
              ? 'The graph has no Input node: add one (under Data) so the images have a way in.'
              : 'The graph has no Output node: add one (under Data) at the end so the network can give an answer.',
          nodeIds: [],
        },
      ],
    };
  return {
    issues: [
      {
        severity: 'error',
        message: `The graph has ${ids.length} ${word} nodes (${quote(ids)}); a network here has exactly one. Remove the extra ones.`,
        nodeIds: ids,
      },
    ],
  };
}

export function analyzeGraph(doc: GraphDocument): GraphAnalysis {
  const index = indexGraph(doc);
  const { order, blocked } = topoSort(index);
  const nodes = new Map<string, NodeResult>();
  for (const id of order) nodes.set(id, inferNode(index, id, nodes));

  const issues: GraphIssue[] = [];
  if (blocked.length > 0) {
    const loop = cycleMembers(index, blocked);
    issues.push({
      severity: 'error',
      message: `The links form a loop through ${quoteSome(loop)}: data must flow one way, from the input to the output.`,
      nodeIds: loop,
    });
    for (const id of blocked)
      nodes.set(id, {
        status: 'error',
        message: loop.includes(id)
          ? 'This node is on a loop: remove one of the links that lead back to it.'
          : 'This node comes after a loop, so its input cannot be computed.',
      });
  }

  const input = endpointIssues(doc, 'input');
  const output = endpointIssues(doc, 'output');
  issues.push(...input.issues, ...output.issues);

  const live =
    output.id !== undefined && blocked.length === 0 ? ancestors(index, output.id) : new Set<string>();
  if (output.id !== undefined && input.id !== undefined && blocked.length === 0 && !live.has(input.id))
    issues.push({
      severity: 'error',
      message: `Nothing connects the Input "${input.id}" to the Output "${output.id}": link the layers in between.`,
      nodeIds: [input.id, output.id],
    });
  if (output.id !== undefined) {
    const stray = doc.nodes
      .filter((n) => !live.has(n.id) && nodes.get(n.id)?.status === 'ok')
      .map((n) => n.id);
    if (stray.length > 0 && blocked.length === 0)
      issues.push({
        severity: 'warning',
        message: `${stray.length === 1 ? 'This node does' : 'These nodes do'} not lead to the Output, so ${
          stray.length === 1 ? 'it' : 'they'
        } will not be part of the model: ${quote(stray)}.`,
        nodeIds: stray,
      });
  }

  const counted = live.size > 0 ? live : new Set(nodes.keys());
  let trainable = 0;
  let nonTrainable = 0;
  let flops = 0;
  let activationBytes = 0;
  for (const id of counted) {
    const r = nodes.get(id);
    if (r?.status !== 'ok') continue;
    trainable += r.stats.trainable;
    nonTrainable += r.stats.nonTrainable;
    flops += r.stats.flops;
    activationBytes += r.activationBytes;
  }

  const countedInOrder = order.filter((id) => counted.has(id));
  issues.push(...budgetIssues(countedInOrder, nodes, trainable + nonTrainable, activationBytes));

  const valid =
    issues.every((i) => i.severity !== 'error') && [...nodes.values()].every((r) => r.status === 'ok');
  return {
    index,
    nodes,
    order,
    issues,
    inputId: input.id,
    outputId: output.id,
    live,
    valid,
    totals: { trainable, nonTrainable, flops, activationBytes },
  };
}

/** The ids of the `n` nodes with the most of `amount`, biggest first; ties in the order given. */
function biggest(
  ids: Iterable<string>,
  nodes: ReadonlyMap<string, NodeResult>,
  amount: (r: Extract<NodeResult, { status: 'ok' }>) => number,
  n = 3,
): string[] {
  const sized: [string, number][] = [];
  for (const id of ids) {
    const r = nodes.get(id);
    if (r?.status === 'ok') sized.push([id, amount(r)]);
  }
  return sized
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([id]) => id);
}

/** A model too big to build or train is refused here, before anything is compiled. */
function budgetIssues(
  counted: readonly string[],
  nodes: ReadonlyMap<string, NodeResult>,
  weights: number,
  activationBytes: number,
): GraphIssue[] {
  const issues: GraphIssue[] = [];
  const weightBytes = weights * BYTES_PER_VALUE;
  if (weightBytes > MAX_WEIGHT_BYTES) {
    const top = biggest(counted, nodes, (r) => r.stats.trainable + r.stats.nonTrainable);
    issues.push({
      severity: 'error',
      message: `The model would have ${compact(weights)} weights (${formatBytes(weightBytes)}), more than the ${formatBytes(MAX_WEIGHT_BYTES)} a model may hold. The biggest layers are ${quote(top)}: use fewer channels or units.`,
      nodeIds: top,
    });
  }
  if (activationBytes > MAX_ACTIVATION_BYTES) {
    const top = biggest(counted, nodes, (r) => r.activationBytes);
    issues.push({
      severity: 'error',
      message: `The model's layer outputs would take ${formatBytes(activationBytes)} for one image, more than the ${formatBytes(MAX_ACTIVATION_BYTES)} they may take together. The biggest outputs are ${quote(top)}: use a smaller input, fewer channels or downsample sooner.`,
      nodeIds: top,
    });
  }
  return issues;
}

/** A located problem that keeps a graph from being built: a graph issue or one node's error. */
export interface AnalysisError {
  readonly nodeId?: string;
  readonly message: string;
}

/** The same located problems the editor shows, for a graph that cannot be built. */
export function analysisErrors(analysis: GraphAnalysis): AnalysisError[] {
  const errors: AnalysisError[] = analysis.issues
    .filter((i) => i.severity === 'error')
    .map((i) =>
      i.nodeIds.length > 0 ? { nodeId: i.nodeIds[0]!, message: i.message } : { message: i.message },
    );
  for (const [nodeId, r] of analysis.nodes)
    if (r.status === 'error') errors.push({ nodeId, message: r.message });
  return errors;
}
