import * as vscode from 'vscode';
import { formatDuration } from '../core/format';
import { runState, runStatusIcon, runStatusText } from '../tree/experiments/runStatus';

/** What the status bar shows of the run followed last. */
export interface RunStatusView {
  jobName: string;
  status: string | undefined;
  /** When the run started (run history), else when following began. */
  since: Date;
  /** Set once the run has ended. */
  until?: Date;
}

/** A status bar item with the followed run's state and elapsed time (ticking while it runs); a click shows its log. */
export class RunStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('azureml.runStatus', vscode.StatusBarAlignment.Left, 49);
  private view: RunStatusView | undefined;
  private ticker: NodeJS.Timeout | undefined;
  private hideTimer: NodeJS.Timeout | undefined;

  constructor() {
    this.item.name = vscode.l10n.t('Azure ML Run');
  }

  show(view: RunStatusView): void {
    this.view = view;
    clearTimeout(this.hideTimer);
    this.render();
    this.item.show();
    if (!view.until && !this.ticker) this.ticker = setInterval(() => this.render(), 1000);
    if (view.until) {
      clearInterval(this.ticker);
      this.ticker = undefined;
      // The outcome stays in sight for a while, then makes room.
      this.hideTimer = setTimeout(() => this.item.hide(), 5 * 60_000);
    }
  }

  /** The text shown now (for tests). */
  get text(): string {
    return this.item.text;
  }

  get jobName(): string | undefined {
    return this.view?.jobName;
  }

  private render(): void {
    const view = this.view;
    if (!view) return;
    const status = view.status ?? 'Submitted';
    const icon = runStatusIcon(runState(status)).id;
    this.item.text = `$(${icon}) ${view.jobName} ${runStatusText(status)} ${formatDuration(view.since, view.until) ?? ''}`;
    this.item.tooltip = vscode.l10n.t('Azure ML run {0}: {1}. Click to show its log.', view.jobName, runStatusText(status));
    this.item.command = { title: vscode.l10n.t('Show Run Log'), command: 'azureml.tailRun', arguments: [view.jobName] };
  }

  dispose(): void {
    clearInterval(this.ticker);
    clearTimeout(this.hideTimer);
    this.item.dispose();
  }
}
