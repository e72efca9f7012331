import * as vscode from 'vscode';
import { RegisterDatastoreForm } from '../../forms/registerDatastoreForm';
import type { CommandFactory } from '../commandContext';

/** Opens the Register Datastore form for the active workspace (or shows the open one). */
export const registerDatastore: CommandFactory = (context) => async () => {
  const { client, connection, workspace } = await context.connections.activeWorkspaceClient();
  const form = new RegisterDatastoreForm({
    client, connection, workspace, log: context.log,
    onRegistered: (datastore) => {
      context.views.datastores.refresh();
      void vscode.window.showInformationMessage(vscode.l10n.t('Registered datastore "{0}" in workspace "{1}".', datastore.name, workspace.workspaceName));
    },
  });
  context.forms.show(form, RegisterDatastoreForm.initialDraft(connection));
};
