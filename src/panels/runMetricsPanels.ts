import type * as vscode from 'vscode';
import { RunMetricsPanel, type RunMetricsPanelOptions } from './runMetricsPanel';

/**
 * The open Run Details and Compare Runs panels: opening the same run (or the same set of runs)
 * again shows the open panel. Owns the panels (disposed with the extension).
 */
export class RunMetricsPanels implements vscode.Disposable {
  private readonly open = new Map<string, RunMetricsPanel>();
  private last: RunMetricsPanel | undefined;

  constructor(private readonly extensionUri: vscode.Uri) {}

  /** The panel opened or revealed last, while it is open (the tests drive it). */
  get lastPanel(): RunMetricsPanel | undefined {
    return this.last && !this.last.isDisposed ? this.last : undefined;
  }

  get all(): RunMetricsPanel[] {
    return [...this.open.values()];
  }

  show(options: RunMetricsPanelOptions): RunMetricsPanel {
    const key = `${options.mode}:${options.runs.map((r) => r.runId).join('\n')}`;
    const existing = this.open.get(key);
    if (existing && !existing.isDisposed) {
      existing.reveal();
      this.last = existing;
      return existing;
    }
    const panel = new RunMetricsPanel(this.extensionUri, key, options);
    this.open.set(key, panel);
    panel.onDidDispose(() => {
      if (this.open.get(key) === panel) this.open.delete(key);
    });
    this.last = panel;
    return panel;
  }

  dispose(): void {
    for (const panel of [...this.open.values()]) panel.dispose();
    this.open.clear();
  }
}
