/** A gate a long loop waits at between steps: open unless paused; stop opens it for good. */
export class PauseGate {
  private closed: { promise: Promise<void>; open(): void } | undefined;

  get paused(): boolean {
    return this.closed !== undefined;
  }

  pause(): void {
    if (this.closed !== undefined) return;
    let open = () => {};
    const promise = new Promise<void>((resolve) => (open = resolve));
    this.closed = { promise, open };
  }

  resume(): void {
    this.closed?.open();
    this.closed = undefined;
  }

  /** Resolves at once when open, otherwise when resumed. */
  async wait(): Promise<void> {
    while (this.closed !== undefined) await this.closed.promise;
  }
}
