import { useEffect, useRef } from 'react';

interface ImageThumbProps {
  /** height × width × channels values in [0, 1] (1 or 3 channels). */
  readonly image: Float32Array;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly title?: string;
}

/** Draws one image into a small canvas, pixels kept sharp (CSS scales it up). */
export function ImageThumb({ image, height, width, channels, title }: ImageThumbProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = ref.current?.getContext('2d');
    if (!context) return;
    const pixels = context.createImageData(width, height);
    for (let i = 0; i < width * height; i++)
      for (let c = 0; c < 4; c++)
        pixels.data[i * 4 + c] =
          c === 3 ? 255 : Math.round(255 * image[i * channels + (channels === 1 ? 0 : c)]!);
    context.putImageData(pixels, 0, 0);
  }, [image, height, width, channels]);
  return <canvas ref={ref} width={width} height={height} className="thumb" title={title} />;
}
