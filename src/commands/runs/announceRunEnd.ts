import * as vscode from 'vscode';

/**
 * The notification that a run ended, with Show Logs (the run's log, or Tail Run for a run this
 * window does not follow) and Show Details (Open Run Details).
 */
export function announceRunEnd(text: string, failed: boolean, jobName: string, showLogs?: () => void): void {
  const showLogsLabel = vscode.l10n.t('Show Logs');
  const showDetailsLabel = vscode.l10n.t('Show Details');
  const show = failed ? vscode.window.showErrorMessage : vscode.window.showInformationMessage;
  void show(text, showLogsLabel, showDetailsLabel).then((choice) => {
    if (choice === showLogsLabel) {
      if (showLogs) showLogs();
      else void vscode.commands.executeCommand('azureml.tailRun', jobName);
    } else if (choice === showDetailsLabel) {
      void vscode.commands.executeCommand('azureml.openRunDetails', jobName);
    }
  });
}
