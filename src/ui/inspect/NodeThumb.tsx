import { memo } from 'react';
import { rangeOf } from '../../core/inspect/colormap';
import { useEditor } from '../editor-context';
import { ImageCanvas } from './ImageCanvas';
import { MapCanvas } from './MapCanvas';
import './thumb.css';

/**
 * A node's output for the image being looked at, small, beside its card on the canvas: its most
 * varied channel, or a vector as a strip of colours. Refreshes with the sample and during training.
 */
export const NodeThumb = memo(function NodeThumb({ id }: { id: string }) {
  const glance = useEditor((s) =>
    s.inspectOpen && s.canvasThumbnails ? s.overview?.nodes.find((n) => n.nodeId === id) : undefined,
  );
  if (glance === undefined) return null;
  const t = glance.thumbnail;
  if (t.kind === 'image')
    return (
      <div className="node-thumb" data-testid="node-thumb" title="the image">
        <ImageCanvas image={t.image} size={40} />
      </div>
    );
  if (t.kind === 'map')
    return (
      <div
        className="node-thumb"
        data-testid="node-thumb"
        title={`channel ${t.channel + 1}, the most varied for this image`}
      >
        <MapCanvas
          values={t.map.values}
          height={t.map.height}
          width={t.map.width}
          range={rangeOf(t.map.values)}
          size={40}
        />
      </div>
    );
  return (
    <div className="node-thumb is-vector" data-testid="node-thumb" title={`${glance.shape[0]} values`}>
      <MapCanvas
        values={t.values}
        height={1}
        width={t.values.length}
        range={rangeOf(t.values)}
        size={40}
        style={{ height: 12 }}
      />
    </div>
  );
});
