import * as vscode from 'vscode';
import { loadAzureModules } from '../../connection/loadAzureModules';
import { ModelVersionNode } from '../../tree/models/modelNodes';
import type { CommandFactory } from '../commandContext';
import { pickLocalFolder, pickPolicy } from '../transfer/transferPrompts';
import { reportTransfer, withTransferProgress } from '../transfer/transferProgress';

/**
 * Downloads a model version's files into `<model>-<version>` inside the local folder the user
 * picks, with the version's metadata beside them as model.json.
 */
export const downloadModel: CommandFactory = (context) => async (node?: unknown) => {
  if (!(node instanceof ModelVersionNode)) throw new Error(vscode.l10n.t('Download Model works on a model version in the Models view: right-click the version.'));
  const { version } = node;
  const { client, connection, workspace } = await context.connections.activeWorkspaceClient();
  const label = `${version.name}:${version.version}`;
  const parent = await pickLocalFolder(context.prompts, { title: vscode.l10n.t('Download model {0} into…', label), openLabel: vscode.l10n.t('Download Here') });
  const sdk = await loadAzureModules();
  const localRoot = sdk.modelDownloadFolder(parent, version);
  const policy = await pickPolicy(context.prompts, vscode.l10n.t('Download model {0}', label), 'local folder');
  const userCredential = connection.userCredential(workspace.tenantId);
  const result = await withTransferProgress(context, vscode.l10n.t('Downloading model {0}', label), (options) =>
    sdk.downloadModelVersion({ client, version, localRoot, policy, ...(userCredential ? { userCredential } : {}) }, options));
  reportTransfer(context, result);
  return result;
};
