import { useEffect, useMemo } from 'react';
import { rangeOf, symmetricRange } from '../../core/inspect/colormap';
import { useEditor, useEditorStore } from '../editor-context';
import { ColorLegend } from './ColorLegend';
import { MapCanvas } from './MapCanvas';
import type { MapCanvasProps } from './MapCanvas';

const SIZE = 128;

/** One captioned map of the comparison. */
function MapFigure({ title, ...map }: { title: string } & Omit<MapCanvasProps, 'size'>) {
  return (
    <figure className="heatmap compact">
      <figcaption>
        <strong>{title}</strong>
      </figcaption>
      <MapCanvas {...map} size={SIZE} />
    </figure>
  );
}

/** One channel of a convolution with zeros and with reflection at the border, and what differs. */
export function BordersView({ nodeId, channel }: { nodeId: string; channel: number }) {
  const store = useEditorStore();
  const b = useEditor((s) => (s.borders?.nodeId === nodeId ? s.borders : null));
  useEffect(() => store.getState().compareBorders(channel), [store, nodeId, channel]);
  const range = useMemo(() => {
    if (b === null) return { lo: 0, hi: 0 };
    const z = rangeOf(b.zero.values);
    const r = rangeOf(b.reflect.values);
    return { lo: Math.min(z.lo, r.lo), hi: Math.max(z.hi, r.hi) };
  }, [b]);
  const difference = useMemo(
    () => (b === null ? new Float32Array(0) : b.reflect.values.map((v, i) => v - b.zero.values[i]!)),
    [b],
  );
  if (b === null || b.channel !== channel) return <p className="muted">Computing…</p>;
  const { height, width } = b.zero;
  const shared = { height, width, range };
  const differenceRange = symmetricRange(rangeOf(difference));
  const own =
    b.own === 'same' ? 'zeros' : b.own === 'same-reflect' ? 'reflection' : b.own.replace('same-', '');
  return (
    <div className="borders" data-testid="borders">
      <p className="small">
        Channel {channel + 1} from the same input and weights, its border filled two ways (this node uses{' '}
        {own}). Inside they are equal; they differ only where the kernel reaches past the image.
      </p>
      <div className="heatmap-pair">
        <MapFigure title="zeros" values={b.zero.values} label="with zero padding" {...shared} />
        <MapFigure title="reflection" values={b.reflect.values} label="with reflection padding" {...shared} />
        <MapFigure
          title="reflection − zeros"
          values={difference}
          label="the difference"
          {...shared}
          range={differenceRange}
          colormap="diverging"
        />
      </div>
      <div className="legend-row">
        <ColorLegend range={range} />
        <ColorLegend range={differenceRange} colormap="diverging" />
      </div>
    </div>
  );
}
