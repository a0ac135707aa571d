import { useEffect, useMemo, useRef, useState } from 'react';
import { getNodeDef } from '../../../nodes';
import { formatShape } from '../../../nodes/shape';
import { paint, rangeOf } from '../../core/inspect/colormap';
import type { ValueRange } from '../../core/inspect/colormap';
import type { ChannelPage, ValueStats } from '../../core/inspect/types';
import { CHANNELS_PER_PAGE } from '../../store/inspect-slice';
import { useAnalysis, useEditor, useEditorStore } from '../editor-context';
import { ColorLegend } from './ColorLegend';
import { MapCanvas } from './MapCanvas';
import { formatValue, percent } from './format';

/** Tile size for a number of channels on show, so a few channels get big pictures. */
const tileSize = (n: number) => (n <= 2 ? 150 : n <= 4 ? 112 : n <= 9 ? 84 : n <= 16 ? 68 : 54);

const statsLine = (s: ValueStats) =>
  `min ${formatValue(s.min)} · max ${formatValue(s.max)} · mean ${formatValue(s.mean)} · spread ${formatValue(s.std)}`;

/** What changed between a node's input and its output, when its size or channels do: the stride-2 lesson. */
function sizeLesson(input: readonly number[] | undefined, output: readonly number[]): string | null {
  if (input === undefined || input.length !== 3 || output.length !== 3) return null;
  const [h0, w0, c0] = input as [number, number, number];
  const [h1, w1, c1] = output as [number, number, number];
  if (h1 === h0 && w1 === w0 && c1 === c0) return null;
  const size =
    h1 === h0 && w1 === w0
      ? `the same height and width as its input (${h1}×${w1})`
      : h1 * 2 === h0 && w1 * 2 === w0
        ? `half the height and width of its input (${h0}×${w0} → ${h1}×${w1})`
        : `${h0}×${w0} → ${h1}×${w1}`;
  const channels =
    c1 === c0
      ? `the same ${c1} channels`
      : c1 === 2 * c0
        ? `twice the channels (${c0} → ${c1})`
        : `${c0} → ${c1} channels`;
  return `Maps at ${size}, with ${channels}.`;
}

function ChannelGrid({ page, shape, conv }: { page: ChannelPage; shape: readonly number[]; conv: boolean }) {
  const store = useEditorStore();
  const normalise = useEditor((s) => s.inspectView.normalise);
  const explain = useEditor((s) => s.inspectView.explain);
  const [hover, setHover] = useState<{ channel: number; y: number; x: number } | null>(null);
  const [h, w, channels] = shape as [number, number, number];
  const shared = useMemo<ValueRange>(
    () => ({
      lo: Math.min(...page.channelStats.map((s) => s.min)),
      hi: Math.max(...page.channelStats.map((s) => s.max)),
    }),
    [page],
  );
  const rangeFor = (c: number): ValueRange =>
    normalise === 'shared' ? shared : { lo: page.channelStats[c]!.min, hi: page.channelStats[c]!.max };
  const size = tileSize(page.count);
  const hovered = hover && page.values[(hover.channel - page.start) * h * w + hover.y * w + hover.x];
  const last = page.start + page.count;
  return (
    <div className="channel-grid-wrap">
      <div className="grid-toolbar">
        <div className="segmented" role="group" aria-label="Colour range">
          <button
            type="button"
            aria-pressed={normalise === 'channel'}
            onClick={() => store.getState().setInspectView({ normalise: 'channel' })}
          >
            each channel
          </button>
          <button
            type="button"
            aria-pressed={normalise === 'shared'}
            onClick={() => store.getState().setInspectView({ normalise: 'shared' })}
          >
            shared
          </button>
        </div>
        {normalise === 'shared' ? (
          <ColorLegend range={shared} label="Colour scale of every channel" />
        ) : (
          <ColorLegend range={{ lo: 0, hi: 1 }} label="Each channel from its minimum to its maximum" />
        )}
      </div>
      {normalise === 'channel' && (
        <p className="muted small">
          Each channel is coloured from its own minimum (dark) to its maximum (yellow).
        </p>
      )}
      <div
        className="channel-grid"
        data-testid="channel-grid"
        style={{ gridTemplateColumns: `repeat(auto-fill, minmax(${size}px, 1fr))` }}
      >
        {Array.from({ length: page.count }, (_, i) => {
          const c = page.start + i;
          const picked = explain !== null && explain.channel === c;
          return (
            <figure key={c} className={`channel${picked ? ' is-picked' : ''}`}>
              <MapCanvas
                values={page.values}
                from={i * h * w}
                height={h}
                width={w}
                range={rangeFor(c)}
                size={size}
                label={`channel ${c + 1}`}
                onHover={(at) => setHover(at && { channel: c, ...at })}
                {...(conv && {
                  onPick: (at: { y: number; x: number }) =>
                    store.getState().setInspectView({ explain: { nodeId: page.nodeId, channel: c, ...at } }),
                })}
              />
              <figcaption>{c + 1}</figcaption>
            </figure>
          );
        })}
      </div>
      <div className="readout" data-testid="readout" aria-live="polite">
        {hover && hovered !== undefined && hovered !== null ? (
          <>
            <strong>
              channel {hover.channel + 1}, row {hover.y + 1}, column {hover.x + 1}: {formatValue(hovered)}
            </strong>
            <span>{statsLine(page.channelStats[hover.channel]!)}</span>
          </>
        ) : (
          <span className="muted">
            Point at a map for its value and its channel’s statistics
            {conv ? '; click a pixel to see how it is computed' : ''}.
          </span>
        )}
      </div>
      {channels > page.count && (
        <div className="pager">
          <button
            type="button"
            disabled={page.start === 0}
            onClick={() => store.getState().showChannels(page.start - CHANNELS_PER_PAGE)}
          >
            ‹ Previous
          </button>
          <span>
            channels {page.start + 1}–{last} of {channels}
          </span>
          <button
            type="button"
            disabled={last >= channels}
            onClick={() => store.getState().showChannels(last)}
          >
            Next ›
          </button>
        </div>
      )}
    </div>
  );
}

