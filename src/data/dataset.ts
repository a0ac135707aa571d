/** An image classification dataset held in memory, NHWC float32 in [0, 1]. */
export interface Split {
  readonly count: number;
  /** count × height × width × channels values. */
  readonly images: Float32Array;
  readonly labels: Int32Array;
  /** Per image [x0, y0, x1, y1] in pixels (exclusive ends) of the object, when known. */
  readonly boxes?: Float32Array;
}

export interface ImageDataset {
  readonly name: string;
  readonly classes: readonly string[];
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly train: Split;
  readonly validation: Split;
}
