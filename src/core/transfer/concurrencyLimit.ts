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

/** What one request saw. */
export interface RequestSample {
  /** From sending it to its answer, retries included. */
  latencyMs: number;
  /** Requests in flight when it started (the limit only grows when it is actually used). */
  inFlight: number;
  /**
   * One of its attempts was answered 429 or 503 and retried: its latency includes the retry's
   * wait (Retry-After or back-off), which is not queueing, so it counts as an answer but not as
   * a latency sample.
   */
  retried?: boolean;
}

/** Throttled attempts up to this share of a window's are tolerated: they stop growth, not shrink. */
const toleratedThrottleShare = 0.1;

/**
 * The number of requests a transfer keeps in flight, adapted to the link. Per window (about one
 * limit's worth of answers) it compares the window's median latency with the lowest window
 * median seen (the link's own round trip, without queueing), as TCP Vegas does, and the window's
 * answers per second with those before its last change (what a bulk transfer is after). Medians,
 * not single answers: a few slow ones (a retry's back-off, a stalled connection) are not
 * queueing, and one lucky fast answer on a loaded machine is not a round trip the others can
 * reach. Requests retried after a throttle are left out of the latency altogether.
 * - Latency not inflated (under 1.5× the lowest + 5 ms) and the limit used: grows by a quarter, so
 *   a link 80 ms away reaches hundreds in flight within a second or two.
 * - Latency inflated (requests queue at the service, or this machine is loaded and every answer
 *   is late): answers per second decide. If the last growth raised them by 10% or more, it
 *   paid, and the limit grows by another quarter; if it did not, that growth is undone (a fifth
 *   less), and the limit holds there whatever the latency, trying a quarter more every 10
 *   windows, a try that answers per second alone judge (so a forgotten lowest median does not
 *   ratchet it up). The first inflated window tries at once: a loaded machine 80 ms away still
 *   climbs within a second or two. Never below `latencyFloor` for latency.
 * - 429 or 503 answers from the service (each retry attempt counts; the SDK's retry waits out
 *   their Retry-After): a window with any does not grow. Up to a tenth of its attempts throttled
 *   is tolerated (scattered throttling, a busy partition now and then: the limit holds where it
 *   is); past that, it shrinks by twice the share above a tenth (by at most half), down to 1, so
 *   persistent throttling still backs off to a few or one at a time within a few windows.
 * - Free memory under `lowMemoryBytes` at the end of a window: halves, down to 1.
 * The lowest median is forgotten every 20 windows (it becomes that window's), so a link
 * that got slower is not mistaken for queueing forever.
 */
export class ConcurrencyLimit {
  private current: number;
  private lowestLatency = Infinity;
  private windowStart: number | undefined;
  private windowSamples = 0;
  private windowLatencies: number[] = [];
  private windowPeakInFlight = 0;
  private windows = 0;
  private windowThrottles = 0;
  /** The last change by latency and throughput, the answers per second before it, and windows since (10: a try is due). */
  private last: { action: 'grow' | 'probe' | 'shrink' | 'undone' | 'hold'; rateBefore: number; windows: number } = { action: 'hold', rateBefore: 0, windows: 10 };
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

  /** A request answered (successfully or not). */
  sample(sample: RequestSample): void {
    const now = this.now();
    this.windowStart ??= now - sample.latencyMs;
    this.windowSamples++;
    if (!sample.retried) {
      this.windowLatencies.push(sample.latencyMs);
    }
    this.windowPeakInFlight = Math.max(this.windowPeakInFlight, sample.inFlight);
    if (this.windowSamples >= Math.max(8, this.limit)) this.endWindow(now);
  }

  /** The service answered an attempt 429 or 503. */
  throttled(): void {
    this.windowThrottles++;
  }

  private endWindow(now: number): void {
    const latencies = this.windowLatencies.sort((a, b) => a - b);
    const median = latencies.length > 0 ? latencies[Math.floor(latencies.length / 2)]! : undefined;
    const rate = this.windowSamples / Math.max(1, now - (this.windowStart ?? now));
    if (median !== undefined) this.lowestLatency = Math.min(this.lowestLatency, median);
    const base = this.lowestLatency;
    const used = this.windowPeakInFlight >= 0.8 * this.limit;
    const throttles = this.windowThrottles;
    const attempts = this.windowSamples + throttles;
    this.windows++;
    if (this.windows % 20 === 0 && median !== undefined) this.lowestLatency = median;
    this.windowStart = now;
    this.windowSamples = 0;
    this.windowLatencies = [];
    this.windowPeakInFlight = 0;
    this.windowThrottles = 0;

    if (this.options.freeMemory() < this.options.lowMemoryBytes) {
      this.last = { action: 'shrink', rateBefore: rate, windows: 0 };
      this.set(Math.max(1, this.current / 2));
      return;
    }
    if (throttles > 0) {
      const excess = throttles / attempts - toleratedThrottleShare;
      if (excess > 0) {
        this.last = { action: 'shrink', rateBefore: rate, windows: 0 };
        this.set(Math.max(1, this.current * Math.max(0.5, 1 - 2 * excess)));
      }
      return;
    }
    if (!used || median === undefined) return;
    const grow = (action: 'grow' | 'probe' = 'grow'): void => {
      this.last = { action, rateBefore: rate, windows: 0 };
      this.set(Math.min(this.options.max, Math.max(this.current + 1, this.current * 1.25)));
    };
    const { last } = this;
    const inflated = median > 1.5 * base + 5;
    const tried = last.action === 'grow' || last.action === 'probe';
    if (tried && rate >= 1.1 * last.rateBefore) return grow();
    if (last.action === 'grow' && !inflated) return grow();
    if (tried) {
      this.last = { action: 'undone', rateBefore: rate, windows: 0 };
      if (this.current > this.options.latencyFloor) this.set(Math.max(this.options.latencyFloor, this.current * 0.8));
      return;
    }
    if (!inflated && last.action !== 'undone') return grow();
    if (++last.windows >= 10) grow('probe');
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
