import * as vscode from 'vscode';
import type { CommandFactory } from './commandContext';

export const signIn: CommandFactory = ({ connections }) => async (tenantId?: string) => {
  const signedIn = await connections.connectAzure(typeof tenantId === 'string' ? tenantId : undefined);
  return signedIn;
};

export const signOut: CommandFactory = ({ connections }) => async () => {
  await connections.disconnect();
};

export const useLocalWorkspace: CommandFactory = ({ connections }) => async () => {
  const start = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Azure ML: connecting to the local workspace…') },
    () => connections.connectLocal(),
  );
  if (start.started) {
    void vscode.window.showInformationMessage(start.seeded
      ? vscode.l10n.t('Started a new local workspace with demo content in {0}. It stops when VS Code closes.', connections.localDataDir)
      : vscode.l10n.t('Started the local workspace in {0}. It stops when VS Code closes.', connections.localDataDir));
  }
  return start.service.workspace;
};

export const stopLocalWorkspace: CommandFactory = ({ connections }) => async () => {
  await connections.stopLocal();
};
