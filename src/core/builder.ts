/**
 * Builds graph documents in code: templates, tests and benchmarks use it instead of writing JSON by
 * hand. Params are checked against the kind's declarations, so a builder mistake fails loudly.
 */
import { getNodeDef } from '../../nodes';
import type { ParamValuesLoose } from '../../nodes/define';
import type { GraphDocument, GraphEdge, GraphGroup, GraphNode } from './document';
import { SCHEMA_VERSION, handleId } from './document';
import { checkParams } from './params';

export interface NodeOptions {
  readonly id?: string;
  readonly label?: string;
  /** Horizontal lane: 0 is the main path, 1 the first side branch, ... */
  readonly lane?: number;
}

export const LANE_WIDTH = 280;
export const ROW_HEIGHT = 110;

export class GraphBuilder {
  private readonly nodes: GraphNode[] = [];
  private readonly edges: GraphEdge[] = [];
  private readonly groups: {
    id: string;
    label: string;
    parent?: string;
    nodeIds: string[];
    collapsed: boolean;
  }[] = [];
  private readonly open: string[] = [];
  private readonly counters = new Map<string, number>();
  private row = 0;

  constructor(private readonly name: string) {}

  /** Adds a node fed by `inputs` (in slot order) and returns its id. */
  node(
    kind: string,
    params: Readonly<Record<string, number | string | boolean>> = {},
    inputs: string | readonly string[] = [],
    options: NodeOptions = {},
  ): string {
    const def = getNodeDef(kind);
    if (def === undefined) throw new Error(`unknown node kind "${kind}"`);
    const check = checkParams(def, params);
    if (!check.ok)
      throw new Error(`${kind}: ${check.problems.map((p) => `${p.key} ${p.message}`).join('; ')}`);
    const id = options.id ?? this.nextId(kind);
    if (this.nodes.some((n) => n.id === id)) throw new Error(`duplicate node id "${id}"`);
    const sources = typeof inputs === 'string' ? [inputs] : inputs;
    const lane = options.lane ?? 0;
    const owner = this.open[this.open.length - 1];
    if (owner !== undefined) this.groups.find((g) => g.id === owner)!.nodeIds.push(id);
    this.nodes.push({
      id,
      kind,
      ...(options.label === undefined ? {} : { label: options.label }),
      params: check.values as ParamValuesLoose,
      position: { x: lane * LANE_WIDTH, y: this.row++ * ROW_HEIGHT },
    });
    sources.forEach((source, slot) =>
      this.edges.push({ id: `${source}-${id}-${slot}`, source, target: id, targetHandle: handleId(slot) }),
    );
    return id;
  }

  /** Puts every node `body` adds into a new group (nested in the group being built, if any). */
  group<T>(id: string, label: string, collapsed: boolean, body: () => T): T {
    if (this.groups.some((g) => g.id === id)) throw new Error(`duplicate group id "${id}"`);
    const parent = this.open[this.open.length - 1];
    this.groups.push({ id, label, ...(parent === undefined ? {} : { parent }), nodeIds: [], collapsed });
    this.open.push(id);
    try {
      return body();
    } finally {
      this.open.pop();
    }
  }

  private nextId(kind: string): string {
    const n = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, n);
    return `${kind}_${n}`;
  }

  build(): GraphDocument {
    const doc: GraphDocument = {
      schemaVersion: SCHEMA_VERSION,
      name: this.name,
      nodes: [...this.nodes],
      edges: [...this.edges],
    };
    if (this.groups.length === 0) return doc;
    const groups: GraphGroup[] = this.groups.map((g) => ({ ...g, nodeIds: [...g.nodeIds] }));
    return { ...doc, groups };
  }
}
