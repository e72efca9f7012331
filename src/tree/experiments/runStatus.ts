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

/** A service status as the user reads it (the service's own word when it is not one of these). */
export function runStatusText(status: string): string {
  switch (status) {
    case 'NotStarted': return vscode.l10n.t('Not started');
    case 'Starting': return vscode.l10n.t('Starting');
    case 'Provisioning': return vscode.l10n.t('Provisioning');
    case 'Preparing': return vscode.l10n.t('Preparing');
    case 'Queued': return vscode.l10n.t('Queued');
    case 'Running': return vscode.l10n.t('Running');
    case 'Finalizing': return vscode.l10n.t('Finalizing');
    case 'CancelRequested': return vscode.l10n.t('Cancel requested');
    case 'Completed': return vscode.l10n.t('Completed');
    case 'Failed': return vscode.l10n.t('Failed');
    case 'NotResponding': return vscode.l10n.t('Not responding');
    case 'Canceled': return vscode.l10n.t('Canceled');
    case 'Paused': return vscode.l10n.t('Paused');
    case 'Submitted': return vscode.l10n.t('Submitted');
    default: return status;
  }
}

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
