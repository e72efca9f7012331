import * as vscode from 'vscode';
import type { CommandContext } from '../commandContext';
import { runOf } from './runArgument';

/** Asks the service to cancel a run; the run's log and the tree show when it has stopped. */
export const cancelRun = (context: CommandContext) => async (arg?: unknown) => {
  const { jobName } = await runOf(arg, context.prompts, vscode.l10n.t('Cancel Run'));
  const { client } = await context.connections.activeWorkspaceClient();
  const result = await client.jobs.cancel(jobName);
  context.views.experiments.refresh();
  void vscode.window.showInformationMessage(result.completed ? vscode.l10n.t('Run {0} was canceled.', jobName) : vscode.l10n.t('Canceling run {0}…', jobName));
  return result;
};
