/** The generated module's helper that sets hand-set kernels, as the compiler does (src/compile/hand-kernels.ts). */
import { layerName } from '../../nodes/define';
import type { KernelGrid } from '../../nodes/hand-kernels';
import { LINE_WIDTH, literal, quote } from './print';

export const setKernelsSource = `/**
 * Hand-set kernels: grid f (k×k numbers, row by row) becomes output channel f's kernel, spread equally
 * over the input channels (so it acts on their mean), with a zero bias; other channels keep their weights.
 */
function setKernels(layer: tf.layers.Layer, grids: number[][]): void {
  const [kernel, ...bias] = layer.getWeights();
  if (kernel === undefined) throw new Error(\`\${layer.name} has no kernel\`);
  const [, , inputs, filters] = kernel.shape as [number, number, number, number];
  const values = kernel.dataSync().slice();
  grids.forEach((grid, f) =>
    grid.forEach((v, tap) => {
      for (let c = 0; c < inputs; c++) values[(tap * inputs + c) * filters + f] = v / inputs;
    }),
  );
  const biases = bias.map((b) => {
    const v = b.dataSync().slice();
    v.fill(0, 0, grids.length);
    return tf.tensor(v, b.shape);
  });
  layer.setWeights([tf.tensor(values, kernel.shape), ...biases]);
}
`;

/** `setKernels(model.getLayer('conv'), [...]);` for one node, one grid per line when it does not fit on one. */
export function setKernelsStatement(nodeId: string, kernels: readonly KernelGrid[]): string[] {
  const layer = `model.getLayer(${quote(layerName(nodeId, { layer: 'conv2d', config: {} }))})`;
  const one = `  setKernels(${layer}, ${literal(kernels)});`;
  if (one.length <= LINE_WIDTH) return [one];
  return [`  setKernels(${layer}, [`, ...kernels.map((g) => `    ${literal(g)},`), '  ]);'];
}
