/** Hands a file to the browser's downloads. */
export function download(name: string, data: string | ArrayBuffer, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A file name made of safe characters from a graph's name. */
export const safeName = (name: string, fallback = 'graph') =>
  name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-|-$/g, '') || fallback;
