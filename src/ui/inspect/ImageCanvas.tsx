import { useEffect, useRef } from 'react';
import type { ReactNode } from 'react';
import { imageBytes } from '../../core/inspect/colormap';
import type { Grid } from '../../core/inspect/types';

interface ImageCanvasProps {
  readonly image: Grid;
  /** Shown size of the longer side, in CSS pixels. */
  readonly size: number;
  /** The object's box [x0, y0, x1, y1] in image pixels, outlined. */
  readonly box?: readonly [number, number, number, number];
  readonly label?: string;
  /** Drawn over the image, in the same box (heatmaps). */
  readonly children?: ReactNode;
}

/** An image (1 or 3 channels in [0, 1]) scaled up sharp, with its object's box when known. */
export function ImageCanvas({ image, size, box, label, children }: ImageCanvasProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = ref.current?.getContext('2d');
    if (!context) return;
    const pixels = context.createImageData(image.width, image.height);
    imageBytes(image, pixels.data);
    context.putImageData(pixels, 0, 0);
  }, [image]);
  const scale = size / Math.max(image.height, image.width);
  const w = image.width * scale;
  const h = image.height * scale;
  return (
    <div className="image-frame" style={{ width: w, height: h }}>
      <canvas
        ref={ref}
        width={image.width}
        height={image.height}
        style={{ width: w, height: h }}
        role="img"
        aria-label={label}
      />
      {children}
      {box && (
        <div
          className="object-box"
          data-testid="object-box"
          data-box={box.join(',')}
          style={{
            left: box[0] * scale,
            top: box[1] * scale,
            width: (box[2] - box[0]) * scale,
            height: (box[3] - box[1]) * scale,
          }}
        />
      )}
    </div>
  );
}
