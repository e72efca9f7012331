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
    { title: 'Unregister Datastore', placeHolder: 'The datastore to remove from the workspace (its data stays in storage)' });
  const where = datastoreLocation(datastore);
  const what = noun[datastore.datastoreType] ?? 'storage';
  await (prompts.confirm ?? vscodePrompts.confirm!)({
    message: `Unregister datastore "${datastore.name}"?`,
    detail: `Workspace "${workspace.workspaceName}" will no longer list it. The data in the ${what} ${where} is kept: nothing in storage is deleted.`,
    confirm: 'Unregister',
  });
  await client.datastores.delete(datastore.name);
  context.log.info(`Unregistered datastore "${datastore.name}" (${where}); its storage was not touched.`);
  context.views.datastores.refresh();
  void vscode.window.showInformationMessage(`Unregistered datastore "${datastore.name}". Its data is still in ${where}.`);
  return datastore.name;
};
