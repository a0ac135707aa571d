/**
 * Every bound on loading data, each with its reason. Files are untrusted: their headers are checked
 * against these before anything is allocated or decoded.
 *
 * The memory a dataset may take is the one DATASET_BYTES_LIMIT (1 GiB) that the built-in data obeys
 * too. Images read from files are stored as bytes, so it holds four times the images that float32
 * would: 50,000 of 32×32×3 take 146 MB (586 MB as float32), the whole of CIFAR-10 or CIFAR-100 176 MB,
 * MNIST 52 MB, about 21,000 colour images at 128×128.
 */
import { DATASET_BYTES_LIMIT } from '../core/training/data';

/** The most files one folder load looks at (ImageNet's training set has 1.28 million; this is a tenth). */
export const FILE_COUNT_LIMIT = 200_000;

/** The largest image file read (a 50-megapixel camera JPEG is about 25 MB). */
export const FILE_BYTES_LIMIT = 64 * 1024 * 1024;

/**
 * The most pixels an image header may claim: 50 megapixels (8,660 × 5,773 and the like), as from
 * today's largest phone cameras. Decoded as RGBA that is 200 MB, decoded and freed one file at a time.
 */
export const IMAGE_PIXELS_LIMIT = 50_000_000;

/** The largest IDX or CIFAR file read, compressed or not: the biggest real one (CIFAR-100's train.bin) is 147 MB. */
export const ARCHIVE_BYTES_LIMIT = 1024 * 1024 * 1024;

/** "1.2 GB", in units of 1,024 as file managers count. */
export function formatBytes(bytes: number, digits = 3): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : Number(value.toPrecision(digits))} ${units[unit]}`;
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
  // Enough digits that the need never reads the same as the limit.
  let digits = 3;
  while (digits < 8 && formatBytes(bytes, digits) === formatBytes(DATASET_BYTES_LIMIT, digits)) digits++;
  return `${count.toLocaleString('en')} images of ${height}×${width}×${channels} need ${formatBytes(bytes, digits)}, more than the ${formatBytes(DATASET_BYTES_LIMIT)} a dataset may hold in memory; at this size ${fits.toLocaleString('en')} images fit. Use fewer images or a smaller input size.`;
}
