import type { TransferDirection, TransferProgress } from './types';

/** Throughput is measured over this window, so the rate follows the recent pace. */
const windowMs = 3000;

/**
 * Counts files and bytes as a transfer goes and computes its throughput and time left. Every
 * change calls `onChange` with a fresh snapshot; throttle it where it is shown (throttleProgress).
 */
export class ProgressTracker {
  private filesDone = 0;
  private bytesDone = 0;
  private filesFound = 0;
  private bytesFound = 0;
  private totalsKnown = false;
  private readonly samples: Array<{ at: number; moved: number }> = [];
  private moved = 0;
  private readonly started: number;

  constructor(
    private readonly direction: TransferDirection,
    private readonly onChange: ((progress: TransferProgress) => void) | undefined,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.started = now();
    this.samples.push({ at: this.started, moved: 0 });
  }

  /** A file to transfer was found (by the walk or the listing). */
  found(bytes: number): void {
    this.filesFound++;
    this.bytesFound += bytes;
  }

  /** Everything to transfer has been found. */
  allFound(): void {
    this.totalsKnown = true;
    this.changed();
  }

  /** Bytes sent or received (a block, a whole small file). */
  transferred(bytes: number): void {
    this.bytesDone += bytes;
    this.moved += bytes;
    const at = this.now();
    const last = this.samples.at(-1)!;
    // One sample per 100 ms keeps the window short however many small files finish.
    if (at - last.at >= 100) this.samples.push({ at, moved: this.moved });
    else last.moved = this.moved;
    while (this.samples.length > 2 && at - this.samples[1]!.at > windowMs) this.samples.shift();
    this.changed();
  }

  /** Bytes a resumed transfer had already (done, but not moved now: they do not count towards the speed). */
  alreadyDone(bytes: number): void {
    this.bytesDone += bytes;
    this.changed();
  }

  /** A file finished; `bytesNotTransferred` are its bytes that did not move (skipped or failed files). */
  fileDone(bytesNotTransferred = 0): void {
    this.filesDone++;
    this.bytesDone += bytesNotTransferred;
    this.changed();
  }

  snapshot(): TransferProgress {
    const at = this.now();
    const first = this.samples[0]!;
    const seconds = (at - first.at) / 1000;
    const bytesPerSecond = seconds > 0.2 ? (this.moved - first.moved) / seconds : 0;
    const progress: TransferProgress = {
      direction: this.direction,
      filesDone: this.filesDone,
      bytesDone: this.bytesDone,
      bytesPerSecond,
    };
    if (this.totalsKnown) {
      progress.filesTotal = this.filesFound;
      progress.bytesTotal = this.bytesFound;
      const bytesLeft = Math.max(0, this.bytesFound - this.bytesDone);
      const elapsed = (at - this.started) / 1000;
      const filesPerSecond = elapsed > 0.5 ? this.filesDone / elapsed : 0;
      const byBytes = bytesPerSecond > 0 ? bytesLeft / bytesPerSecond : undefined;
      const byFiles = filesPerSecond > 0 ? (this.filesFound - this.filesDone) / filesPerSecond : undefined;
      // Many small files are limited by requests, large ones by bytes: the slower estimate wins.
      const estimates = [byBytes, byFiles].filter((e): e is number => e !== undefined);
      if (estimates.length > 0) progress.secondsLeft = Math.max(...estimates);
    }
    return progress;
  }

  private changed(): void {
    this.onChange?.(this.snapshot());
  }
}

/**
 * Passes on at most one progress snapshot per `intervalMs` (the latest one); `flush` passes the
 * last pending one at once. VS Code notifications and terminals need no more than five a second.
 */
export function throttleProgress(
  report: (progress: TransferProgress) => void,
  intervalMs = 200,
): { report: (progress: TransferProgress) => void; flush: () => void; flushSpaced: (minGapMs: number) => Promise<void> } {
  let last = 0;
  let pending: TransferProgress | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const emit = (): void => {
    timer = undefined;
    if (!pending) return;
    last = Date.now();
    const p = pending;
    pending = undefined;
    report(p);
  };
  return {
    report(progress) {
      pending = progress;
      if (timer) return;
      const wait = last + intervalMs - Date.now();
      if (wait <= 0) emit();
      else timer = setTimeout(emit, wait);
    },
    flush() {
      if (timer) clearTimeout(timer);
      emit();
    },
    /** Like flush, but no sooner than `minGapMs` after the previous report (for a receiver that itself drops reports that come closer). */
    async flushSpaced(minGapMs) {
      if (timer) clearTimeout(timer);
      timer = undefined;
      if (!pending) return;
      const wait = last + minGapMs - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      emit();
    },
  };
}
