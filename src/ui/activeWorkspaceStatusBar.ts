import * as vscode from 'vscode';
import type { ConnectionManager } from '../connection/connectionManager';

/** Shows the active workspace; a click opens the workspace picker. */
export function registerActiveWorkspaceStatusBar(context: vscode.ExtensionContext, connections: ConnectionManager): vscode.StatusBarItem {
  const item = vscode.window.createStatusBarItem('azureml.activeWorkspace', vscode.StatusBarAlignment.Left, 50);
  item.name = vscode.l10n.t('Azure ML Workspace');
  item.command = 'azureml.selectWorkspace';
  const update = (): void => {
    const workspace = connections.activeWorkspace;
    if (!connections.kind) {
      item.hide();
      return;
    }
    item.text = workspace ? `$(beaker) ${workspace.workspaceName}` : vscode.l10n.t('$(beaker) Select Azure ML workspace');
    item.tooltip = workspace
      ? (connections.kind === 'local'
        ? vscode.l10n.t('Azure ML workspace (local): {0}\nResource group {1}, subscription {2}\nClick to change.', workspace.workspaceName, workspace.resourceGroup, workspace.subscriptionId)
        : vscode.l10n.t('Azure ML workspace (Azure): {0}\nResource group {1}, subscription {2}\nClick to change.', workspace.workspaceName, workspace.resourceGroup, workspace.subscriptionId))
      : vscode.l10n.t('No Azure ML workspace selected. Click to choose one.');
    item.show();
  };
  update();
  context.subscriptions.push(item, connections.onDidChangeConnection(update), connections.onDidChangeActiveWorkspace(update));
  return item;
}
