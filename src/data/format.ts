/**
 * Which format a set of files is, from their names: IDX files are named like MNIST's (…-idx3-ubyte,
 * …-idx1-ubyte, optionally .gz, or .idx), CIFAR batches like the binary downloads (data_batch_N.bin,
 * test_batch.bin, train.bin, test.bin and the name lists); anything else is a folder of images, one
 * subfolder per class. Names only: the page decides with it before any byte is read.
 */
import type { StoredFormat } from '../core/training/stored-data';

const baseName = (path: string) => path.split('/').pop()!.toLowerCase();

const IDX_NAME = /(-idx\d-ubyte|\.idx\d?)(\.gz)?$/;
const CIFAR_NAME =
  /^(data_batch_\d+|test_batch)(\.bin)?$|^(train|test)\.bin$|^(batches\.meta|fine_label_names|coarse_label_names)\.txt$|^readme\.html$/;

/** The format a set of files is, by their names. */
export function formatOf(paths: readonly string[]): StoredFormat {
  const names = paths.map(baseName).filter((n) => !n.startsWith('.'));
  if (names.length > 0 && names.every((n) => IDX_NAME.test(n))) return 'idx';
  if (names.length > 0 && names.every((n) => CIFAR_NAME.test(n)) && names.some((n) => n.endsWith('.bin')))
    return 'cifar';
  return 'folder';
}
