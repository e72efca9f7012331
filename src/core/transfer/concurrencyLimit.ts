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
 * The number of requests a transfer keeps in flight, adapted to the link. Per window (about one
 * limit's worth of answers) it compares the window's mean latency with the lowest seen (the
 * link's own round trip, without queueing), as TCP Vegas does, and the window's answers per
 * second with those before its last change (what a bulk transfer is after):
 * - Latency not inflated (under 1.5× the lowest + 5 ms) and the limit used: grows by a quarter, so
 *   a link 80 ms away reaches hundreds in flight within a second or two.
 * - Latency inflated (past 2× the lowest + 10 ms: requests queue at the service or on this
 *   machine): if the last growth raised the answers per second by 10% or more, it still pays,
 *   and grows by a tenth; if it did not, that growth is undone (a fifth less), and the limit
 *   holds there, trying a tenth more every 10 windows. Never below `latencyFloor` for latency.
 * - 429 or 503 answers from the service (each retry attempt counts; the SDK's retry waits out
 *   their Retry-After): the window does not grow, and shrinks by twice the share of its attempts
 *   that were throttled (by at most half), down to 1. Scattered throttling so settles where a
 *   window is often clean (a handful in flight), persistent throttling goes down to one at a time.
 * - Free memory under `lowMemoryBytes` at the end of a window: halves, down to 1.
 * The lowest latency is forgotten every 20 windows (it becomes that window's lowest), so a link
 * that got slower is not mistaken for queueing forever.
 */
export class ConcurrencyLimit {
  private current: number;
  private lowestLatency = Infinity;
  private windowStart: number | undefined;
  private windowSamples = 0;
  private windowLatencySum = 0;
  private windowLowest = Infinity;
  private windowPeakInFlight = 0;
  private windows = 0;
  private windowThrottles = 0;
  /** The last change by latency and throughput, and the answers per second before it. */
  private last: { action: 'grow' | 'shrink' | 'hold'; rateBefore: number; windows: number } = { action: 'hold', rateBefore: 0, windows: 0 };
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
    const now = this.now();
    this.windowStart ??= now - sample.latencyMs;
    this.windowSamples++;
    this.windowLatencySum += sample.latencyMs;
    this.windowLowest = Math.min(this.windowLowest, sample.latencyMs);
    this.lowestLatency = Math.min(this.lowestLatency, sample.latencyMs);
    this.windowPeakInFlight = Math.max(this.windowPeakInFlight, sample.inFlight);
    if (this.windowSamples >= Math.max(8, this.limit)) this.endWindow(now);
  }

  /** The service answered an attempt 429 or 503. */
  throttled(): void {
    this.windowThrottles++;
  }

  private endWindow(now: number): void {
    const mean = this.windowLatencySum / this.windowSamples;
    const rate = this.windowSamples / Math.max(1, now - (this.windowStart ?? now));
    const base = this.lowestLatency;
    const used = this.windowPeakInFlight >= 0.8 * this.limit;
    const throttles = this.windowThrottles;
    const attempts = this.windowSamples + throttles;
    this.windows++;
    if (this.windows % 20 === 0) this.lowestLatency = this.windowLowest;
    this.windowStart = now;
    this.windowSamples = 0;
    this.windowLatencySum = 0;
    this.windowLowest = Infinity;
    this.windowPeakInFlight = 0;
    this.windowThrottles = 0;

    if (this.options.freeMemory() < this.options.lowMemoryBytes) {
      this.last = { action: 'shrink', rateBefore: rate, windows: 0 };
      this.set(Math.max(1, this.current / 2));
      return;
    }
    if (throttles > 0) {
      this.last = { action: 'shrink', rateBefore: rate, windows: 0 };
      this.set(Math.max(1, this.current * Math.max(0.5, 1 - (2 * throttles) / attempts)));
      return;
    }
    if (!used) return;
    const grow = (factor: number): void => {
      this.last = { action: 'grow', rateBefore: rate, windows: 0 };
      this.set(Math.min(this.options.max, Math.max(this.current + 1, this.current * factor)));
    };
    if (mean <= 1.5 * base + 5) return grow(1.25);
    if (mean <= 2 * base + 10) return;
    const { last } = this;
    last.windows++;
    if (last.action === 'grow' && rate >= 1.1 * last.rateBefore) return grow(1.1);
    if (last.action === 'grow') {
      this.last = { action: 'shrink', rateBefore: rate, windows: 0 };
      if (this.current > this.options.latencyFloor) this.set(Math.max(this.options.latencyFloor, this.current * 0.8));
      return;
    }
    if (last.windows >= 10) grow(1.1);
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
