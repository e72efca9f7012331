import * as vscode from 'vscode';
import type { Job } from '../../azure/domain';
import type { WorkspaceClient } from '../../azure/workspaceClient';
import type { ActiveWorkspace } from '../../connection/connection';
import { loadAzureModules } from '../../connection/loadAzureModules';
import type { RunLogSchedule, RunSummary } from '../../core/runLogTailer';
import { clockPrefix, runSummaryLines } from '../../core/runSummaryText';
import { runStatusText } from '../../core/runStatusText';
import type { Log } from '../../ui/log';
import { RunLog } from '../../ui/runLog';
import { RunStatusBar } from '../../ui/runStatusBar';
import { announceRunEnd } from './announceRunEnd';

/** A run being followed, remembered across restarts so it can be followed again. */
export interface WatchedRunRef {
  jobName: string;
  workspace: ActiveWorkspace;
}

const watchedRunsKey = 'azureml.watchedRuns';
/** Run logs kept open; older finished ones are closed. */
const maxRunLogs = 10;

function sameWorkspace(a: ActiveWorkspace, b: ActiveWorkspace): boolean {
  return a.connectionKind === b.connectionKind && a.subscriptionId === b.subscriptionId
    && a.resourceGroup.toLowerCase() === b.resourceGroup.toLowerCase() && a.workspaceName === b.workspaceName;
}

/** One followed run: its log, its latest status and, once it ended, its summary. */
export class RunWatch {
  status: string | undefined;
  summary: RunSummary | undefined;
  runStart: Date | undefined;
  readonly followingSince = new Date();
  readonly controller = new AbortController();
  done: Promise<RunSummary | undefined> = Promise.resolve(undefined);
  /** An event said the run ended (so it stopped waiting for its next poll). */
  endedByEvent = false;
  /** Asks the run's status now rather than after the current wait. */
  pollNow: () => void = () => undefined;

  constructor(readonly jobName: string, readonly workspace: ActiveWorkspace, readonly log: RunLog, public studioUrl: string | undefined) {}

  get active(): boolean {
    return !this.controller.signal.aborted && this.summary === undefined;
  }

  stop(): void {
    this.controller.abort();
  }
}

export interface WatchOptions {
  /** The job as submitted or listed (for its studio link), when known. */
  job?: Job;
  /** Lines written before the log (what was submitted, the snapshot). */
  intro?: readonly string[];
  reveal?: boolean;
}

/**
 * Follows runs: one RunLogTailer and one run log per run, a status bar item for the latest,
 * the Experiments view refreshed when a status changes. Which runs are followed is kept in
 * global state, so after a restart they can be followed again.
 */
export class RunWatchers implements vscode.Disposable {
  private readonly watches = new Map<string, RunWatch>();
  readonly statusBar = new RunStatusBar();
  private refreshTimer: NodeJS.Timeout | undefined;
  /** How often runs are polled (the tailer's defaults unless set; tests stretch it to see events end runs). */
  tailSchedule: Partial<RunLogSchedule> | undefined;

  constructor(
    private readonly state: vscode.Memento,
    private readonly refreshExperiments: () => void,
    private readonly log: Log,
  ) {}

  get(jobName: string): RunWatch | undefined {
    return this.watches.get(jobName);
  }

  /** Runs that were being followed when the window closed (or still are). */
  remembered(): WatchedRunRef[] {
    return this.state.get<WatchedRunRef[]>(watchedRunsKey) ?? [];
  }

  private async remember(ref: WatchedRunRef, keep: boolean): Promise<void> {
    const others = this.remembered().filter((r) => !(r.jobName === ref.jobName && sameWorkspace(r.workspace, ref.workspace)));
    await this.state.update(watchedRunsKey, keep ? [...others, ref] : others);
  }

