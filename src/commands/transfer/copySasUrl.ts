import * as vscode from 'vscode';
import type { SasScope } from '../../azure/datastoreSas';
import { maxSasLifetimeMs, parseSasExpiry, utcMinute } from '../../azure/sasToken';
import { DatastoreNode } from '../../tree/datastores/datastoreNode';
import { StorageFileNode, StorageFolderNode } from '../../tree/datastores/storageEntryNodes';
import type { TreeNode } from '../../tree/treeNode';
import { UserCancelledError, vscodePrompts } from '../../ui/prompts';
import type { CommandFactory } from '../commandContext';

function datastoreOf(node: TreeNode): DatastoreNode | undefined {
  let parent: TreeNode | undefined = node.parent;
  while (parent && !(parent instanceof DatastoreNode)) parent = parent.parent;
  return parent;
}

const customExpiry = 'custom';

/**
 * Copies a read-only SAS URL of a datastore file to the clipboard. A folder of an ADLS Gen2
 * datastore can have a directory SAS (read and list); for a folder of another datastore a blob
 * SAS cannot be scoped to it, so a SAS of the whole container (or share) is offered instead. The
 * URL goes to the clipboard only: never to the log or a message.
 */
export const copySasUrl: CommandFactory = (context) => async (node?: unknown) => {
  if (!(node instanceof StorageFileNode || node instanceof StorageFolderNode)) {
    throw new Error(vscode.l10n.t('Copy SAS URL works on a file in the Datastores view: right-click the file.'));
  }
  const datastoreNode = datastoreOf(node);
  if (!datastoreNode) throw new Error(vscode.l10n.t('This file is not inside a datastore.'));
  const { datastore, access } = datastoreNode;
  const prompts = context.prompts;
  let scope: SasScope = { kind: 'file', path: node.entry.path };
  let what = `${datastore.name}/${node.entry.path}`;
  if (node instanceof StorageFolderNode && datastore.datastoreType === 'AzureDataLakeGen2') {
    scope = await prompts.pick<SasScope>([
      { label: vscode.l10n.t('Only the folder {0}', node.entry.path), description: vscode.l10n.t('directory SAS: read and list'), value: { kind: 'directory', path: node.entry.path } },
      { label: vscode.l10n.t('The whole file system of datastore {0}', datastore.name), description: vscode.l10n.t('container SAS: every file in it, read-only'), value: { kind: 'container' } },
    ], { title: vscode.l10n.t('Copy SAS URL of {0}', `${datastore.name}/${node.entry.path}`), placeHolder: vscode.l10n.t('What the read-only link opens') });
    if (scope.kind === 'container') what = datastore.name;
  } else if (node instanceof StorageFolderNode) {
    await (prompts.confirm ?? vscodePrompts.confirm!)({
      message: vscode.l10n.t('A blob SAS cannot be scoped to the folder "{0}".', node.entry.path),
      detail: vscode.l10n.t('A container SAS opens everything in datastore "{0}", not only this folder. Copy a read-only SAS URL of the whole container?', datastore.name),
      confirm: vscode.l10n.t('Copy Container SAS URL'),
    });
    scope = { kind: 'container' };
    what = datastore.name;
  }
  const choice = await prompts.pick([
    { label: vscode.l10n.t('1 hour'), value: '1h' },
    { label: vscode.l10n.t('1 day'), value: '1d' },
    { label: vscode.l10n.t('7 days'), value: '7d' },
    { label: vscode.l10n.t('Custom…'), value: customExpiry },
  ], { title: vscode.l10n.t('Copy SAS URL of {0}', what), placeHolder: vscode.l10n.t('How long the read-only link works') });
  const expiry = choice !== customExpiry ? choice : await prompts.input({
    title: vscode.l10n.t('Copy SAS URL of {0}', what),
    prompt: vscode.l10n.t('How long the link works: minutes, hours or days, for example 30m, 12h or 3d (at most 7 days).'),
    validateInput: (text) => {
      const at = parseSasExpiry(text);
      if (!at) return vscode.l10n.t('Type a number and a unit: 30m, 12h or 3d.');
      return at.getTime() - Date.now() > maxSasLifetimeMs ? vscode.l10n.t('At most 7 days.') : undefined;
    },
  });
  const expiresOn = parseSasExpiry(expiry);
  if (!expiresOn) throw new UserCancelledError();
  const url = await access.sasUrl(scope, expiresOn);
  await vscode.env.clipboard.writeText(url);
  context.log.info(vscode.l10n.t('Copied a read-only SAS URL of {0} (valid until {1}) to the clipboard.', what, utcMinute(expiresOn)));
  void vscode.window.showInformationMessage(vscode.l10n.t('Copied a read-only SAS URL of {0} to the clipboard. It works until {1}.', what, utcMinute(expiresOn)));
};
