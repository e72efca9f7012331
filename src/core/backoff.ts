/** A polling interval that grows while nothing changes and snaps back when something does. */
export class Backoff {
  private delay: number;

  constructor(readonly minMs: number, readonly maxMs: number, readonly factor = 1.5) {
    this.delay = minMs;
  }

  get currentMs(): number {
    return this.delay;
  }

  /** After a poll: back to the minimum if it found something, otherwise a longer wait (capped). */
  next(changed: boolean): number {
    this.delay = changed ? this.minMs : Math.min(this.maxMs, Math.round(this.delay * this.factor));
    return this.delay;
  }

  /** Caps the next wait (without letting it grow past what it is). */
  capAt(ms: number): void {
    this.delay = Math.min(this.delay, Math.max(this.minMs, ms));
  }

  reset(): void {
    this.delay = this.minMs;
  }
}
