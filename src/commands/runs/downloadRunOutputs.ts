import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import { formatBytes } from '../../core/format';
import { localPathForRemoteName } from '../../core/transfer/pathSafety';
import { loadAzureModules } from '../../connection/loadAzureModules';
import { UserCancelledError } from '../../ui/prompts';
import type { CommandContext } from '../commandContext';
import { pickPolicy } from '../transfer/transferPrompts';
import { runOf } from './runArgument';

async function targetFolder(given: unknown, jobName: string): Promise<string> {
  if (typeof given === 'string' && given) return given;
  if (given instanceof vscode.Uri) return given.fsPath;
  const picked = await vscode.window.showOpenDialog({
    title: vscode.l10n.t('Download outputs and logs of {0} into…', jobName),
    canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: vscode.l10n.t('Download Here'),
    ...(vscode.workspace.workspaceFolders?.[0] ? { defaultUri: vscode.workspace.workspaceFolders[0].uri } : {}),
  });
  if (!picked?.[0]) throw new UserCancelledError();
  return picked[0].fsPath;
}

/**
 * Downloads a run's outputs and logs into `<picked folder>/<run>/`: `artifacts/` (logs and
 * ./outputs) and `named-outputs/<name>/`, as azure-ai-ml lays them out.
 */
export const downloadRunOutputs = (context: CommandContext) => async (arg?: unknown, folder?: unknown) => {
  const { jobName } = await runOf(arg, context.prompts, vscode.l10n.t('Download Outputs and Logs'));
  const place = localPathForRemoteName(await targetFolder(folder, jobName), jobName);
  if (!place.ok) throw new Error(vscode.l10n.t('Run "{0}" can\'t be downloaded: its name can\'t be a folder name ({1}).', jobName, place.reason));
  const target = place.localPath;
  // Files of an earlier download may have been edited since: asked, never replaced silently.
  const earlier = await fs.readdir(target).then((names) => names.length > 0, () => false);
  const policy = earlier ? await pickPolicy(context.prompts, vscode.l10n.t('{0} already has files of run {1}', target, jobName), 'local folder') : 'skipUnchanged';
  const { client, workspace, connection } = await context.connections.activeWorkspaceClient();
  const sdk = await loadAzureModules();
  const userCredential = connection.userCredential(workspace.tenantId);
  const parts = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Azure ML: downloading outputs and logs of {0}…', jobName), cancellable: true },
    (_progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      return sdk.downloadRunOutputs({
        client, jobName, targetDir: target, policy, signal: controller.signal,
        ...(userCredential ? { userCredential } : {}),
      });
    });
  const files = parts.reduce((sum, p) => sum + p.files, 0);
  const bytes = parts.reduce((sum, p) => sum + p.bytes, 0);
  for (const part of parts) {
    // Names come from the service: quoted, so an odd one can't pass for other lines of the log.
    if (part.skipped) context.log.warn(vscode.l10n.t('Run {0}: output {1} not downloaded: {2}', jobName, JSON.stringify(part.name), part.skipped));
    for (const failed of part.failed) context.log.warn(vscode.l10n.t('Run {0}: {1} not downloaded: {2}', jobName, JSON.stringify(`${part.name}/${failed.path}`), failed.reason));
  }
  const failures = parts.reduce((sum, p) => sum + p.failed.length, 0);
  if (failures > 0) void vscode.window.showWarningMessage(vscode.l10n.t('{0} files of run {1} could not be downloaded; the Azure ML log lists them.', failures, jobName), vscode.l10n.t('Show Log'))
    .then((choice) => choice === vscode.l10n.t('Show Log') && context.log.show());
  void vscode.window.showInformationMessage(vscode.l10n.t('Downloaded {0} files ({1}) of run {2} to {3}.', files, formatBytes(bytes), jobName, target), vscode.l10n.t('Reveal'))
    .then((choice) => {
      if (choice === vscode.l10n.t('Reveal')) void vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(target));
    });
  return { folder: target, parts };
};
