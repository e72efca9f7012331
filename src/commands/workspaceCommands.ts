import * as vscode from 'vscode';
import type { Workspace } from '../azure/domain';
import type { ActiveWorkspace, Connection } from '../connection/connection';
import { collectPages } from '../core/pages';
import type { WorkspaceNode } from '../tree/workspaces/workspaceNode';
import type { PickItem } from '../ui/prompts';
import type { CommandFactory } from './commandContext';

async function workspacePicks(connection: Connection): Promise<Array<PickItem<ActiveWorkspace>>> {
  const { subscriptions } = await connection.listSubscriptions();
  const perSubscription = await Promise.all(subscriptions.map(async (subscription) => {
    const manager = connection.resourceManager(subscription.tenantId);
    const workspaces = await collectPages<Workspace>((continuationToken) =>
      manager.listWorkspaces({ subscriptionId: subscription.subscriptionId, ...(continuationToken ? { continuationToken } : {}) }));
    return workspaces.map((w): PickItem<ActiveWorkspace> => ({
      label: w.name,
      description: [w.resourceGroup, w.location].filter(Boolean).join(' · '),
      detail: subscription.displayName,
      value: {
        connectionKind: connection.kind, tenantId: subscription.tenantId,
        subscriptionId: w.subscriptionId, resourceGroup: w.resourceGroup, workspaceName: w.name,
      },
    }));
  }));
  return perSubscription.flat();
}

export const selectWorkspace: CommandFactory = (context) => async () => {
  const { connections, prompts } = context;
  if (!connections.kind) {
    const command = await prompts.pick([
      { label: vscode.l10n.t('$(sign-in) Sign in to Azure'), value: 'azureml.signIn' },
      { label: vscode.l10n.t('$(vm) Use Local Workspace'), value: 'azureml.useLocalWorkspace' },
    ], { title: vscode.l10n.t('Select Workspace'), placeHolder: vscode.l10n.t('Connect first') });
    await vscode.commands.executeCommand(command);
    if (!connections.kind) return undefined;
  }
  const connection = await connections.getConnection();
  const workspace = await prompts.pick(workspacePicks(connection), { title: vscode.l10n.t('Select Workspace'), placeHolder: vscode.l10n.t('The workspace the Azure ML views show') });
  await connections.setActiveWorkspace(workspace);
  return workspace.workspaceName;
};

export const setActiveWorkspace: CommandFactory = ({ connections }) => async (node?: WorkspaceNode) => {
  if (!node) return vscode.commands.executeCommand('azureml.selectWorkspace');
  await connections.setActiveWorkspace(node.ref);
  return node.ref.workspaceName;
};

export const selectSubscriptions: CommandFactory = (context) => async () => {
  const { connections, prompts } = context;
  const connection = await connections.getConnection();
  const { subscriptions } = await connection.listAllSubscriptions();
  const shown = new Set(vscode.workspace.getConfiguration('azureml').get<string[]>('subscriptions') ?? []);
  const chosen = await prompts.pickMany(subscriptions.map((s) => ({
    label: s.displayName, description: s.subscriptionId, picked: shown.size === 0 || shown.has(s.subscriptionId), value: s.subscriptionId,
  })), { title: vscode.l10n.t('Subscriptions to show in the Workspaces view') });
  // The setting's empty list means all of them: none chosen cannot be written as such.
  if (chosen.length === 0) throw new Error(vscode.l10n.t('No subscription was chosen, so the Workspaces view still shows the ones it did. Choose at least one.'));
  const all = chosen.length === subscriptions.length;
  await vscode.workspace.getConfiguration('azureml').update('subscriptions', all ? [] : chosen, vscode.ConfigurationTarget.Global);
};
