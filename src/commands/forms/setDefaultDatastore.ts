import * as vscode from 'vscode';
import type { Datastore } from '../../azure/domain';
import { collectPages } from '../../core/pages';
import { DatastoreNode, datastoreLocation } from '../../tree/datastores/datastoreNode';
import type { CommandFactory } from '../commandContext';

/** Makes a datastore the workspace default (the one uploads and models use unless told otherwise). */
export const setDefaultDatastore: CommandFactory = (context) => async (node?: DatastoreNode) => {
  const { client, workspace } = await context.connections.activeWorkspaceClient();
  const datastore: Datastore = node instanceof DatastoreNode ? node.datastore : await context.prompts.pick(
    collectPages((t) => client.datastores.list(t ? { continuationToken: t } : {})).then((all) => all
      .filter((d) => !d.isDefault)
      .map((d) => ({ label: d.name, description: datastoreLocation(d), value: d }))),
    { title: vscode.l10n.t('Set Default Datastore'), placeHolder: vscode.l10n.t('The datastore to make the workspace default') });
  await client.datastores.setDefault(datastore.name);
  context.log.info(vscode.l10n.t('Datastore "{0}" is now the default of workspace "{1}".', datastore.name, workspace.workspaceName));
  context.views.datastores.refresh();
  void vscode.window.showInformationMessage(vscode.l10n.t('"{0}" is now the default datastore of {1}.', datastore.name, workspace.workspaceName));
  return datastore.name;
};
