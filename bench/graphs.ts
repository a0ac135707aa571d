/** Synthetic graphs of a chosen size for benchmarks: a stem, residual blocks, a head. */
import { GraphBuilder } from '../src/core/builder';
import type { GraphDocument } from '../src/core/document';

/** About `nodes` nodes: each residual block adds 7 (conv, bn, relu, conv, bn, add, relu). */
export function residualTower(nodes: number): GraphDocument {
  const g = new GraphBuilder(`tower-${nodes}`);
  let h = g.node('input', { height: 32, width: 32, channels: 3 });
  h = g.node('conv', { filters: 16 }, h);
  const blocks = Math.max(0, Math.round((nodes - 4) / 7));
  for (let b = 0; b < blocks; b++) {
    const c1 = g.node('conv', { filters: 16, bias: false, activation: 'linear' }, h);
    const n1 = g.node('batchnorm', {}, c1);
    const r1 = g.node('activation', {}, n1);
    const c2 = g.node('conv', { filters: 16, bias: false, activation: 'linear' }, r1);
    const n2 = g.node('batchnorm', {}, c2);
    const sum = g.node('add', {}, [n2, h]);
    h = g.node('activation', {}, sum);
  }
  g.node('output', {}, g.node('gap', {}, h));
  return g.build();
}
