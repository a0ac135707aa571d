/**
 * The built-in dataset: coloured shapes on noisy backgrounds, drawn procedurally from a seed, so it
 * needs no download and is identical on every machine. Each image remembers its object's box.
 */
import type { ImageDataset, Split } from './dataset';
import { seededRandom, shuffle } from './random';

/** Whether the point (u, v), in units of the object's radius around its centre, is inside. */
type Inside = (u: number, v: number) => boolean;

const DIAGONAL = Math.SQRT1_2;

const star: Inside = (u, v) => {
  const d = Math.hypot(u, v);
  const a = Math.atan2(v, u) - Math.PI / 2;
  const k = (((a / ((2 * Math.PI) / 5)) % 1) + 1) % 1; // position within one point's sector
  const t = Math.abs(k - 0.5) * 2; // 1 at the tip, 0 between tips
  return d < 0.42 + 0.58 * t ** 1.6;
};

export const SHAPES: readonly { readonly name: string; readonly inside: Inside; readonly spin: boolean }[] = [
  { name: 'circle', inside: (u, v) => u * u + v * v < 1, spin: false },
  { name: 'ring', inside: (u, v) => u * u + v * v < 1 && u * u + v * v > 0.36, spin: false },
  { name: 'square', inside: (u, v) => Math.abs(u) < 0.82 && Math.abs(v) < 0.82, spin: false },
  { name: 'diamond', inside: (u, v) => Math.abs(u) + Math.abs(v) < 1, spin: false },
  { name: 'triangle', inside: (u, v) => v < 0.55 && v > 1.9 * Math.abs(u) - 1.05, spin: false },
  { name: 'star', inside: star, spin: true },
  {
    name: 'cross',
    inside: (u, v) => (Math.abs(u) < 0.3 && Math.abs(v) < 1) || (Math.abs(v) < 0.3 && Math.abs(u) < 1),
    spin: false,
  },
  { name: 'horizontal bar', inside: (u, v) => Math.abs(v) < 0.28 && Math.abs(u) < 1, spin: false },
  { name: 'vertical bar', inside: (u, v) => Math.abs(u) < 0.28 && Math.abs(v) < 1, spin: false },
  {
    name: 'diagonal bar',
    inside: (u, v) => Math.abs((u + v) * DIAGONAL) < 0.28 && Math.abs((u - v) * DIAGONAL) < 1.05,
    spin: false,
  },
];

export interface ShapesOptions {
  readonly seed?: number;
  /** Square images of this many pixels (the default is 32); `height` and `width` override it. */
  readonly size?: number;
  readonly height?: number;
  readonly width?: number;
  /** 3 for colour, 1 for grey (the colour image's luminance). */
  readonly channels?: 1 | 3;
  readonly trainCount?: number;
  readonly validationCount?: number;
}

type Rgb = [number, number, number];

const luminance = ([r, g, b]: Rgb) => 0.299 * r + 0.587 * g + 0.114 * b;

/** A foreground clearly brighter than its background, so the shape always stands out the same way. */
function colours(random: () => number): { fg: Rgb; bg: Rgb } {
  for (;;) {
    const bg: Rgb = [random(), random(), random()];
    const fg: Rgb = [random(), random(), random()];
    if (luminance(fg) - luminance(bg) > 0.3) return { fg, bg };
  }
}

/** Pixel noise (the same on all channels, so it is grain rather than colour): uniform, ±0.08. */
const noise = (random: () => number) => (random() - 0.5) * 0.16;

const SUPERSAMPLE = [0.25, 0.75];

function drawSplit(
  count: number,
  height: number,
  width: number,
  channels: 1 | 3,
  seed: number,
): Split<Float32Array> {
  const random = seededRandom(seed);
  const images = new Float32Array(count * height * width * channels);
  const labels = new Int32Array(count);
  const boxes = new Float32Array(count * 4);
  // Balanced: every class appears equally often, in a shuffled order.
  const order = shuffle(
    Array.from({ length: count }, (_, i) => i % SHAPES.length),
    random,
  );
  for (let n = 0; n < count; n++) {
    const label = order[n]!;
    const shape = SHAPES[label]!;
    labels[n] = label;
    const radius = Math.min(height, width) * (0.2 + random() * 0.17);
    const cx = radius + random() * (width - 2 * radius);
    const cy = radius + random() * (height - 2 * radius);
    const angle = shape.spin ? random() * Math.PI * 2 : 0;
    const cos = Math.cos(angle) / radius;
    const sin = Math.sin(angle) / radius;
    const reach = 1.1 * radius + 1;
    const { fg, bg } = colours(random);
    let x0 = width;
    let y0 = height;
    let x1 = 0;
    let y1 = 0;
    const base = n * height * width * channels;
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        let cover = 0;
        // Every shape lies within 1.1 radii of its centre: only pixels near it need sampling.
        const near = Math.abs(x + 0.5 - cx) < reach && Math.abs(y + 0.5 - cy) < reach;
        if (near)
          for (const sy of SUPERSAMPLE)
            for (const sx of SUPERSAMPLE) {
              // Pixel offset from the centre, rotated back by the object's angle, in radius units.
              const dx = x + sx - cx;
              const dy = y + sy - cy;
              if (shape.inside(dx * cos + dy * sin, dy * cos - dx * sin)) cover++;
            }
        cover /= 4;
        if (cover > 0) {
          x0 = Math.min(x0, x);
          y0 = Math.min(y0, y);
          x1 = Math.max(x1, x + 1);
          y1 = Math.max(y1, y + 1);
        }
        const at = base + (y * width + x) * channels;
        const grain = noise(random);
        const colour: Rgb = [0, 0, 0];
        for (let c = 0; c < 3; c++) {
          const value = bg[c]! + (fg[c]! - bg[c]!) * cover + grain;
          colour[c] = value < 0 ? 0 : value > 1 ? 1 : value;
        }
        if (channels === 3) images.set(colour, at);
        else images[at] = luminance(colour);
      }
    boxes.set([x0, y0, x1, y1], n * 4);
  }
  return { count, images, labels, boxes };
}

/**
 * The built-in shapes dataset: 32×32×3 by default, 5,000 training and 1,000 validation images. Its
 * pixels stay float32: they are drawn, not read from files, and runs on them keep their exact values.
 */
export function shapesDataset(options: ShapesOptions = {}): ImageDataset<Float32Array> {
  const { seed = 1, size = 32, trainCount = 5000, validationCount = 1000, channels = 3 } = options;
  const height = options.height ?? size;
  const width = options.width ?? size;
  return {
    name: `Shapes ${height}×${width}${channels === 1 ? ' grey' : ''}`,
    classes: SHAPES.map((s) => s.name),
    height,
    width,
    channels,
    train: drawSplit(trainCount, height, width, channels, seed * 2 + 1),
    validation: drawSplit(validationCount, height, width, channels, seed * 2 + 2),
  };
}
