import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Job } from '../azure/domain';
import type { MetricPoint, RunMetricsSource, TrackedRun } from '../azure/runMetrics';
import { MetricHistoryFollower } from '../core/metrics/historyFollower';
import { metricsCsv } from '../core/metrics/metricsCsv';
import { describeError, type ErrorContext } from '../ui/describeError';
import type { Log } from '../ui/log';
import { UserCancelledError, type Prompts } from '../ui/prompts';
import { webviewHtml } from '../ui/webviewHtml';
import { parseMetricsWebviewMessage, toWire, type MetricsHostMessage, type MetricsWebviewMessage, type PanelWorkspace, type RunSummary } from './runMetricsProtocol';
import { isTerminal, problemSummary, runSummary } from './runSummary';

export interface PanelRun {
  runId: string;
  /** The job as the Experiments view has it (experiment, compute); fetched when not given. */
  job?: Job;
  /** The name shown until the job is read (a panel restored after a reload). */
  displayName?: string;
}

export interface RunMetricsPanelOptions {
  mode: 'details' | 'compare';
  runs: PanelRun[];
  /** The runs' workspace, kept by the webview so that a window reload brings the panel back. */
  workspace?: PanelWorkspace;
  source: RunMetricsSource;
  getJob(name: string): Promise<Job>;
  /** What error messages are written for (the connection, and how it signs in). */
  errorContext: () => ErrorContext;
  prompts: () => Prompts;
  log: Log;
  /** How often a running run is asked for new points: `minMs` while points arrive, doubling up to `maxMs` while none do. */
  poll: { minMs: number; maxMs: number };
}

/** The most points one message carries: the webview draws while the rest arrives. */
const pointsPerMessage = 10_000;

interface TrackedPanelRun {
  runId: string;
  job?: Job;
  follower: MetricHistoryFollower;
  summary?: RunSummary;
  terminal: boolean;
}

/**
 * Run Details (one run) or Compare Runs (2–10): a webview with the runs' facts and one chart
 * per metric. The host holds the exact histories: a webview destroyed while hidden gets them
 * again from here, and a running run is polled for new points only, until it ends or the panel
 * closes.
 */
