import * as vscode from 'vscode';
import type { BackupDestination } from '../../core/models/backupModel';
import { loadAzureModules } from '../../connection/loadAzureModules';
import { ModelVersionNode } from '../../tree/models/modelNodes';
import type { CommandFactory } from '../commandContext';

const otherAccount = Symbol('account');

/**
 * Copies a model version's files into a blob container the user picks (a blob datastore, or a
 * storage account and container reached with the user's sign-in) as `<model>/<version>/…`
 * with model.json. Blob sources are copied by the service; progress and cancel as any transfer.
 */
export const backupModel: CommandFactory = (context) => async (node?: unknown) => {
  if (!(node instanceof ModelVersionNode)) throw new Error(vscode.l10n.t('Back Up Model to Storage works on a model version in the Models view.'));
  const { version } = node;
  const label = `${version.name}:${version.version}`;
  const { client, connection, workspace } = await context.connections.activeWorkspaceClient();
  const prompts = context.prompts;
  const title = vscode.l10n.t('Back up model {0}', label);
  const picked = await prompts.pick<string | typeof otherAccount>((async () => {
    const items: Array<{ label: string; description?: string; value: string | typeof otherAccount }> = [];
    for await (const d of client.datastores.listAll()) {
      if (d.datastoreType === 'AzureBlob' || d.datastoreType === 'AzureDataLakeGen2') items.push({ label: d.name, description: `${d.accountName ?? ''}/${d.containerName ?? d.filesystem ?? ''}`, value: d.name });
    }
    items.push({ label: vscode.l10n.t('Another storage account and container…'), value: otherAccount });
    return items;
  })(), { title, placeHolder: vscode.l10n.t('The blob container the files are copied into') });
  let destination: BackupDestination;
  if (picked === otherAccount) {
    const accountName = await prompts.input({ title, prompt: vscode.l10n.t('Storage account name'), validateInput: (v) => (/^[a-z0-9]{3,24}$/.test(v) ? undefined : vscode.l10n.t('3 to 24 lower-case letters and digits.')) });
    const containerName = await prompts.input({ title, prompt: vscode.l10n.t('Container name'), validateInput: (v) => (/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/.test(v) ? undefined : vscode.l10n.t('3 to 63 lower-case letters, digits and single hyphens.')) });
    destination = { kind: 'account', accountName, containerName };
  } else {
    destination = { kind: 'datastore', name: picked };
  }
  const prefix = await prompts.input({ title, prompt: vscode.l10n.t('Folder in the container above {0}/{1}/ (empty for its root)', version.name, version.version), value: 'model-backups' });
  const sdk = await loadAzureModules();
  const userCredential = connection.userCredential(workspace.tenantId);
  const container = await sdk.openBackupDestination(client, destination, userCredential);
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Backing up model {0}', label), cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort());
    let done = 0;
    try {
      return await sdk.backupModelVersion({
        client, version, destination: container, destinationPrefix: prefix, signal: controller.signal, ...(userCredential ? { userCredential } : {}),
        onProgress: (p) => {
          progress.report({ message: vscode.l10n.t('{0} / {1} files', p.filesDone, p.filesTotal), increment: p.filesTotal ? ((p.filesDone - done) / p.filesTotal) * 100 : 0 });
          done = p.filesDone;
        },
      });
    } finally {
      cancel.dispose();
    }
  });
  const summary = vscode.l10n.t('Backup of model {0} to {1}: {2} copied by the storage service, {3} streamed, {4} already there.', label, result.destination, result.copiedServerSide, result.streamed, result.skipped);
  context.log.info(summary + result.failed.map((f) => `\n  ${f.path}: ${f.reason}`).join(''));
  if (result.failed.length > 0) void vscode.window.showWarningMessage(vscode.l10n.t('{0} files of model {1} could not be backed up; run the backup again to finish (it skips what is there).', result.failed.length, label));
  else if (result.canceled) void vscode.window.showWarningMessage(vscode.l10n.t('Backup of model {0} canceled; run it again to finish (it skips what is there).', label));
  else void vscode.window.showInformationMessage(summary);
  return result;
};