  /**
   * Follows a run in its run log from the start of its log (a run already followed just shows
   * its log). Resolves once following has begun; `watch.done` settles when the run ends.
   */
  async watch(client: WorkspaceClient, workspace: ActiveWorkspace, jobName: string, options: WatchOptions = {}): Promise<RunWatch> {
    const existing = this.watches.get(jobName);
    if (existing?.active && sameWorkspace(existing.workspace, workspace)) {
      if (options.reveal !== false) existing.log.show();
      return existing;
    }
    existing?.stop();
    const log = existing?.log ?? new RunLog(jobName);
    log.clear();
    const watch = new RunWatch(jobName, workspace, log, options.job?.studioUrl);
    this.watches.delete(jobName);
    this.watches.set(jobName, watch);
    this.closeOldLogs();
    log.appendLines([workspace.connectionKind === 'local'
      ? vscode.l10n.t('Run {0} in workspace {1} (local)', jobName, workspace.workspaceName)
      : vscode.l10n.t('Run {0} in workspace {1}', jobName, workspace.workspaceName), ...(options.intro ?? [])]);
    if (options.reveal !== false) log.show();
    this.statusBar.show({ jobName, status: undefined, since: watch.followingSince });
    await this.remember({ jobName, workspace }, true);

    const sdk = await loadAzureModules();
    const tailer = new sdk.RunLogTailer({
      runId: jobName,
      source: client.runHistory,
      storageIdentity: client.storageIdentity,
      ...(this.tailSchedule ? { schedule: this.tailSchedule } : {}),
      listener: {
        onStatus: ({ status, details }) => {
          watch.status = status;
          watch.runStart = details.startTime ?? watch.runStart;
          log.appendLines([vscode.l10n.t('{0} Status: {1}', clockPrefix(), runStatusText(status))]);
          this.showInStatusBar(watch);
          this.scheduleTreeRefresh();
        },
        onLines: (lines) => log.appendLines(lines),
        onWarning: (message) => log.appendLines([vscode.l10n.t('{0} Warning: {1}', clockPrefix(), message)]),
      },
    });
    watch.pollNow = () => tailer.pollNow();
    watch.done = this.follow(client, watch, tailer);
    return watch;
  }

  /**
   * An event said the run ended: a run followed here stops waiting for its next poll and
   * ends (and is announced) on the answer. False when this window does not follow it.
   */
  runEnded(jobName: string, workspace: ActiveWorkspace): boolean {
    const watch = this.watches.get(jobName);
    if (!watch?.active || !sameWorkspace(watch.workspace, workspace)) return false;
    watch.endedByEvent = true;
    watch.pollNow();
    return true;
  }

  /**
   * Takes a run off the list of followed runs, which all windows share; true when it was on
   * it. Whoever takes it off announces its end: each end is announced once, in one window.
   */
  async claimAnnouncement(jobName: string, workspace: ActiveWorkspace): Promise<boolean> {
    const ref = this.remembered().find((r) => r.jobName === jobName && sameWorkspace(r.workspace, workspace));
    if (!ref) return false;
    await this.remember(ref, false);
    return true;
  }

  private async follow(client: WorkspaceClient, watch: RunWatch, tailer: { follow(signal: AbortSignal): Promise<RunSummary> }): Promise<RunSummary | undefined> {
    let summary: RunSummary;
    try {
      summary = await tailer.follow(watch.controller.signal);
    } catch (error) {
      if (watch.controller.signal.aborted) return undefined;
      const message = error instanceof Error ? error.message : String(error);
      watch.log.appendLines([vscode.l10n.t('{0} Stopped following the run: {1}', clockPrefix(), message), vscode.l10n.t('Use "Tail Run" on the run to follow it again.')]);
      this.log.error(vscode.l10n.t('Following run {0} failed', watch.jobName), error);
      watch.controller.abort();
      return undefined;
    }
    watch.summary = summary;
    watch.runStart = summary.startTime ?? watch.runStart;
    if (!watch.studioUrl) watch.studioUrl = (await client.jobs.get(watch.jobName).catch(() => undefined))?.studioUrl;
    watch.log.appendLines(['', ...runSummaryLines(summary, watch.studioUrl)]);
    this.showInStatusBar(watch, summary.endTime ?? new Date());
    this.scheduleTreeRefresh();
    // Another window may have announced it already, on the run's event.
    if (await this.claimAnnouncement(watch.jobName, watch.workspace)) this.announce(watch, summary);
    return summary;
  }

  /** The status bar follows the run whose following began last. */
  private showInStatusBar(watch: RunWatch, until?: Date): void {
    if ([...this.watches.values()].at(-1) !== watch) return;
    this.statusBar.show({ jobName: watch.jobName, status: watch.status, since: watch.runStart ?? watch.followingSince, ...(until ? { until } : {}) });
  }

  private announce(watch: RunWatch, summary: RunSummary): void {
    const [first] = runSummaryLines(summary);
    const text = summary.error ? `${first} ${summary.error.message}` : first!;
    announceRunEnd(text, summary.status === 'Failed', watch.jobName, () => watch.log.show());
  }

  private scheduleTreeRefresh(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.refreshExperiments();
    }, 300);
  }

  private closeOldLogs(): void {
    const finished = [...this.watches.values()].filter((w) => !w.active);
    for (const watch of finished.slice(0, Math.max(0, this.watches.size - maxRunLogs))) {
      watch.log.dispose();
      this.watches.delete(watch.jobName);
    }
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    for (const watch of this.watches.values()) {
      watch.stop();
      watch.log.dispose();
    }
    this.watches.clear();
    this.statusBar.dispose();
  }
}
