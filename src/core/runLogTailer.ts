import * as l10n from '@vscode/l10n';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunDetails, RunError, RunWarning } from '../azure/domain';
import { isTerminalJobStatus } from '../azure/jobs';
import { maskSecrets } from '../azure/secrets';
import { Backoff } from './backoff';
import { LineSplitter } from './lineSplitter';
import type { StorageIdentity } from '../azure/identityFallback';
import { defaultLogChunkBytes, fetchRange, LogReadError, rangeReaderWithIdentity, type RangeReader } from './logRangeReader';

/**
 * How often the tailer asks. Logs: every `logMinMs` while output arrives, ×`factor` after each
 * read that found nothing, at most `logMaxMs`. RunDetails (status, log list): first at once,
 * then every `detailsMinMs` ×`factor` while nothing changes, at most `detailsMaxMs`; a status
 * change or a new log file snaps it back to `detailsMinMs`, and while output arrives it waits
 * at most `detailsWhileOutputMs` (so the end of a chatty run shows promptly).
 */
export interface RunLogSchedule {
  logMinMs: number;
  logMaxMs: number;
  detailsMinMs: number;
  detailsMaxMs: number;
  detailsWhileOutputMs: number;
  factor: number;
}

export const defaultRunLogSchedule: Readonly<RunLogSchedule> = {
  logMinMs: 500,
  logMaxMs: 5_000,
  detailsMinMs: 500,
  detailsMaxMs: 10_000,
  detailsWhileOutputMs: 2_000,
  factor: 1.5,
};

export interface RunStatusChange {
  status: string;
  /** Undefined for the first status seen. */
  previous: string | undefined;
  details: RunDetails;
}

/** What a tail reports as it happens. Listeners must not throw. */
export interface RunLogListener {
  onStatus?(change: RunStatusChange): void;
  /**
   * Complete lines of one log, in order; never repeated, never skipped. Lines come a read piece
   * at a time (at most `logChunkBytes` of log); a progress bar redrawn with `\r` shows as its
   * latest state on each read (see LineSplitter). The tail waits for a returned promise before
   * reading on, so a slow consumer (a full stdout pipe) holds the reading back; anything else
   * it returns is ignored.
   */
  onLines?(lines: string[], logName: string): unknown;
  onWarning?(message: string): void;
}

/** What the service lets us read: run history's RunDetails. */
export interface RunDetailsSource {
  getRunDetails(runId: string): Promise<RunDetails>;
}

export interface RunLogTailerOptions {
  runId: string;
  source: RunDetailsSource;
  listener?: RunLogListener;
  readRange?: RangeReader;
  /** Who reads the logs when their storage refuses the log URLs' SAS (key access disabled). */
  storageIdentity?: StorageIdentity;
  schedule?: Partial<RunLogSchedule>;
  /** Failed RunDetails polls in a row (network, 5xx) before the tail gives up. */
  maxConsecutiveFailures?: number;
  /** How many of the last lines a failed run's summary keeps. */
  failingLineCount?: number;
  /** The most one log read asks for; a longer log is read in pieces of this size. */
  logChunkBytes?: number;
}

export interface RunSummary {
  runId: string;
  status: string;
  /** Whether the run had reached a terminal status (false for a one-shot read of an active run). */
  finished: boolean;
  startTime?: Date;
  endTime?: Date;
  durationMs?: number;
  error?: RunError;
  warnings: RunWarning[];
  /** The last lines of the log, for a run that failed. */
  failingLines: string[];
  /** Bytes received by log reads (what crossed the wire). */
  bytesFetched: number;
  /** Total size of the logs read. */
  logBytes: number;
  requests: { details: number; logReads: number };
}

/** `user_logs/std_log.txt`, or rank 0 of a distributed run (`std_log_process_0.txt`), as azure-ai-ml picks them. */
const stdLogPattern = /^user_logs\/std_log[\D]*[0]*(?:_ps)?\.txt$/;
/** Jobs from before user_logs existed. */
const legacyLogPattern = /^azureml-logs\/\d{2}.+\.txt$/;

/** The log files a tail follows, in the order they are shown. */
export function selectStdLogs(logFiles: Readonly<Record<string, string>>): string[] {
  const names = Object.keys(logFiles).sort();
  const std = names.filter((n) => stdLogPattern.test(n));
  return std.length > 0 ? std : names.filter((n) => legacyLogPattern.test(n));
}

interface FollowedLog {
  name: string;
  url: string;
  offset: number;
  splitter: LineSplitter;
  failing: boolean;
}

function isFatal(error: unknown): boolean {
  const status = (error as { status?: number }).status;
  return status === 401 || status === 403 || status === 404;
}

/**
 * Follows one run: polls RunDetails for status and log URLs, reads only the new bytes of each
 * std_log with HTTP range requests of at most `logChunkBytes`, and reports status changes and
 * complete lines (piece by piece) until the run ends. Memory stays bounded by the piece size
 * whatever the log's size. Works for any service whose log URLs carry their own SAS (Azure and local).
 */
