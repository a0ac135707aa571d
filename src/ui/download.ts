import { strToU8, zipSync } from 'fflate';

/** Hands a file to the browser's downloads. */
export function download(
  name: string,
  data: string | ArrayBuffer | Uint8Array<ArrayBuffer>,
  type = 'application/json',
): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Several text files as one .zip download: browsers ask before letting a page start several
 * downloads at once, and files that import each other belong together.
 */
export function downloadZip(
  name: string,
  files: readonly { readonly path: string; readonly text: string }[],
): void {
  const zipped = zipSync(Object.fromEntries(files.map((f) => [f.path, strToU8(f.text)])), { level: 6 });
  download(name, zipped as Uint8Array<ArrayBuffer>, 'application/zip');
}

/** A file name made of safe characters from a graph's name. */
export const safeName = (name: string, fallback = 'graph') =>
  name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-|-$/g, '') || fallback;
