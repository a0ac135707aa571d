/**
 * The saved form of a graph. It holds only what the person made (kinds, params, wiring, positions,
 * groups and how they are folded); shapes, stats and errors are always recomputed.
 */
import { z } from 'zod';
import type { ParamValuesLoose } from '../../nodes/define';
import { MAX_LINKS, MAX_NODES } from './limits';

export const SCHEMA_VERSION = 2;

const NODE_ID = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
/** Node ids double as tfjs layer names and code identifiers, so they are kept simple. */
export const isNodeId = (s: string): boolean => NODE_ID.test(s);

const nodeId = z
  .string({ error: 'must be a text id' })
  .regex(NODE_ID, 'must start with a letter and hold only letters, digits and _ (at most 64 characters)');

const paramValue = z.union([z.number(), z.string(), z.boolean()], {
  error: 'must be a number, a text or true/false',
});

export const graphNodeSchema = z.object({
  id: nodeId,
  kind: z.string({ error: 'must be the name of a node kind' }),
  label: z.string({ error: 'must be text' }).max(200, 'must be at most 200 characters').optional(),
  params: z.record(z.string(), paramValue, { error: 'must be an object of parameter values' }).default({}),
  position: z.object(
    {
      x: z.number({ error: 'must be a number' }).finite('must be a finite number'),
      y: z.number({ error: 'must be a number' }).finite('must be a finite number'),
    },
    { error: 'must be an object {x, y}' },
  ),
});

const HANDLE = /^in(0|[1-9][0-9]{0,2})$/;

export const graphEdgeSchema = z.object({
  id: z.string({ error: 'must be a text id' }).min(1, 'must not be empty').max(200, 'is too long'),
  source: nodeId,
  target: nodeId,
  targetHandle: z.string({ error: 'must be text' }).regex(HANDLE, 'must be in0, in1, ... (the input slot)'),
});

export const DIRECTIONS = ['down', 'right'] as const;
/** Which way data flows on the canvas: top to bottom, or left to right. */
export type Direction = (typeof DIRECTIONS)[number];

export const graphGroupSchema = z.object({
  id: nodeId,
  label: z.string({ error: 'must be text' }).max(200, 'must be at most 200 characters'),
  parent: nodeId.optional(),
  nodeIds: z.array(nodeId, { error: 'must be a list of node ids' }).max(10_000, 'has too many nodes'),
  collapsed: z.boolean({ error: 'must be true or false' }).default(false),
});

export const graphDocumentSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION, { error: `must be ${SCHEMA_VERSION}` }),
  name: z.string({ error: 'must be text' }).max(200, 'must be at most 200 characters'),
  nodes: z.array(graphNodeSchema, { error: 'must be a list of nodes' }).max(MAX_NODES, 'has too many nodes'),
  edges: z.array(graphEdgeSchema, { error: 'must be a list of links' }).max(MAX_LINKS, 'has too many links'),
  direction: z.enum(DIRECTIONS, { error: 'must be "down" or "right"' }).optional(),
  groups: z
    .array(graphGroupSchema, { error: 'must be a list of groups' })
    .max(10_000, 'has too many groups')
    .optional(),
});

export interface GraphNode {
  readonly id: string;
  readonly kind: string;
  readonly label?: string;
  /** Every parameter of the kind, validated and with defaults filled in. */
  readonly params: ParamValuesLoose;
  readonly position: { readonly x: number; readonly y: number };
}

export interface GraphEdge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  /** `in<k>`: which input slot of the target the link enters. */
  readonly targetHandle: string;
}

/**
 * Nodes shown together, and foldable into one card: a residual block, a stage of blocks. Groups nest
 * through `parent`; a node is a direct member of at most one group. They change nothing that
 * compiles: the model is the same with or without them.
 */
export interface GraphGroup {
  readonly id: string;
  readonly label: string;
  /** The group this one sits in. */
  readonly parent?: string;
  /** Direct members (nodes of nested groups are listed there, not here). */
  readonly nodeIds: readonly string[];
  /**
   * Folded into one card. Saved with the document (like positions) so a template or a file opens
   * as it was left, and so folding is one undo step like any other visible change.
   */
  readonly collapsed: boolean;
}

export interface GraphDocument {
  readonly schemaVersion: typeof SCHEMA_VERSION;
  readonly name: string;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  /** Absent means "down". */
  readonly direction?: Direction;
  /** Absent means none. */
  readonly groups?: readonly GraphGroup[];
}

/** The input slot number of a handle id such as "in2". */
export const handleIndex = (handle: string): number => Number(handle.slice(2));
export const handleId = (index: number): string => `in${index}`;
