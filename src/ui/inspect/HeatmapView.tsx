import { useMemo } from 'react';
import { rangeOf } from '../../core/inspect/colormap';
import { upsample } from '../../core/inspect/heatmap-math';
import type { Grid } from '../../core/inspect/types';
import { HEATMAP_CHECK_IMAGES } from '../../store/inspect-slice';
import { useAnalysis, useEditor, useEditorStore } from '../editor-context';
import { ColorLegend } from './ColorLegend';
import { ImageCanvas } from './ImageCanvas';
import { MapCanvas } from './MapCanvas';
import { percent } from './format';

const SIZE = 168;

/** One heatmap upsampled to the image and laid over it. */
function Overlay({
  title,
  note,
  map,
  image,
  box,
  opacity,
}: {
  title: string;
  note: string;
  map: Grid;
  image: Grid;
  box?: readonly [number, number, number, number];
  opacity: number;
}) {
  const up = useMemo(() => upsample(map, image.height, image.width), [map, image]);
  const range = useMemo(() => rangeOf(up), [up]);
  return (
    <figure className="heatmap">
      <figcaption>
        <strong>{title}</strong>
        <span className="muted small">{note}</span>
      </figcaption>
      <ImageCanvas image={image} size={SIZE} {...(box && { box })} label={`${title} over the image`}>
        <MapCanvas
          values={up}
          height={image.height}
          width={image.width}
          range={range}
          size={SIZE}
          className="heat-layer"
          style={{ opacity }}
          label={title}
        />
      </ImageCanvas>
      <ColorLegend range={range} />
    </figure>
  );
}

/** "Which part of the image made it say square": the mean over channels and Grad-CAM of one spatial node. */
export function HeatmapView() {
  const store = useEditorStore();
  const analysis = useAnalysis();
  const heatmaps = useEditor((s) => s.heatmaps);
  const overview = useEditor((s) => s.overview);
  const info = useEditor((s) => s.sampleInfo);
  const view = useEditor((s) => s.inspectView);
  const check = useEditor((s) => s.heatmapCheck);
  const spatial = useMemo(
    () =>
      (overview?.nodes ?? [])
        .filter((n) => n.shape.length === 3 && n.nodeId !== analysis.inputId)
        .map((n) => n.nodeId),
    [overview, analysis],
  );
  if (heatmaps === null || overview === null || info === null) return <p className="muted">Computing…</p>;
  const className = overview.classes[heatmaps.classIndex];
  return (
    <div className="heatmaps" data-testid="heatmaps">
      <div className="heat-controls">
        <label>
          node{' '}
          <select
            aria-label="Heatmap node"
            value={heatmaps.nodeId}
            onChange={(e) => store.getState().setInspectView({ heatNode: e.target.value })}
          >
            {spatial.map((id) => (
              <option key={id} value={id}>
                {id} ({overview.nodes.find((n) => n.nodeId === id)!.shape.join('×')})
              </option>
            ))}
          </select>
        </label>
        <label>
          class{' '}
          <select
            aria-label="Heatmap class"
            value={heatmaps.classIndex}
            onChange={(e) => store.getState().setInspectView({ heatClass: Number(e.target.value) })}
          >
            {overview.classes.map((c, i) => (
              <option key={c} value={i}>
                {c}
                {i === overview.predicted ? ' (predicted)' : ''}
              </option>
            ))}
          </select>
        </label>
        <label className="opacity">
          opacity
          <input
            type="range"
            min={0}
            max={1}
            step={0.05}
            value={view.opacity}
            aria-label="Heatmap opacity"
            onChange={(e) => store.getState().setInspectView({ opacity: Number(e.target.value) })}
          />
        </label>
      </div>
      <div className="heatmap-pair">
        <Overlay
          title="Mean activation"
          note={`the mean of ${heatmaps.nodeId}’s channels: where it responds, whatever the class`}
          map={heatmaps.mean}
          image={info.image}
          {...(info.box && { box: info.box })}
          opacity={view.opacity}
        />
        <Overlay
          title={`Grad-CAM: ${className}`}
          note={`channels weighted by how much they raise the “${className}” score`}
          map={heatmaps.gradCam}
          image={info.image}
          {...(info.box && { box: info.box })}
          opacity={view.opacity}
        />
      </div>
      <div className="heat-check">
        <button type="button" onClick={() => store.getState().checkHeatmaps()}>
          Does it look at the object? ({HEATMAP_CHECK_IMAGES} validation images)
        </button>
        {check && check.nodeId === heatmaps.nodeId && (
          <p
            data-testid="heatmap-check"
            data-mean={check.meanInside}
            data-gradcam={check.gradCamInside}
            data-box={check.boxShare}
          >
            Inside the objects’ boxes, which cover {percent(check.boxShare)} of the images on average: mean
            activation <strong>{percent(check.meanInside)}</strong> of its mass, Grad-CAM for the predicted
            class <strong>{percent(check.gradCamInside)}</strong>. A map spread evenly would put{' '}
            {percent(check.boxShare)} there.
          </p>
        )}
      </div>
    </div>
  );
}
