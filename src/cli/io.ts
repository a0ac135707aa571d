/** Where a command writes: standard output, errors, and a progress line that replaces itself. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** A line that replaces the previous one (progress bars). */
  progress?(text: string): void;
}
