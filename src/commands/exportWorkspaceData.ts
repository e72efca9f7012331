import * as vscode from 'vscode';
import type { ExportIndex } from '../core/export/exportWorkspace';
import { loadAzureModules } from '../connection/loadAzureModules';
import type { WorkspaceNode } from '../tree/workspaces/workspaceNode';
import { NoActiveWorkspaceError } from '../connection/connectionManager';
import type { CommandContext } from './commandContext';
import { pickLocalFolder } from './transfer/transferPrompts';

export interface ExportCommandOptions {
  folder?: string | vscode.Uri;
  includeArtifacts?: boolean;
}

/**
 * Artifact files the export did not write (their names refused here) make it no whole copy: that
 * is an error, not "Exported", so that Delete Workspace's "export first" does not go on either.
 */
function refuseIncompleteExport(notWritten: { count: number; first?: { job: string; path: string; reason: string } }, workspaceName: string, folder: string): void {
  const { count, first } = notWritten;
  if (count === 0 || !first) return;
  throw new Error(count === 1
    ? vscode.l10n.t('Exported workspace {0} to {1}, except 1 artifact file that was not written ({2} of job {3}: {4}). artifacts.jsonl marks it with the reason; rename it in the datastore, then export again, to get it.',
      workspaceName, folder, first.path, first.job, first.reason)
    : vscode.l10n.t('Exported workspace {0} to {1}, except {2} artifact files that were not written (the first, {3} of job {4}: {5}). artifacts.jsonl marks each with the reason; rename them in the datastore, then export again, to get them.',
      workspaceName, folder, count, first.path, first.job, first.reason));
}

/**
 * Exports everything about a workspace (the one clicked in the Workspaces view, else the active
 * one) into a folder the user picks; canceled, running it again into that folder resumes.
 */
export const exportWorkspaceData = (context: CommandContext) => async (node?: WorkspaceNode, options: ExportCommandOptions = {}) => {
  const connection = await context.connections.getConnection();
  const ref = node?.ref ?? context.connections.activeWorkspace;
  if (!ref) throw new NoActiveWorkspaceError();
  const folder = typeof options.folder === 'string' && options.folder ? options.folder
    : options.folder instanceof vscode.Uri ? options.folder.fsPath
      : await pickLocalFolder(context.prompts, {
        title: vscode.l10n.t('Export the data of workspace {0} into…', ref.workspaceName),
        openLabel: vscode.l10n.t('Export Here'),
        ...(vscode.workspace.workspaceFolders?.[0] ? { defaultPath: vscode.workspace.workspaceFolders[0].uri.fsPath } : {}),
      });
  const includeArtifacts = options.includeArtifacts ?? await context.prompts.pick([
    { label: vscode.l10n.t('Artifact names and sizes'), description: vscode.l10n.t('Each run\'s artifact list only'), value: false },
    { label: vscode.l10n.t('Artifact files too'), description: vscode.l10n.t('Downloads every run\'s artifact files into artifacts/<run>/'), value: true },
  ], { title: vscode.l10n.t('Export Workspace Data'), placeHolder: vscode.l10n.t('What to export of each run\'s artifacts') });
  const client = connection.workspaceClient(ref);
  const userCredential = connection.userCredential(ref.tenantId);
  const sdk = await loadAzureModules();
  let index: ExportIndex;
  try {
    index = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Azure ML: exporting workspace {0}…', ref.workspaceName), cancellable: true },
      (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        return sdk.exportWorkspaceData({
          client, folder, includeArtifacts, signal: controller.signal,
          ...(userCredential ? { userCredential } : {}),
          onProgress: (p) => progress.report({ message: vscode.l10n.t('{0}: {1} written', p.kind, p.count) }),
        });
      });
  } catch (error) {
    if ((error as { name?: string }).name === 'AbortError') {
      void vscode.window.showInformationMessage(vscode.l10n.t('The export of workspace {0} was canceled. Export into the same folder again to continue where it stopped.', ref.workspaceName));
    }
    throw error;
  }
  refuseIncompleteExport(sdk.artifactsNotWritten(index), ref.workspaceName, folder);
  void vscode.window.showInformationMessage(vscode.l10n.t('Exported workspace {0} to {1}.', ref.workspaceName, folder), vscode.l10n.t('Reveal'))
    .then((choice) => {
      if (choice === vscode.l10n.t('Reveal')) void vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(folder));
    });
  return { folder, index };
};
