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
  void vscode.window.showInformationMessage(vscode.l10n.t('Exported workspace {0} to {1}.', ref.workspaceName, folder), vscode.l10n.t('Reveal'))
    .then((choice) => {
      if (choice === vscode.l10n.t('Reveal')) void vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(folder));
    });
  return { folder, index };
};