export class RunMetricsPanel implements vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
  private readonly runs: TrackedPanelRun[];
  private readonly abort = new AbortController();
  private loading: Promise<void> | undefined;
  /** Messages go out only once the webview listens; until then what is loaded waits in the followers. */
  private webviewReady = false;
  /** Settles when the webview first says it listens (or the panel closes). */
  private readonly webviewStarted: Promise<void>;
  private markWebviewStarted: () => void = () => undefined;
  /** The runs' facts are in: the webview may be given them (`init`) and the points held. */
  private factsLoaded = false;
  private failure: { message: string; retry: boolean } | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private pollDelay: number;
  private disposed = false;
  private readonly posted = new vscode.EventEmitter<MetricsHostMessage>();
  private readonly closed = new vscode.EventEmitter<void>();
  /** Each message as it is posted to the webview (the tests count points). */
  readonly onDidPost = this.posted.event;
  readonly onDidDispose = this.closed.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(extensionUri: vscode.Uri, readonly key: string, private readonly options: RunMetricsPanelOptions, existing?: vscode.WebviewPanel) {
    this.pollDelay = options.poll.minMs;
    this.webviewStarted = new Promise((resolve) => { this.markWebviewStarted = resolve; });
    this.runs = options.runs.map((r) => ({ runId: r.runId, job: r.job, follower: new MetricHistoryFollower(options.source, r.runId), terminal: false }));
    const media = vscode.Uri.joinPath(extensionUri, 'media');
    this.panel = existing ?? vscode.window.createWebviewPanel(RunMetricsPanel.viewType, this.title, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [media],
      retainContextWhenHidden: false,
    });
    this.panel.title = this.title;
    this.panel.iconPath = vscode.Uri.joinPath(media, 'azureml.svg');
    const webview = this.panel.webview;
    webview.options = { enableScripts: true, localResourceRoots: [media] };
    const asset = (...segments: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(media, ...segments)).toString();
    webview.html = webviewHtml({
      title: this.title,
      cspSource: webview.cspSource,
      nonce: randomBytes(18).toString('base64'),
      scriptUri: asset('webview', 'runMetrics.js'),
      styleUris: [asset('codicons', 'codicon.css'), asset('uPlot.min.css'), asset('runMetrics.css')],
      messages: vscode.l10n.bundle,
      language: vscode.env.language,
      rootId: 'metrics-root',
    });
    this.disposables.push(
      webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      this.panel.onDidDispose(() => this.dispose()),
      this.posted,
      this.closed,
    );
    // The runs are read while the webview starts (a restored panel's too): both take about a second.
    this.loading = this.load();
  }

  static readonly viewType = 'azureml.runMetrics';

  get title(): string {
    const names = this.options.runs.map((r) => r.job?.displayName || r.displayName || r.runId);
    return this.options.mode === 'details' ? vscode.l10n.t('Run {0}', names[0]) : vscode.l10n.t('Compare {0} runs', names.length);
  }

  get runIds(): string[] {
    return this.runs.map((r) => r.runId);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** The exact points held for a run (the tests compare them with what was logged). */
  metricsOf(runId: string): ReadonlyMap<string, readonly MetricPoint[]> | undefined {
    return this.runs.find((r) => r.runId === runId)?.follower.metrics;
  }

  /** Page and point counts of every run's fetches (the benchmark reads them). */
  get fetchStats(): { pagesFetched: number; pointsFetched: number; pointsNew: number } {
    const total = { pagesFetched: 0, pointsFetched: 0, pointsNew: 0 };
    for (const r of this.runs) for (const k of Object.keys(total) as Array<keyof typeof total>) total[k] += r.follower.stats[k];
    return total;
  }

  /** Resolves when the histories have been fetched once (and rejects never: failures are shown). */
  whenLoaded(): Promise<void> {
    return this.loading ?? Promise.resolve();
  }

  reveal(): void {
    this.panel.reveal();
  }

  /** Handles one message from the webview (the tests call this too). */
  async receive(raw: unknown): Promise<void> {
    if (this.disposed) return;
    const message = parseMetricsWebviewMessage(raw);
    if (!message) {
      this.options.log.warn(vscode.l10n.t('{0}: ignored a malformed message from the webview.', this.title));
      return;
    }
    try {
      await this.handle(message);
    } catch (error) {
      if (error instanceof UserCancelledError) return;
      this.options.log.error(vscode.l10n.t('{0}: handling the webview message "{1}" failed', this.title, message.type), error);
      this.post({ type: 'notice', message: describeError(error, this.options.errorContext()).message });
    }
  }

  private async handle(message: MetricsWebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.webviewReady = true;
        this.markWebviewStarted();
        this.replay();
        return;
      case 'retry':
        if (!this.failure) return;
        this.failure = undefined;
        this.loading = this.load();
        return this.loading;
      case 'exportCsv':
        return this.exportCsv();
      case 'exportImage':
        return this.exportImage(message.format, message.metric, message.data);
    }
  }

  private post(message: MetricsHostMessage): void {
    if (this.disposed || !this.webviewReady) return;
    this.posted.fire(message);
    void this.panel.webview.postMessage(message);
  }

  private postPoints(runId: string, metric: string, points: readonly MetricPoint[]): void {
    for (let i = 0; i < points.length; i += pointsPerMessage) {
      const chunk = points.slice(i, i + pointsPerMessage);
      this.post({
        type: 'points', runId, metric,
        steps: chunk.map((p) => p.step),
        timestamps: chunk.map((p) => p.timestamp),
        values: chunk.map((p) => toWire(p.value)),
      });
    }
  }

  private initMessage(): MetricsHostMessage {
    return {
      type: 'init', mode: this.options.mode, title: this.title,
      runs: this.runs.map((r) => r.summary ?? problemSummary(r.runId, r.job, '')),
      ...(this.options.workspace ? { workspace: this.options.workspace } : {}),
    };
  }

  /** A new webview (the old one was destroyed while hidden, or it started after the load) gets everything held, nothing fetched. */
  private replay(): void {
    if (this.failure) {
      this.post({ type: 'failed', ...this.failure });
      return;
    }
    // Still reading the runs: the load posts `init` when it has them.
    if (!this.factsLoaded) return;
    this.post(this.initMessage());
    for (const r of this.runs) for (const [metric, points] of r.follower.metrics) this.postPoints(r.runId, metric, points);
  }

  private async load(): Promise<void> {
    const signal = this.abort.signal;
    this.factsLoaded = false;
    const tracked = await Promise.all(this.runs.map(async (r) => {
      try {
        const [run] = await Promise.all([
          this.options.source.getRun(r.runId, signal),
          r.job ? Promise.resolve() : this.options.getJob(r.runId).then((job) => { r.job = job; }, () => undefined),
        ]);
        r.summary = runSummary(run, r.job);
        r.terminal = isTerminal(run.status);
        return run;
      } catch (error) {
        if (signal.aborted) throw error;
        this.options.log.error(vscode.l10n.t('Reading run {0} failed', r.runId), error);
        r.summary = problemSummary(r.runId, r.job, this.problemText(error));
        r.terminal = true;
        return undefined;
      }
    })).catch(() => undefined);
    if (!tracked || this.disposed) return;
    if (tracked.every((t) => t === undefined)) {
      const only = this.runs.length === 1 ? this.runs[0].summary?.problem : undefined;
      this.failure = { message: only ?? vscode.l10n.t('None of the runs could be read. See the Azure ML log for details.'), retry: true };
      this.post({ type: 'failed', ...this.failure });
      return;
    }
    this.factsLoaded = true;
    this.post(this.initMessage());
    // Each metric's first page is read while the webview starts; the rest once it has drawn them,
    // so that reading a long history does not slow the webview's start (they share the machine).
    await this.fetchNew(tracked, () => this.webviewStarted);
    this.schedulePoll();
  }

  /** The client's own sentence: a run it does not know is "not found … may have been deleted". */
  private problemText(error: unknown): string {
    return describeError(error, this.options.errorContext()).message;
  }

  private async fetchNew(tracked: Array<TrackedRun | undefined>, afterFirstPages?: () => Promise<void>): Promise<void> {
    await Promise.all(this.runs.map(async (r, i) => {
      const run = tracked[i];
      if (!run) return;
      try {
        await r.follower.update(run, this.abort.signal, (metric, added) => this.postPoints(r.runId, metric, added), afterFirstPages);
      } catch (error) {
        if (this.abort.signal.aborted) return;
        this.options.log.error(vscode.l10n.t('Reading the metrics of run {0} failed', r.runId), error);
        this.post({ type: 'notice', message: vscode.l10n.t('Could not read all metrics of run {0}: {1}', r.runId, describeError(error, this.options.errorContext()).message) });
      }
    }));
  }

  private schedulePoll(): void {
    if (this.disposed || this.runs.every((r) => r.terminal)) return;
    this.pollTimer = setTimeout(() => {
      this.pollTimer = undefined;
      this.poll().then((gotPoints) => {
        this.pollDelay = gotPoints ? this.options.poll.minMs : Math.min(this.options.poll.maxMs, this.pollDelay * 2);
        this.schedulePoll();
      }, (error: unknown) => {
        if (this.abort.signal.aborted) return;
        this.options.log.error(vscode.l10n.t('{0}: following the runs failed', this.title), error);
        this.pollDelay = this.options.poll.maxMs;
        this.schedulePoll();
      });
    }, this.pollDelay);
  }

  /** One live round: each running run's status and new points (true when there were some). A run that has ended gets one last round. */
  private async poll(): Promise<boolean> {
    const live = this.runs.filter((r) => !r.terminal);
    const tracked = await Promise.all(this.runs.map(async (r) => {
      if (!live.includes(r)) return undefined;
      const run = await this.options.source.getRun(r.runId, this.abort.signal);
      r.summary = runSummary(run, r.job);
      r.terminal = isTerminal(run.status);
      this.post({ type: 'runUpdate', run: r.summary });
      return run;
    }));
    const before = this.fetchStats.pointsNew;
    await this.fetchNew(tracked);
    return this.fetchStats.pointsNew > before;
  }

  private async exportCsv(): Promise<void> {
    const prompts = this.options.prompts();
    if (!prompts.pickSaveFile) throw new Error(vscode.l10n.t('Saving files is not available here.'));
    const name = this.runs.length === 1 ? this.runs[0].runId : `${this.runs.length}-runs`;
    const target = await prompts.pickSaveFile({ title: vscode.l10n.t('Export Metrics as CSV'), defaultPath: defaultSavePath(`${name}-metrics.csv`), filters: { CSV: ['csv'] } });
    await writeWhole(target, metricsCsv(this.runs.map((r) => ({ runId: r.runId, metrics: r.follower.metrics }))));
    this.post({ type: 'notice', message: vscode.l10n.t('Saved the metrics to {0}.', target) });
  }

  private async exportImage(format: 'png' | 'svg', metric: string, data: string): Promise<void> {
    const prompts = this.options.prompts();
    if (!prompts.pickSaveFile) throw new Error(vscode.l10n.t('Saving files is not available here.'));
    const safeMetric = metric.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 100);
    const target = await prompts.pickSaveFile({
      title: format === 'png' ? vscode.l10n.t('Export Chart as PNG') : vscode.l10n.t('Export Chart as SVG'),
      defaultPath: defaultSavePath(`${safeMetric}.${format}`),
      filters: format === 'png' ? { PNG: ['png'] } : { SVG: ['svg'] },
    });
    const content = format === 'png' ? Buffer.from(data.slice(data.indexOf(',') + 1), 'base64') : data;
    await writeWhole(target, content);
    this.post({ type: 'notice', message: vscode.l10n.t('Saved the chart to {0}.', target) });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.abort.abort();
    this.markWebviewStarted();
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.closed.fire();
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function defaultSavePath(fileName: string): string {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return folder?.scheme === 'file' ? path.join(folder.fsPath, fileName) : fileName;
}

/** Writes next to the target and renames, so a failed write leaves no half file behind. */
async function writeWhole(target: string, content: string | Buffer): Promise<void> {
  const temp = `${target}.${randomBytes(4).toString('hex')}.partial`;
  try {
    await writeFile(temp, content);
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
