import { describe, expect, it } from 'vitest';
import { orient } from '../../src/data/decode';
import type { RawImage } from '../../src/data/resize';
import { fitImage, placement } from '../../src/data/resize';

const grey = (width: number, height: number, values: number[]): RawImage => ({
  width,
  height,
  channels: 1,
  data: Uint8Array.from(values),
});
const G1 = { channels: 1 as const };

describe('fitting images to the input node', () => {
  it('stretch shrinks by averaging areas: a 4×4 to 2×2 is the mean of each 2×2 block', () => {
    const image = grey(4, 4, [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150]);
    // Top-left block 0, 10, 40, 50 → 25; top-right 20, 30, 60, 70 → 45; …
    expect(Array.from(fitImage(image, { height: 2, width: 2, ...G1 }, 'stretch'))).toEqual([
      25, 45, 105, 125,
    ]);
  });

  it('weights partly covered pixels by how much of them an output pixel covers (3 → 2)', () => {
    // Output 0 covers [0, 1.5): 0 fully and half of 30 → (0 + 0.5·30) / 1.5 = 10; output 1: (0.5·30 + 60) / 1.5 = 50.
    expect(Array.from(fitImage(grey(3, 1, [0, 30, 60]), { height: 1, width: 2, ...G1 }, 'stretch'))).toEqual([
      10, 50,
    ]);
  });

  it('enlarges bilinearly between pixel centres, edges repeated (2 → 4)', () => {
    // Output centres map to −0.25, 0.25, 0.75, 1.25: 0, ¾·0 + ¼·100, ¼·0 + ¾·100, 100.
    expect(Array.from(fitImage(grey(2, 1, [0, 100]), { height: 1, width: 4, ...G1 }, 'stretch'))).toEqual([
      0, 25, 75, 100,
    ]);
  });

  it('centre-crop keeps the middle of the longer side, in whole pixels', () => {
    const image = grey(4, 2, [1, 2, 3, 4, 5, 6, 7, 8]);
    expect(placement(image, { height: 2, width: 2, ...G1 }, 'centre-crop').from).toEqual({
      x: 1,
      y: 0,
      w: 2,
      h: 2,
    });
    expect(Array.from(fitImage(image, { height: 2, width: 2, ...G1 }, 'centre-crop'))).toEqual([2, 3, 6, 7]);
    // 5 wide: the crop starts at floor((5 − 3) / 2) = 1.
    const five = grey(5, 3, [0, 1, 2, 3, 4, 10, 11, 12, 13, 14, 20, 21, 22, 23, 24]);
    expect(Array.from(fitImage(five, { height: 3, width: 3, ...G1 }, 'centre-crop'))).toEqual([
      1, 2, 3, 11, 12, 13, 21, 22, 23,
    ]);
  });

  it('letterbox fits the longer side and pads the shorter with black, equally', () => {
    const image = grey(4, 2, [1, 2, 3, 4, 5, 6, 7, 8]);
    expect(Array.from(fitImage(image, { height: 4, width: 4, ...G1 }, 'letterbox'))).toEqual([
      0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0,
    ]);
    // Shrunk by 2 into a 2×2 box: one row of block means (1+2+5+6)/4 = 3.5 → 4 and (3+4+7+8)/4 = 5.5 → 6, then a black row.
    expect(Array.from(fitImage(image, { height: 2, width: 2, ...G1 }, 'letterbox'))).toEqual([4, 6, 0, 0]);
  });

  it('lays transparent pixels on black and makes greyscale as 0.299 R + 0.587 G + 0.114 B', () => {
    const rgba: RawImage = {
      width: 2,
      height: 1,
      channels: 4,
      data: Uint8Array.from([200, 100, 50, 128, 255, 0, 0, 255]),
    };
    // 200·128/255 = 100.4 → 100; 100·128/255 = 50.2 → 50; 50·128/255 = 25.1 → 25.
    expect(Array.from(fitImage(rgba, { height: 1, width: 2, channels: 3 }, 'stretch'))).toEqual([
      100, 50, 25, 255, 0, 0,
    ]);
    // Grey of (255, 0, 0) is 76.245 → 76; of the half-transparent pixel 0.299·100.39 + 0.587·50.20 + 0.114·25.10 = 62.36 → 62.
    expect(Array.from(fitImage(rgba, { height: 1, width: 2, channels: 1 }, 'stretch'))).toEqual([62, 76]);
    // Greyscale to RGB repeats the value.
    expect(Array.from(fitImage(grey(1, 1, [9]), { height: 1, width: 1, channels: 3 }, 'stretch'))).toEqual([
      9, 9, 9,
    ]);
  });
});

describe('EXIF orientation', () => {
  // Stored 3 wide, 2 high:  a b c / d e f
  const stored = grey(3, 2, [1, 2, 3, 4, 5, 6]);
  it('6 turns the stored image a quarter clockwise', () => {
    const o = orient(stored, 6);
    expect([o.width, o.height]).toEqual([2, 3]);
    expect(Array.from(o.data)).toEqual([4, 1, 5, 2, 6, 3]);
  });
  it('3 turns it half way, 2 mirrors it, 8 a quarter anticlockwise', () => {
    expect(Array.from(orient(stored, 3).data)).toEqual([6, 5, 4, 3, 2, 1]);
    expect(Array.from(orient(stored, 2).data)).toEqual([3, 2, 1, 6, 5, 4]);
    expect(Array.from(orient(stored, 8).data)).toEqual([3, 6, 2, 5, 1, 4]);
    expect(orient(stored, 1)).toBe(stored);
  });
});
