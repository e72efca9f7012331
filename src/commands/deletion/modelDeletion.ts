import * as vscode from 'vscode';
import { loadAzureModules } from '../../connection/loadAzureModules';
import { ModelNode, ModelVersionNode } from '../../tree/models/modelNodes';
import type { CommandContext, CommandFactory } from '../commandContext';
import { confirmPlan } from './confirmPlan';

async function deleteModelOrVersion(context: CommandContext, name: string, version: string | undefined): Promise<boolean> {
  const { client, connection, workspace } = await context.connections.activeWorkspaceClient();
  const prompts = context.prompts;
  const deleteFiles = await prompts.pick([
    { label: vscode.l10n.t('Keep the files in storage'), description: vscode.l10n.t('default'), detail: vscode.l10n.t('Only the registration goes; the files stay where they are'), value: false },
    { label: vscode.l10n.t('Also delete the files'), detail: vscode.l10n.t('The files are listed before anything is deleted'), value: true },
  ], { title: version !== undefined ? vscode.l10n.t('Delete model {0} version {1}', name, version) : vscode.l10n.t('Delete model {0}', name), placeHolder: vscode.l10n.t('The model\'s files in storage') });
  const sdk = await loadAzureModules();
  const userCredential = connection.userCredential(workspace.tenantId);
  const plan = await sdk.planModelDeletion({ client, name, ...(version !== undefined ? { version } : {}), deleteFiles, ...(userCredential ? { userCredential } : {}) });
  await confirmPlan(prompts, plan, sdk.describePlan);
  await plan.run();
  context.log.info(vscode.l10n.t('{0} Done.\n{1}', plan.question, sdk.describePlan(plan)));
  context.views.models.refresh();
  void vscode.window.showInformationMessage(version !== undefined ? vscode.l10n.t('Deleted model {0} version {1}.', name, version) : vscode.l10n.t('Deleted model {0}.', name));
  return true;
}

/** Deletes one model version (its files stay unless the user asks otherwise). */
export const deleteModelVersion: CommandFactory = (context) => async (node?: unknown) => {
  if (!(node instanceof ModelVersionNode)) throw new Error(vscode.l10n.t('Delete Model Version works on a version in the Models view.'));
  return deleteModelOrVersion(context, node.version.name, node.version.version);
};

/** Deletes a model with all its versions, listed first. */
export const deleteModel: CommandFactory = (context) => async (node?: unknown) => {
  if (!(node instanceof ModelNode)) throw new Error(vscode.l10n.t('Delete Model works on a model in the Models view.'));
  return deleteModelOrVersion(context, node.model.name, undefined);
};
