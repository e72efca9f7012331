import * as vscode from 'vscode';
import { loadAzureModules } from '../../connection/loadAzureModules';
import type { CommandFactory } from '../commandContext';
import { runOf } from '../runs/runArgument';
import { confirmPlan } from './confirmPlan';

/** Deletes a finished run after listing it and what stays. */
export const deleteRun: CommandFactory = (context) => async (arg?: unknown) => {
  const { jobName } = await runOf(arg, context.prompts, vscode.l10n.t('Delete Run'));
  const { client } = await context.connections.activeWorkspaceClient();
  const sdk = await loadAzureModules();
  const plan = await sdk.planRunDeletion(client, [jobName]);
  await confirmPlan(context.prompts, plan, sdk.describePlan);
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Deleting run {0}…', jobName) }, () => plan.run());
  context.views.experiments.refresh();
  void vscode.window.showInformationMessage(vscode.l10n.t('Deleted run {0}.', jobName));
  return jobName;
};

function archiveOrRestore(archive: boolean): CommandFactory {
  return (context) => async (arg?: unknown) => {
    const { jobName } = await runOf(arg, context.prompts, archive ? vscode.l10n.t('Archive Run') : vscode.l10n.t('Restore Run'));
    const { client } = await context.connections.activeWorkspaceClient();
    const sdk = await loadAzureModules();
    // Nothing is lost either way, so one run is archived or restored without asking.
    const plan = await sdk.planRunArchive(client, [jobName], archive);
    await plan.run();
    context.views.experiments.refresh();
    void vscode.window.showInformationMessage(archive
      ? vscode.l10n.t('Archived run {0}: it is hidden from the Experiments view. Restore Run brings it back.', jobName)
      : vscode.l10n.t('Restored run {0}.', jobName));
    return jobName;
  };
}

export const archiveRun = archiveOrRestore(true);
export const restoreRun = archiveOrRestore(false);
