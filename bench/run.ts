/**
 * Prints benchmark figures: `npm run bench`. Figures, not pass/fail: compare runs on one machine.
 */
import { performance } from 'node:perf_hooks';
import { analyzeGraph } from '../src/core/analyze';
import { loadGraph } from '../src/core/load';
import { compileGraph } from '../src/compile/compile';
import { useCpuBackend } from '../src/train/node-backend';
import { renderTable } from '../src/cli/table';
import { templates } from '../templates';
import { shapesDataset } from '../src/data/shapes';
import { residualTower } from './graphs';
import { layoutPositions } from '../src/core/layout';
import { GraphBuilder } from '../src/core/builder';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Median milliseconds of `fn` over enough runs to fill about `budgetMs`. */
function time(fn: () => void, budgetMs = 300, maxRuns = 200): { ms: number; runs: number } {
  fn(); // warm-up
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < maxRuns && (samples.length < 3 || performance.now() - start < budgetMs)) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  return { ms: median(samples), runs: samples.length };
}

function shapeInference(): void {
  const rows = [50, 500, 2000].map((size) => {
    const doc = residualTower(size);
    const load = time(() => loadGraph(doc));
    const analyze = time(() => analyzeGraph(doc));
    return [String(doc.nodes.length), load.ms.toFixed(2), analyze.ms.toFixed(2), String(analyze.runs)];
  });
  console.log('\nShape inference (analyzeGraph: topo sort, every shape, stats, graph checks)');
  console.log(
    renderTable(['nodes', 'load+validate ms', 'analyze ms', 'runs'], rows, [
      'right',
      'right',
      'right',
      'right',
    ]),
  );
}

/** A plain chain of `length` ReLUs: the deepest graph for its size. */
function chain(length: number) {
  const g = new GraphBuilder(`chain-${length}`);
  let h = g.node('input');
  for (let i = 2; i < length; i++) h = g.node('activation', {}, h);
  g.node('output', {}, h);
  return g.build();
}

function layoutTimes(): void {
  const graphs = [
    ['residual tower', residualTower(127)],
    ['residual tower', residualTower(2000)],
    ['residual tower', residualTower(10_000)],
    ['chain', chain(2000)],
    ['chain', chain(10_000)],
  ] as const;
  const rows = graphs.map(([what, doc]) => {
    const { ms, runs } = time(() => layoutPositions(doc), 1000, 50);
    return [what, String(doc.nodes.length), String(doc.edges.length), ms.toFixed(2), String(runs)];
  });
  console.log('\nLayout (Tidy up: layers, main path, lanes)');
  console.log(
    renderTable(['graph', 'nodes', 'links', 'ms', 'runs'], rows, [
      'left',
      'right',
      'right',
      'right',
      'right',
    ]),
  );
}

function compileTimes(): void {
  const rows = templates.map((t) => {
    const loaded = loadGraph(t.document);
    if (!loaded.ok) throw new Error(`${t.name} does not load`);
    const { ms, runs } = time(
      () => {
        const r = compileGraph(loaded.doc);
        if (!r.ok) throw new Error(`${t.name} does not compile`);
        r.compiled.model.dispose();
      },
      2000,
      20,
    );
    return [t.name, String(loaded.doc.nodes.length), ms.toFixed(1), String(runs)];
  });
  console.log('\nCompile to tf.LayersModel (tfjs cpu backend, includes weight initialisation)');
  console.log(renderTable(['template', 'nodes', 'ms', 'runs'], rows, ['left', 'right', 'right', 'right']));
}

function datasetTime(): void {
  const { ms, runs } = time(() => shapesDataset(), 3000, 5);
  console.log(
    `\nBuilt-in shapes dataset, 5,000 + 1,000 images at 32×32×3: ${ms.toFixed(0)} ms (median of ${runs})`,
  );
}

await useCpuBackend();
console.log(`ConvCanvas bench — Node ${process.version}, ${new Date().toISOString()}`);
shapeInference();
layoutTimes();
compileTimes();
datasetTime();
