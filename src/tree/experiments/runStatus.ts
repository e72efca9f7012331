import * as vscode from 'vscode';

/** The states a person tells apart in the tree; every service status maps to one. */
export type RunState = 'queued' | 'running' | 'completed' | 'failed' | 'canceled' | 'unknown';

const states: Record<string, RunState> = {
  NotStarted: 'queued', Starting: 'queued', Provisioning: 'queued', Preparing: 'queued', Queued: 'queued',
  Running: 'running', Finalizing: 'running', CancelRequested: 'running',
  Completed: 'completed',
  Failed: 'failed', NotResponding: 'failed',
  Canceled: 'canceled', Paused: 'canceled',
};

export function runState(status: string): RunState {
  return states[status] ?? 'unknown';
}

export { runStatusText } from '../../core/runStatusText';

export function isActiveRunState(state: RunState): boolean {
  return state === 'queued' || state === 'running';
}

export function runStatusIcon(state: RunState): vscode.ThemeIcon {
  switch (state) {
    case 'queued': return new vscode.ThemeIcon('clock', new vscode.ThemeColor('charts.yellow'));
    case 'running': return new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('charts.blue'));
    case 'completed': return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    case 'failed': return new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
    case 'canceled': return new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground'));
    default: return new vscode.ThemeIcon('question');
  }
}