export class RunLogTailer {
  private readonly schedule: RunLogSchedule;
  private readonly readRange: RangeReader;
  private readonly logs = new Map<string, FollowedLog>();
  private readonly lastLines: string[] = [];
  private readonly seenWarnings = new Set<string>();
  private status: string | undefined;
  private details: RunDetails | undefined;
  private bytesFetched = 0;
  private detailsRequests = 0;
  private logReads = 0;
  private detailsFailures = 0;
  private wakeUp = new AbortController();
  private pollSoon = false;

  constructor(private readonly options: RunLogTailerOptions) {
    this.schedule = { ...defaultRunLogSchedule, ...options.schedule };
    this.readRange = options.readRange ?? (options.storageIdentity ? rangeReaderWithIdentity(options.storageIdentity) : fetchRange);
  }

  get currentStatus(): string | undefined {
    return this.status;
  }

  /**
   * Asks for the run's details now instead of after the current wait (an event said the run
   * changed), so a run that ended stops being polled without waiting out the backoff.
   */
  pollNow(): void {
    this.pollSoon = true;
    this.wakeUp.abort();
  }

  /** Follows the run until it reaches a terminal status; rejects with an AbortError when `signal` aborts. */
  async follow(signal?: AbortSignal): Promise<RunSummary> {
    const s = this.schedule;
    const logBackoff = new Backoff(s.logMinMs, s.logMaxMs, s.factor);
    const detailsBackoff = new Backoff(s.detailsMinMs, s.detailsMaxMs, s.factor);
    let nextDetailsAt = 0;
    let nextLogsAt = 0;
    for (;;) {
      signal?.throwIfAborted();
      if (this.pollSoon) {
        this.pollSoon = false;
        nextDetailsAt = 0;
      }
      if (Date.now() >= nextDetailsAt) {
        const details = await this.pollDetails(signal);
        let changed = false;
        if (details) {
          const change = this.applyDetails(details);
          if (isTerminalJobStatus(details.status)) break;
          if (change.newLogs) nextLogsAt = 0;
          changed = change.status || change.newLogs;
        }
        nextDetailsAt = Date.now() + detailsBackoff.next(changed);
      }
      if (this.logs.size > 0 && Date.now() >= nextLogsAt) {
        const gotOutput = await this.readLogs(signal);
        if (gotOutput) {
          detailsBackoff.capAt(s.detailsWhileOutputMs);
          nextDetailsAt = Math.min(nextDetailsAt, Date.now() + s.detailsWhileOutputMs);
        }
        nextLogsAt = Date.now() + logBackoff.next(gotOutput);
      }
      const wakeAt = this.logs.size > 0 ? Math.min(nextDetailsAt, nextLogsAt) : nextDetailsAt;
      const wait = wakeAt - Date.now();
      if (wait > 0 && !this.pollSoon) await this.sleepUnlessWoken(wait, signal);
    }
    // The run has ended: whatever was written before that is read now, partial last lines included.
    await this.readToEnd(signal);
    await this.flushPartialLines();
    return this.summary(true);
  }

  private async sleepUnlessWoken(ms: number, signal: AbortSignal | undefined): Promise<void> {
    if (this.wakeUp.signal.aborted) this.wakeUp = new AbortController();
    const woken = this.wakeUp.signal;
    try {
      await sleep(ms, undefined, { signal: signal ? AbortSignal.any([signal, woken]) : woken });
    } catch (error) {
      signal?.throwIfAborted();
      if (!woken.aborted) throw error;
    }
  }

  /**
   * The last read of a finished run's logs. A read that fails is tried again (after the shortest
   * log wait) rather than dropping the log's last lines; after `maxConsecutiveFailures` tries the
   * tail ends with a warning that says the end is missing.
   */
  private async readToEnd(signal: AbortSignal | undefined): Promise<void> {
    const tries = this.options.maxConsecutiveFailures ?? 10;
    for (let attempt = 1; ; attempt++) {
      await this.readLogs(signal);
      const failing = [...this.logs.values()].filter((log) => log.failing);
      if (failing.length === 0) return;
      if (attempt >= tries) {
        for (const log of failing) this.warn(l10n.t('{0}: the end of the log could not be read; it stops at byte {1}.', log.name, log.offset));
        return;
      }
      await sleep(this.schedule.logMinMs, undefined, signal ? { signal } : {});
    }
  }

  /** Reads the run's status and its logs as they are now, once (`azml logs` without --follow). */
  async readOnce(signal?: AbortSignal): Promise<RunSummary> {
    this.applyDetails(await this.fetchDetails());
    await this.readLogs(signal);
    await this.flushPartialLines();
    return this.summary(isTerminalJobStatus(this.status ?? ''));
  }

  private async fetchDetails(): Promise<RunDetails> {
    this.detailsRequests++;
    return this.options.source.getRunDetails(this.options.runId);
  }

