import type { ConvMatrix, MatrixPadding } from '../../core/inspect/types';
import { useEditor, useEditorStore } from '../editor-context';
import { formatValue } from './format';

/** A colour per kernel tap (Tableau 10), so tied weights look alike wherever they sit. */
const TAP_COLOURS = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
];

const paddings: readonly { value: MatrixPadding; label: string }[] = [
  { value: 'zero', label: 'zeros' },
  { value: 'reflect', label: 'reflect' },
  { value: 'symmetric', label: 'symmetric' },
  { value: 'circular', label: 'circular' },
  { value: 'valid', label: 'none (valid)' },
];

function NumberGrid({ values, side, label }: { values: readonly number[]; side: number; label: string }) {
  return (
    <figure className="number-grid">
      <figcaption>{label}</figcaption>
      <table className="numbers">
        <tbody>
          {Array.from({ length: side }, (_, i) => (
            <tr key={i}>
              {Array.from({ length: side }, (_, j) => (
                <td key={j}>{formatValue(values[i * side + j]!)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

function MatrixPicture({ m }: { m: ConvMatrix }) {
  const rows = m.outSize * m.outSize;
  const cols = m.size * m.size;
  const cell = Math.max(9, Math.min(16, Math.floor(420 / cols)));
  const byCell = new Map(m.cells.map((c) => [c.row * cols + c.col, c.taps]));
  return (
    <svg
      className="matrix"
      width={cols * cell + 1}
      height={rows * cell + 1}
      role="img"
      aria-label={`the ${rows}×${cols} matrix`}
      data-testid="conv-matrix"
    >
      {Array.from({ length: rows * cols }, (_, i) => {
        const r = Math.floor(i / cols);
        const c = i % cols;
        const taps = byCell.get(i);
        if (taps === undefined)
          return (
            <rect key={i} x={c * cell} y={r * cell} width={cell} height={cell} className="structural-zero" />
          );
        const band = cell / taps.length;
        return (
          <g key={i}>
            <title>
              row {r + 1} (output pixel), column {c + 1} (input pixel):{' '}
              {taps.map((t) => `w${t + 1}`).join(' + ')} ={' '}
              {formatValue(taps.reduce((s, t) => s + m.kernel[t]!, 0))}
            </title>
            {taps.map((t, k) => (
              <rect
                key={t}
                x={c * cell + k * band}
                y={r * cell}
                width={band}
                height={cell}
                fill={TAP_COLOURS[t]}
              />
            ))}
            {taps.length > 1 && (
              <rect x={c * cell} y={r * cell} width={cell} height={cell} className="summed" />
            )}
          </g>
        );
      })}
    </svg>
  );
}

/** A tiny convolution with the node's settings written as a sparse matrix: output = M × flattened input. */
export function ConvMatrixView({
  nodeId,
  defaults,
}: {
  nodeId: string;
  defaults: { stride: number; padding: MatrixPadding };
}) {
  const store = useEditorStore();
  const m = useEditor((s) => (s.convMatrix?.nodeId === nodeId ? s.convMatrix : null));
  const asked = useEditor((s) => s.inspectView.matrix);
  const settings = asked?.nodeId === nodeId ? asked : { nodeId, size: 4, ...defaults };
  const set = (patch: Partial<typeof settings>) =>
    store.getState().setInspectView({ matrix: { ...settings, ...patch } });
  const same = m !== null && m.product.every((v, i) => Math.abs(v - m.reference[i]!) < 1e-5);
  const biggest = m === null ? 0 : Math.max(...m.product.map((v, i) => Math.abs(v - m.reference[i]!)));
  const summed = m?.cells.some((c) => c.taps.length > 1) ?? false;
  return (
    <div className="conv-matrix">
      <div className="heat-controls">
        <label>
          input{' '}
          <select
            aria-label="Input size"
            value={settings.size}
            onChange={(e) => set({ size: Number(e.target.value) })}
          >
            <option value={4}>4×4</option>
            <option value={5}>5×5</option>
          </select>
        </label>
        <label>
          stride{' '}
          <select
            aria-label="Stride"
            value={settings.stride}
            onChange={(e) => set({ stride: Number(e.target.value) })}
          >
            <option value={1}>1</option>
            <option value={2}>2</option>
          </select>
        </label>
        <label>
          padding{' '}
          <select
            aria-label="Padding"
            value={settings.padding}
            onChange={(e) => set({ padding: e.target.value as MatrixPadding })}
          >
            {paddings.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
        {asked?.nodeId !== nodeId && (
          <button type="button" onClick={() => set({})}>
            Show
          </button>
        )}
      </div>
      {m !== null && asked?.nodeId === nodeId && (
        <>
          <div className="tap-legend">
            <span className="muted small">
              {m.kernelFrom === 'node'
                ? 'this node’s first kernel (summed over its input channels)'
                : 'an example 3×3 kernel (this node’s is not 3×3)'}
              :
            </span>
            <span className="mini-grid taps">
              {m.kernel.map((v, t) => (
                <span key={t} style={{ background: TAP_COLOURS[t] }}>
                  w{t + 1} {formatValue(v)}
                </span>
              ))}
            </span>
          </div>
          <p className="small">
            M has one row per output pixel ({m.outSize}×{m.outSize} = {m.outSize ** 2}) and one column per
            input pixel ({m.size}×{m.size} = {m.size ** 2}). Every row holds the same nine weights (same
            colour, same weight), shifted by the stride; grey cells are zeros that are always there.
            {summed &&
              ' Striped cells add up two or more weights: at the border the padding repeats pixels that are already in the window.'}
          </p>
          <MatrixPicture m={m} />
          <div className="matrix-check">
            <NumberGrid
              values={m.input}
              side={m.size}
              label="input x: the middle of one of the node’s input channels"
            />
            <NumberGrid values={m.product} side={m.outSize} label="M × x" />
            <NumberGrid values={m.reference} side={m.outSize} label="tf.conv2d" />
          </div>
          <p className={same ? 'is-ok' : 'is-bad'} data-testid="matrix-agrees">
            {same
              ? `M × x equals the convolution (largest difference ${biggest.toExponential(1)}).`
              : `They differ by up to ${formatValue(biggest)}.`}
          </p>
        </>
      )}
    </div>
  );
}
