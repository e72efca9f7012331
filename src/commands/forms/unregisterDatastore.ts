import * as vscode from 'vscode';
import type { Datastore } from '../../azure/domain';
import { collectPages } from '../../core/pages';
import { DatastoreNode, datastoreLocation } from '../../tree/datastores/datastoreNode';
import { vscodePrompts } from '../../ui/prompts';
import type { CommandFactory } from '../commandContext';

const noun: Record<string, string> = { AzureBlob: 'container', AzureFile: 'file share', AzureDataLakeGen2: 'file system' };

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
  const what = noun[datastore.datastoreType] ?? 'storage';
  await (prompts.confirm ?? vscodePrompts.confirm!)({
    message: vscode.l10n.t('Unregister datastore "{0}"?', datastore.name),
    detail: vscode.l10n.t('Workspace "{0}" will no longer list it. The data in the {1} {2} is kept: nothing in storage is deleted.', workspace.workspaceName, what, where),
    confirm: 'Unregister',
  });
  await client.datastores.delete(datastore.name);
  context.log.info(`Unregistered datastore "${datastore.name}" (${where}); its storage was not touched.`);
  context.views.datastores.refresh();
  void vscode.window.showInformationMessage(vscode.l10n.t('Unregistered datastore "{0}". Its data is still in {1}.', datastore.name, where));
  return datastore.name;
};
