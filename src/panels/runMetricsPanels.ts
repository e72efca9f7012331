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
    const key = panelKey(options);
    const existing = this.open.get(key);
    if (existing && !existing.isDisposed) {
      existing.reveal();
      this.last = existing;
      return existing;
    }
    return this.track(key, new RunMetricsPanel(this.extensionUri, key, options));
  }

  /** A panel VS Code brought back after a window reload, in its webview panel, loading its runs anew. */
  restore(webviewPanel: vscode.WebviewPanel, options: RunMetricsPanelOptions): RunMetricsPanel {
    const key = panelKey(options);
    const existing = this.open.get(key);
    // Already opened again (a command ran before VS Code restored the tab): the restored tab is a duplicate.
    if (existing && !existing.isDisposed) {
      webviewPanel.dispose();
      existing.reveal();
      return existing;
    }
    return this.track(key, new RunMetricsPanel(this.extensionUri, key, options, webviewPanel));
  }

  private track(key: string, panel: RunMetricsPanel): RunMetricsPanel {
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

function panelKey(options: RunMetricsPanelOptions): string {
  return `${options.mode}:${options.runs.map((r) => r.runId).join('\n')}`;
}
