/** What is wrong with a file, and where in it; loaders return these instead of throwing. */

export interface FileProblem {
  /** The file's path as given (relative to the folder that was loaded). */
  readonly file: string;
  /** Where in the file, when known: "byte 8", "record 1,204", "frame 0". */
  readonly at?: string;
  readonly message: string;
}

export type Parsed<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: FileProblem };

export const problem = (file: string, message: string, at?: string): { ok: false; problem: FileProblem } => ({
  ok: false,
  problem: at === undefined ? { file, message } : { file, at, message },
});

/** "t10k-images-idx3-ubyte, byte 2: …" */
export const formatProblem = (p: FileProblem): string =>
  `${p.file}${p.at === undefined ? '' : `, ${p.at}`}: ${p.message}`;

/** 1234 → "1,234" */
export const count = (n: number): string => n.toLocaleString('en');
