import { useEffect, useRef } from 'react';
import type { CSSProperties, MouseEvent } from 'react';
import { paint } from '../../core/inspect/colormap';
import type { ColormapName, ValueRange } from '../../core/inspect/colormap';

export interface MapCanvasProps {
  /** height × width values from `from` on. */
  readonly values: ArrayLike<number>;
  readonly from?: number;
  readonly height: number;
  readonly width: number;
  readonly range: ValueRange;
  readonly colormap?: ColormapName;
  /** Shown size of the longer side, in CSS pixels. */
  readonly size: number;
  readonly className?: string;
  readonly label?: string;
  /** The map pixel under the pointer (null when it leaves). */
  onHover?(at: { y: number; x: number } | null): void;
  onPick?(at: { y: number; x: number }): void;
  readonly style?: CSSProperties;
}

/** One map drawn pixel for pixel into a canvas and scaled up sharp by CSS. */
export function MapCanvas(props: MapCanvasProps) {
  const { values, from = 0, height, width, range, colormap = 'viridis', size, onHover, onPick } = props;
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = ref.current?.getContext('2d');
    if (!context) return;
    const image = context.createImageData(width, height);
    paint(values, range, colormap, image.data, from, width * height);
    context.putImageData(image, 0, 0);
  }, [values, from, height, width, range, colormap]);
  const scale = size / Math.max(height, width);
  const where = (e: MouseEvent<HTMLCanvasElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    const x = Math.floor(((e.clientX - box.left) / box.width) * width);
    const y = Math.floor(((e.clientY - box.top) / box.height) * height);
    return x >= 0 && x < width && y >= 0 && y < height ? { y, x } : null;
  };
  return (
    <canvas
      ref={ref}
      width={width}
      height={height}
      className={`map-canvas${props.className ? ` ${props.className}` : ''}${onPick ? ' is-pickable' : ''}`}
      style={{ width: width * scale, height: height * scale, ...props.style }}
      aria-label={props.label}
      role="img"
      onPointerMove={onHover && ((e) => onHover(where(e)))}
      onPointerLeave={onHover && (() => onHover(null))}
      onClick={
        onPick &&
        ((e) => {
          const at = where(e);
          if (at) onPick(at);
        })
      }
    />
  );
}
