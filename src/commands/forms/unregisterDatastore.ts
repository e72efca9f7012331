import * as vscode from 'vscode';
import type { Datastore } from '../../azure/domain';
import { collectPages } from '../../core/pages';
import { DatastoreNode, datastoreLocation } from '../../tree/datastores/datastoreNode';
import { vscodePrompts } from '../../ui/prompts';
import type { CommandFactory } from '../commandContext';

/** What stays where it is, as a whole sentence per kind of storage. */
function dataKept(datastore: Datastore, workspaceName: string, where: string): string {
  switch (datastore.datastoreType) {
    case 'AzureBlob': return vscode.l10n.t('Workspace "{0}" will no longer list it. The data in the container {1} is kept: nothing in storage is deleted.', workspaceName, where);
    case 'AzureFile': return vscode.l10n.t('Workspace "{0}" will no longer list it. The data in the file share {1} is kept: nothing in storage is deleted.', workspaceName, where);
    case 'AzureDataLakeGen2': return vscode.l10n.t('Workspace "{0}" will no longer list it. The data in the file system {1} is kept: nothing in storage is deleted.', workspaceName, where);
    default: return vscode.l10n.t('Workspace "{0}" will no longer list it. The data in the storage {1} is kept: nothing in storage is deleted.', workspaceName, where);
  }
}

/**
 * Removes a datastore from the workspace after a modal confirmation; the data in its storage
 * stays. From the palette it asks which (the default datastore cannot be unregistered).
 */
export const unregisterDatastore: CommandFactory = (context) => async (node?: DatastoreNode) => {
  const { client, workspace } = await context.connections.activeWorkspaceClient();
  const prompts = context.prompts;
  const datastore: Datastore = node instanceof DatastoreNode ? node.datastore : await prompts.pick(
    collectPages((t) => client.datastores.list(t ? { continuationToken: t } : {})).then((all) => all
      .filter((d) => !d.isDefault)
      .map((d) => ({ label: d.name, description: datastoreLocation(d), value: d }))),
    { title: vscode.l10n.t('Unregister Datastore'), placeHolder: vscode.l10n.t('The datastore to remove from the workspace (its data stays in storage)') });
  const where = datastoreLocation(datastore);
  await (prompts.confirm ?? vscodePrompts.confirm!)({
    message: vscode.l10n.t('Unregister datastore "{0}"?', datastore.name),
    detail: dataKept(datastore, workspace.workspaceName, where),
    confirm: vscode.l10n.t('Unregister'),
  });
  await client.datastores.delete(datastore.name);
  context.log.info(vscode.l10n.t('Unregistered datastore "{0}" ({1}); its storage was not touched.', datastore.name, where));
  context.views.datastores.refresh();
  void vscode.window.showInformationMessage(vscode.l10n.t('Unregistered datastore "{0}". Its data is still in {1}.', datastore.name, where));
  return datastore.name;
};
