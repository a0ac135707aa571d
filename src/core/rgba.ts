/** An image as plain RGBA bytes, row by row: what the page puts on a canvas and the CLI writes as PNG. */
export interface Rgba {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray;
}
