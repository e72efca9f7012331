/** Bounds and knobs of the adaptive limit (see ConcurrencyLimit). */
export interface ConcurrencyLimitOptions {
  /** Where it starts. */
  initial: number;
  /** Never more than this. */
  max: number;
  /**
   * Latency alone never takes the limit below this: on a fast link the queueing it would avoid
   * costs less than the throughput it would lose. Throttling and memory pressure go below it.
   */
  latencyFloor: number;
  /** Free memory below this is pressure: the limit halves. */
  lowMemoryBytes: number;
  /** Free memory of the machine now (os.freemem; a test gives its own). */
  freeMemory: () => number;
}

/** What one request saw. `latencyMs`: from sending it to its answer, retries included. */
export interface RequestSample {
  latencyMs: number;
  /** Requests in flight when it started (the limit only grows when it is actually used). */
  inFlight: number;
}

/**
 * The number of requests a transfer keeps in flight, adapted to the link, in the manner of TCP
 * Vegas: per window (about one limit's worth of answers) it compares the window's mean latency
 * with the lowest seen (the link's own round trip, without queueing).
 * - Not inflated (under 1.5× the lowest + 5 ms) and the limit was used: grows by a quarter, so a
 *   link 80 ms away reaches hundreds in flight within a second or two.
 * - Inflated past 2× the lowest + 10 ms (requests queue at the service or on this machine): shrinks
 *   towards where it was not, by at most 30% per window, not below `latencyFloor`.
 * - A 429 or 503 from the service (each retry attempt counts): halves at once, down to 1, and
 *   does not grow again until the answer's Retry-After has passed and one clean window followed.
 * - Free memory under `lowMemoryBytes` at the end of a window: halves, down to 1.
 * The lowest latency is forgotten every 20 windows (it becomes that window's lowest), so a link
 * that got slower is not mistaken for queueing forever.
 */
export class ConcurrencyLimit {
  private current: number;
  private lowestLatency = Infinity;
  private windowSamples = 0;
  private windowLatencySum = 0;
  private windowLowest = Infinity;
  private windowPeakInFlight = 0;
  private windows = 0;
  private throttledInWindow = false;
  private holdUntil = 0;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: ConcurrencyLimitOptions, private readonly now: () => number = () => performance.now()) {
    this.current = clamp(options.initial, 1, options.max);
  }

  get limit(): number {
    return Math.floor(this.current);
  }

  /** Called when the limit grows (waiting requests may start). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A request answered (successfully or not, but not throttled). */
  sample(sample: RequestSample): void {
    this.windowSamples++;
    this.windowLatencySum += sample.latencyMs;
    this.windowLowest = Math.min(this.windowLowest, sample.latencyMs);
    this.lowestLatency = Math.min(this.lowestLatency, sample.latencyMs);
    this.windowPeakInFlight = Math.max(this.windowPeakInFlight, sample.inFlight);
    if (this.windowSamples >= Math.max(8, this.limit)) this.endWindow();
  }

  /** The service answered 429 or 503: back off at once. `retryAfterMs` from its Retry-After, if any. */
  throttled(retryAfterMs = 0): void {
    this.holdUntil = Math.max(this.holdUntil, this.now() + retryAfterMs);
    if (this.throttledInWindow) return;
    this.throttledInWindow = true;
    this.set(Math.max(1, this.current / 2));
  }

  private endWindow(): void {
    const mean = this.windowLatencySum / this.windowSamples;
    const base = this.lowestLatency;
    const used = this.windowPeakInFlight >= 0.8 * this.limit;
    const throttled = this.throttledInWindow;
    this.windows++;
    if (this.windows % 20 === 0) this.lowestLatency = this.windowLowest;
    this.windowSamples = 0;
    this.windowLatencySum = 0;
    this.windowLowest = Infinity;
    this.windowPeakInFlight = 0;
    this.throttledInWindow = false;

    if (this.options.freeMemory() < this.options.lowMemoryBytes) {
      this.set(Math.max(1, this.current / 2));
      return;
    }
    if (throttled || this.now() < this.holdUntil) return;
    if (mean > 2 * base + 10) {
      if (this.current > this.options.latencyFloor) {
        const towards = Math.max(0.7, (2 * base + 10) / mean);
        this.set(Math.max(this.options.latencyFloor, this.current * towards));
      }
      return;
    }
    if (used && mean <= 1.5 * base + 5) this.set(Math.min(this.options.max, Math.max(this.current + 1, this.current * 1.25)));
  }

  private set(value: number): void {
    const grew = Math.floor(value) > this.limit;
    this.current = value;
    if (grew) for (const listener of this.listeners) listener();
  }
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
