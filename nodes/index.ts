/**
 * The registry of node kinds. Everything else (document schema, palette, inspector, compiler,
 * code generator) reads a kind's knowledge from here.
 */
import activation from './activation';
import add from './add';
import avgpool from './avgpool';
import batchnorm from './batchnorm';
import concat from './concat';
import conv from './conv';
import type { AnyNodeDef, Category } from './define';
import dense from './dense';
import dropout from './dropout';
import flatten from './flatten';
import gap from './gap';
import gmp from './gmp';
import input from './input';
import maxpool from './maxpool';
import output from './output';
import padding from './padding';
import stride2 from './stride2';

export const nodeKinds: readonly AnyNodeDef[] = [
  input,
  conv,
  stride2,
  padding,
  maxpool,
  avgpool,
  gap,
  gmp,
  add,
  concat,
  batchnorm,
  activation,
  dropout,
  flatten,
  dense,
  output,
];

const byKind = new Map(nodeKinds.map((d) => [d.kind, d]));

export function getNodeDef(kind: string): AnyNodeDef | undefined {
  return byKind.get(kind);
}

export const categories: readonly Category[] = [
  'Data',
  'Convolution',
  'Pooling',
  'Merge',
  'Normalization',
  'Activation',
  'Regularization',
  'Dense',
];

export type { AnyNodeDef, Category, InferResult, LayerSpec, NodeStats } from './define';
export type { Shape } from './shape';
export { formatShape } from './shape';