/** A vector as bars from zero, the value under the pointer. */
function VectorBars({ values }: { values: Float32Array }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const [hover, setHover] = useState<number | null>(null);
  const range = useMemo(() => rangeOf(values), [values]);
  useEffect(() => {
    const canvas = ref.current;
    const context = canvas?.getContext('2d');
    if (!canvas || !context) return;
    const width = canvas.width;
    const height = canvas.height;
    context.clearRect(0, 0, width, height);
    const lo = Math.min(0, range.lo);
    const hi = Math.max(0, range.hi);
    const y = (v: number) => ((hi - v) / (hi - lo || 1)) * (height - 2) + 1;
    const bar = width / values.length;
    const colour = new Uint8ClampedArray(4);
    values.forEach((v, i) => {
      paint([v], range, 'viridis', colour, 0, 1);
      context.fillStyle = `rgb(${colour[0]} ${colour[1]} ${colour[2]})`;
      const top = Math.min(y(v), y(0));
      context.fillRect(
        i * bar,
        top,
        Math.max(1, bar - (bar > 3 ? 1 : 0)),
        Math.max(1, Math.abs(y(v) - y(0))),
      );
    });
    context.fillStyle = 'rgb(128 128 128)';
    context.fillRect(0, Math.round(y(0)), width, 1);
  }, [values, range]);
  return (
    <div className="vector-view">
      <canvas
        ref={ref}
        width={600}
        height={110}
        className="vector-bars"
        role="img"
        aria-label={`${values.length} values as bars`}
        onPointerMove={(e) => {
          const box = e.currentTarget.getBoundingClientRect();
          setHover(
            Math.min(values.length - 1, Math.floor(((e.clientX - box.left) / box.width) * values.length)),
          );
        }}
        onPointerLeave={() => setHover(null)}
      />
      <div className="readout" data-testid="readout">
        {hover !== null ? (
          <strong>
            value {hover + 1} of {values.length}: {formatValue(values[hover]!)}
          </strong>
        ) : (
          <span className="muted">
            {values.length} values from {formatValue(range.lo)} to {formatValue(range.hi)}; point at a bar for
            its value.
          </span>
        )}
      </div>
    </div>
  );
}

/** The Output: one probability per class, with the class names. */
function Probabilities({
  probabilities,
  classes,
  predicted,
}: {
  probabilities: Float32Array;
  classes: readonly string[];
  predicted: number;
}) {
  return (
    <ol className="probabilities" data-testid="probabilities">
      {classes.map((c, i) => (
        <li key={c} className={i === predicted ? 'is-top' : undefined}>
          <span className="prob-name">{c}</span>
          <span className="prob-bar">
            <span style={{ width: percent(probabilities[i] ?? 0, 1) }} />
          </span>
          <span className="prob-value">{percent(probabilities[i] ?? 0, 1)}</span>
        </li>
      ))}
    </ol>
  );
}

/** The selected node's output for the image: its channels, a vector's bars, or the class probabilities. */
export function NodeOutput({ nodeId }: { nodeId: string }) {
  const analysis = useAnalysis();
  const page = useEditor((s) => (s.channelPage?.nodeId === nodeId ? s.channelPage : null));
  const overview = useEditor((s) => s.overview);
  const node = useEditor((s) => s.doc.nodes.find((n) => n.id === nodeId));
  const glance = overview?.nodes.find((n) => n.nodeId === nodeId);
  if (node === undefined) return null;
  if (glance === undefined)
    return (
      <p className="muted">
        This node is not part of the model (it does not lead to the Output), so it computes nothing.
      </p>
    );
  const kind = node.kind;
  const source = analysis.index.incoming.get(nodeId)?.[0]?.source;
  const input = source === undefined ? undefined : analysis.nodes.get(source);
  const lesson = sizeLesson(input?.status === 'ok' ? input.shape : undefined, glance.shape);
  const conv = kind === 'conv' || kind === 'stride2';
  return (
    <div className="node-output">
      <div className="node-output-head">
        <h3>
          {node.label ?? getNodeDef(kind)?.label ?? kind}{' '}
          <span className="muted">{formatShape(glance.shape)}</span>
        </h3>
        <span className="muted small">{statsLine(glance.stats)}</span>
      </div>
      {lesson && <p className="lesson">{lesson}</p>}
      {kind === 'output' ? (
        <Probabilities
          probabilities={overview!.probabilities}
          classes={overview!.classes}
          predicted={overview!.predicted}
        />
      ) : page === null ? (
        <p className="muted">Computing…</p>
      ) : glance.shape.length === 3 ? (
        <ChannelGrid page={page} shape={glance.shape} conv={conv} />
      ) : (
        <VectorBars values={page.values} />
      )}
    </div>
  );
}
