/**
 * Every bound on loading data, in one place, each with its reason. Files are untrusted: their headers
 * are checked against these before anything is allocated or decoded.
 */

/**
 * The most pixel storage one dataset may hold (training and validation together): 512 MiB. It fits
 * the full CIFAR-10 or CIFAR-100 (60,000 × 32×32×3 = 184 MB as bytes) and MNIST (70,000 × 28×28 =
 * 55 MB) with room to spare, or about 10,000 colour images at 128×128; as float32 the same CIFAR
 * would take 737 MB. Half a gigabyte leaves the rest of a browser tab's memory to the model, its
 * gradients and the decoding of one file at a time.
 */
export const DATASET_BYTES_LIMIT = 512 * 1024 * 1024;

/** The most files one folder load looks at (ImageNet's training set has 1.28 million; this is a tenth). */
export const FILE_COUNT_LIMIT = 200_000;

/** The largest image file read (a 50-megapixel camera JPEG is about 25 MB). */
export const FILE_BYTES_LIMIT = 64 * 1024 * 1024;

/**
 * The most pixels an image header may claim: 50 megapixels (8,660 × 5,773 and the like), as from
 * today's largest phone cameras. Decoded as RGBA that is 200 MB, decoded and freed one file at a time.
 */
export const IMAGE_PIXELS_LIMIT = 50_000_000;

/** The largest IDX or CIFAR file read, compressed or not: the biggest real one (CIFAR-100's train.bin) is 154 MB. */
export const ARCHIVE_BYTES_LIMIT = 1024 * 1024 * 1024;

/** "1.2 GB" */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : Number(value.toPrecision(3))} ${units[unit]}`;
}

/**
 * Null when `count` images of `height × width × channels` values, at `bytesPerValue`, fit in
 * DATASET_BYTES_LIMIT; otherwise what they would need and what to change.
 */
export function datasetSizeProblem(
  count: number,
  height: number,
  width: number,
  channels: number,
  bytesPerValue = 1,
): string | null {
  const bytes = count * height * width * channels * bytesPerValue;
  if (bytes <= DATASET_BYTES_LIMIT) return null;
  const fits = Math.floor(DATASET_BYTES_LIMIT / (height * width * channels * bytesPerValue));
  return `${count.toLocaleString('en')} images of ${height}×${width}×${channels} need ${formatBytes(bytes)}, more than the ${formatBytes(DATASET_BYTES_LIMIT)} a dataset may hold in memory; at this size ${fits.toLocaleString('en')} images fit. Use fewer images or a smaller input size.`;
}