  /** RunDetails, or undefined after a transient failure (reported once per streak). */
  private async pollDetails(signal: AbortSignal | undefined): Promise<RunDetails | undefined> {
    try {
      const details = await this.fetchDetails();
      this.detailsFailures = 0;
      return details;
    } catch (error) {
      signal?.throwIfAborted();
      this.detailsFailures++;
      if (isFatal(error) || this.detailsFailures >= (this.options.maxConsecutiveFailures ?? 10)) throw error;
      if (this.detailsFailures === 1) this.warn(l10n.t('Could not read the run\'s status ({0}); trying again.', (error as Error).message));
      return undefined;
    }
  }

  private applyDetails(details: RunDetails): { status: boolean; newLogs: boolean } {
    this.details = details;
    const previous = this.status;
    const statusChanged = details.status !== previous;
    this.status = details.status;
    if (statusChanged) this.options.listener?.onStatus?.({ status: details.status, previous, details });
    let newLogs = false;
    for (const name of selectStdLogs(details.logFiles)) {
      const url = details.logFiles[name]!;
      const known = this.logs.get(name);
      if (known) {
        // SAS URLs are re-signed on every answer; the newest one is the one to use.
        known.url = url;
      } else {
        this.logs.set(name, { name, url, offset: 0, splitter: new LineSplitter(), failing: false });
        newLogs = true;
      }
    }
    for (const warning of details.warnings) {
      if (this.seenWarnings.has(warning.message)) continue;
      this.seenWarnings.add(warning.message);
      this.warn(warning.source ? `${warning.source}: ${warning.message}` : warning.message);
    }
    return { status: statusChanged, newLogs };
  }

  /** Reads every followed log from where it stopped; true when any had new bytes. */
  private async readLogs(signal: AbortSignal | undefined): Promise<boolean> {
    let gotOutput = false;
    for (const log of this.logs.values()) {
      if (await this.readLog(log, signal)) gotOutput = true;
    }
    return gotOutput;
  }

  /**
   * Reads one log from where it stopped, a piece of at most `logChunkBytes` at a time, handing
   * on each piece's lines before asking for the next: up to the length the first answer gave
   * (what the log held when this read began), or until an answer comes back short.
   */
  private async readLog(log: FollowedLog, signal: AbortSignal | undefined): Promise<boolean> {
    const chunk = Math.max(1, Math.floor(this.options.logChunkBytes ?? defaultLogChunkBytes));
    let gotOutput = false;
    let until: number | undefined;
    for (;;) {
      this.logReads++;
      let more = false;
      try {
        const result = await this.readRange(log.url, log.offset, signal, chunk);
        log.failing = false;
        if (result.kind === 'missing') return gotOutput;
        this.bytesFetched += result.fetchedBytes;
        if (result.kind === 'none') return gotOutput;
        log.offset += result.bytes.length;
        gotOutput = true;
        until ??= result.size;
        more = until !== undefined ? log.offset < until : result.bytes.length >= chunk;
        await this.emitLines(log, log.splitter.push(result.bytes));
      } catch (error) {
        signal?.throwIfAborted();
        if (!(error instanceof LogReadError)) throw error;
        if (!log.failing) this.warn(`${log.name}: ${error.message}`);
        log.failing = true;
        return gotOutput;
      }
      if (!more) return gotOutput;
      signal?.throwIfAborted();
    }
  }

  private async flushPartialLines(): Promise<void> {
    for (const log of this.logs.values()) await this.emitLines(log, log.splitter.flush());
  }

  private async emitLines(log: FollowedLog, read: string[]): Promise<void> {
    if (read.length === 0) return;
    // A script may print a connection string or a SAS URL; no reader of the log (a terminal, a CI log) should get it.
    // Lines are whole (the splitter cuts at line ends), so a secret cut in two by a read is masked all the same.
    const lines = read.map(maskSecrets);
    const keep = this.options.failingLineCount ?? 20;
    this.lastLines.push(...lines.slice(-keep));
    if (this.lastLines.length > keep) this.lastLines.splice(0, this.lastLines.length - keep);
    await this.options.listener?.onLines?.(lines, log.name);
  }

  private warn(message: string): void {
    this.options.listener?.onWarning?.(maskSecrets(message));
  }

  private summary(finished: boolean): RunSummary {
    const details = this.details;
    const status = this.status ?? 'Unknown';
    const start = details?.startTime;
    const end = details?.endTime;
    const summary: RunSummary = {
      runId: this.options.runId,
      status,
      finished,
      warnings: details?.warnings ?? [],
      failingLines: status === 'Failed' ? [...this.lastLines] : [],
      bytesFetched: this.bytesFetched,
      logBytes: [...this.logs.values()].reduce((sum, log) => sum + log.offset, 0),
      requests: { details: this.detailsRequests, logReads: this.logReads },
    };
    if (start) summary.startTime = start;
    if (end) summary.endTime = end;
    if (start && end) summary.durationMs = Math.max(0, end.getTime() - start.getTime());
    if (details?.error) summary.error = details.error;
    return summary;
  }
}
