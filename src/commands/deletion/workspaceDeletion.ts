import * as vscode from 'vscode';
import { loadAzureModules } from '../../connection/loadAzureModules';
import { WorkspaceNode } from '../../tree/workspaces/workspaceNode';
import type { CommandFactory } from '../commandContext';
import { confirmPlan } from './confirmPlan';

/** Export Workspace Data, offered before the deletion. */
const exportCommand = 'azureml.exportWorkspaceData';

/**
 * Deletes a workspace (the one a Workspaces item names, or the active one): offers an export
 * first when that command exists, lists what goes and what stays, and asks for the
 * workspace's name typed in full. Azure's long-running delete shows as progress.
 */
export const deleteWorkspace: CommandFactory = (context) => async (node?: unknown) => {
  const connection = await context.connections.getConnection();
  const ref = node instanceof WorkspaceNode ? node.ref : context.connections.activeWorkspace;
  if (!ref) throw new Error(vscode.l10n.t('Select a workspace first, or right-click one in the Workspaces view.'));
  const client = connection.workspaceClient(ref);
  const name = ref.workspaceName;
  const prompts = context.prompts;
  const exportFirst = await prompts.pick([
    { label: vscode.l10n.t('Export the workspace\'s data first'), value: true },
    { label: vscode.l10n.t('Go on without exporting'), value: false },
  ], { title: vscode.l10n.t('Delete workspace {0}', name), placeHolder: vscode.l10n.t('Keep a copy of its data before it is deleted?') });
  // The export finishes before the deletion is confirmed. A failed or canceled export has shown
  // its own message (the command wrapper catches it) and stops the deletion.
  if (exportFirst && !await vscode.commands.executeCommand<unknown>(exportCommand, node)) {
    throw new Error(vscode.l10n.t('The export of workspace {0} did not finish, so nothing was deleted. Delete it again once its data is exported, or choose to go on without exporting.', name));
  }
  const sdk = await loadAzureModules();
  const plan = sdk.planWorkspaceDeletion(client, ref.connectionKind === 'local');
  await confirmPlan(prompts, plan, sdk.describePlan);
  await prompts.input({
    title: vscode.l10n.t('Delete workspace {0}', name),
    prompt: vscode.l10n.t('Type the workspace\'s name, {0}, to delete it.', name),
    validateInput: (value) => (value === name ? undefined : vscode.l10n.t('Type {0} exactly to delete the workspace.', name)),
  }).then((typed) => {
    if (typed !== name) throw new Error(vscode.l10n.t('The name typed is not {0}: nothing was deleted.', name));
  });
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Deleting workspace {0}…', name), cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort());
    try {
      await plan.run({
        abortSignal: controller.signal,
        onWaiting: (ms) => progress.report({ message: vscode.l10n.t('Azure is still deleting it ({0} s)', Math.round(ms / 1000)) }),
      });
    } finally {
      cancel.dispose();
    }
  });
  context.log.info(vscode.l10n.t('Deleted workspace {0}.\n{1}', name, sdk.describePlan(plan)));
  // The local service starts its workspace anew; an Azure workspace is gone.
  if (ref.connectionKind !== 'local' && context.connections.activeWorkspace?.workspaceName === name) await context.connections.setActiveWorkspace(undefined);
  context.views.workspaces.refresh();
  context.views.datastores.refresh();
  context.views.experiments.refresh();
  context.views.models.refresh();
  void vscode.window.showInformationMessage(vscode.l10n.t('Deleted workspace {0}.', name));
  return name;
};
