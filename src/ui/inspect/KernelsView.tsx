import { useEffect, useRef } from 'react';
import { KERNEL_PRESETS, presetGrid, presetOf } from '../../../nodes/hand-kernels';
import { colourAt, rangeOf, symmetricRange } from '../../core/inspect/colormap';
import type { KernelImages } from '../../core/inspect/types';
import { useEditor, useEditorStore } from '../editor-context';
import { ColorLegend } from './ColorLegend';
import { MapCanvas } from './MapCanvas';

const TILE = 34;

/** One colour kernel of a first layer: each input channel's weights as red, green and blue around grey. */
function RgbKernel({ k, f }: { k: KernelImages; f: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = ref.current?.getContext('2d');
    if (!context || k.rgb === undefined) return;
    const n = k.side * k.side;
    const slice = k.rgb.subarray(f * n * 3, (f + 1) * n * 3);
    const m = Math.max(1e-12, ...Array.from(slice, Math.abs));
    const image = context.createImageData(k.side, k.side);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < 3; c++) image.data[i * 4 + c] = 128 + (127 * slice[i * 3 + c]!) / m;
      image.data[i * 4 + 3] = 255;
    }
    context.putImageData(image, 0, 0);
  }, [k, f]);
  return (
    <canvas
      ref={ref}
      width={k.side}
      height={k.side}
      className="map-canvas"
      style={{ width: TILE, height: TILE }}
    />
  );
}

/** Every kernel of a convolution as a small picture (summed over input channels; in colour for RGB inputs). */
export function KernelGallery() {
  const k = useEditor((s) => s.kernelImages);
  if (k === null) return <p className="muted">Computing…</p>;
  const n = k.side * k.side;
  const range = symmetricRange(rangeOf(k.summed));
  return (
    <div className="kernels">
      <p className="muted small">
        {k.filters} kernels of {k.side}×{k.side}×{k.inputs}
        {k.rgb
          ? ': in colour, each input channel (red, green, blue) around grey, and below summed over them'
          : ', each summed over its input channels'}
        ; blue is negative, red positive.
      </p>
      {k.rgb && (
        <div className="kernel-row" role="img" aria-label="Kernels in colour">
          {Array.from({ length: k.filters }, (_, f) => (
            <RgbKernel key={f} k={k} f={f} />
          ))}
        </div>
      )}
      <div className="kernel-row" data-testid="kernels">
        {Array.from({ length: k.filters }, (_, f) => (
          <MapCanvas
            key={f}
            values={k.summed}
            from={f * n}
            height={k.side}
            width={k.side}
            range={range}
            colormap="diverging"
            size={TILE}
            label={`kernel ${f + 1}`}
          />
        ))}
      </div>
      <ColorLegend range={range} colormap="diverging" />
    </div>
  );
}

function Grid3({ grid }: { grid: readonly number[] }) {
  const side = Math.round(Math.sqrt(grid.length));
  const range = symmetricRange(rangeOf(grid));
  return (
    <span className="mini-grid" style={{ gridTemplateColumns: `repeat(${side}, 1fr)` }}>
      {grid.map((v, i) => {
        const [r, g, b] = colourAt('diverging', range.hi > 0 ? (v - range.lo) / (range.hi - range.lo) : 0.5);
        return (
          <span key={i} style={{ background: `rgb(${r} ${g} ${b})` }} title={String(v)}>
            {Number.isInteger(v) ? v : v.toFixed(2)}
          </span>
        );
      })}
    </span>
  );
}

/** Set a convolution's kernels by hand from presets, and freeze them with the node's trainable switch. */
export function HandKernels({ nodeId }: { nodeId: string }) {
  const store = useEditorStore();
  const node = useEditor((s) => s.doc.nodes.find((n) => n.id === nodeId));
  const result = useEditor((s) => s.overview?.nodes.find((n) => n.nodeId === nodeId));
  if (node === undefined) return null;
  const side = Number(node.params['kernel']);
  const filters = result?.shape[2] ?? Number(node.params['filters']);
  const kernels = node.kernels ?? [];
  const trainable = node.params['trainable'] !== false;
  const full = kernels.length >= filters;
  const fits = presetGrid(KERNEL_PRESETS[0]!, side) !== undefined;
  return (
    <div className="hand-kernels">
      <p className="muted small">
        Set output channel {Math.min(kernels.length, filters - 1) + 1} (the next one) to a kernel made by
        hand. It acts on the mean of the input channels. Saved with the graph, so sharing and exporting keep
        it.
      </p>
      {fits ? (
        <div className="preset-row">
          {KERNEL_PRESETS.map((p) => (
            <button
              key={p.id}
              type="button"
              disabled={full}
              title={p.help}
              onClick={() => store.getState().setKernels(nodeId, [...kernels, presetGrid(p, side)!])}
            >
              {p.label}
            </button>
          ))}
        </div>
      ) : (
        <p className="muted small">
          The presets are 3×3: they fit kernels of odd size 3 and up, not {side}×{side}.
        </p>
      )}
      {kernels.length > 0 && (
        <ol className="hand-list" data-testid="hand-kernels">
          {kernels.map((g, i) => (
            <li key={i}>
              <span>channel {i + 1}</span>
              <Grid3 grid={g} />
              <span>{presetOf(g)?.label ?? 'by hand'}</span>
            </li>
          ))}
        </ol>
      )}
      <div className="button-row">
        <label className="check">
          <input
            type="checkbox"
            checked={!trainable}
            onChange={(e) => store.getState().updateParams(nodeId, { trainable: !e.target.checked })}
          />
          Freeze this node’s weights (training leaves them as they are)
        </label>
        {kernels.length > 0 && (
          <button type="button" onClick={() => store.getState().setKernels(nodeId, [])}>
            Clear hand-set kernels
          </button>
        )}
      </div>
      {kernels.length > 0 && trainable && (
        <p className="muted small">
          Training will start from these kernels and change them; freeze the node to keep them.
        </p>
      )}
    </div>
  );
}
