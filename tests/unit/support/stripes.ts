/**
 * A small image-folder dataset for tests: two clearly different classes, horizontal and vertical
 * stripes (random stripe width, phase, colours and noise for each image), written as real PNG files
 * by pngjs. A network with one convolution tells them apart within an epoch or two.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { seededRandom } from '../../../src/data/random';
import { pngFile } from './images';

export const STRIPE_CLASSES = ['horizontal', 'vertical'] as const;

/** One stripes image as RGBA pixels. */
export function stripes(side: number, vertical: boolean, random: () => number): Uint8Array {
  const period = 2 + Math.floor(random() * 3);
  const phase = Math.floor(random() * period * 2);
  const dark = [random() * 80, random() * 80, random() * 80];
  const light = [175 + random() * 80, 175 + random() * 80, 175 + random() * 80];
  const data = new Uint8Array(side * side * 4);
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) {
      const along = vertical ? x : y;
      const on = Math.floor((along + phase) / period) % 2 === 0;
      const colour = on ? light : dark;
      const i = (y * side + x) * 4;
      for (let c = 0; c < 3; c++)
        data[i + c] = Math.max(0, Math.min(255, colour[c]! + (random() - 0.5) * 40));
      data[i + 3] = 255;
    }
  return data;
}

/**
 * Writes `<dir>/<name>/horizontal/*.png` and `<dir>/<name>/vertical/*.png` (`perClass` each, `side`
 * pixels square) and, when asked, one corrupt PNG; returns the folder's path.
 */
export async function writeStripesFolder(
  dir: string,
  options: { name?: string; perClass: number; side: number; seed?: number; corrupt?: boolean },
): Promise<string> {
  const root = join(dir, options.name ?? 'stripes');
  const random = seededRandom(options.seed ?? 7);
  for (const [k, cls] of STRIPE_CLASSES.entries()) {
    await mkdir(join(root, cls), { recursive: true });
    for (let i = 0; i < options.perClass; i++)
      await writeFile(
        join(root, cls, `${String(i).padStart(3, '0')}.png`),
        pngFile(options.side, options.side, stripes(options.side, k === 1, random)),
      );
  }
  if (options.corrupt)
    await writeFile(
      join(root, 'vertical', 'broken.png'),
      pngFile(options.side, options.side, stripes(options.side, true, random)).subarray(0, 50),
    );
  return root;
}
