import * as l10n from '@vscode/l10n';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { loadAzureModules } from '../../connection/loadAzureModules';
import { joinRemote } from '../../core/transfer/remotePaths';
import type { TransferJournal } from '../../core/transfer/journal';
import type { TransferResult } from '../../core/transfer/types';
import { planUpload, type UploadSelection } from '../../core/transfer/uploadPlan';
import type { CommandContext, CommandFactory } from '../commandContext';
import { pickDatastore, targetLabel, targetOfNode, type DatastoreTarget } from './datastoreTargets';
import { inputRemoteFolder, pickLocalFiles, pickLocalFolder, pickPolicy, RememberedTargets } from './transferPrompts';
import { reportTransfer, withTransferProgress } from './transferProgress';
import { startJournal } from './transferJournals';
import { transferSession, type RetryableUpload } from './transferSession';

export const retryFailedUploadsCommand = 'azureml.retryFailedUploads';

/** Runs an upload with progress, reports it, remembers its failures for "Retry Failed" and refreshes the Datastores view. */
export async function runUpload(context: CommandContext, upload: Omit<RetryableUpload, 'entries'> & { entries?: string[] },
  resumed?: TransferJournal): Promise<TransferResult> {
  const { target } = upload;
  const [storage, sdk] = await Promise.all([target.access.open(), loadAzureModules()]).catch(async (error: unknown) => {
    await resumed?.close();
    throw error;
  });
  const journal = resumed ?? await startJournal(context, target, {
    direction: 'upload', remotePath: upload.targetPath, localRoot: upload.localRoot,
    ...(upload.entries ? { entries: upload.entries } : {}), policy: upload.policy,
  });
  const result = await withTransferProgress(context, l10n.t('Uploading to {0}', targetLabel(target, upload.targetPath)), (options) => sdk.uploadToDatastore({
    storage,
    localRoot: upload.localRoot,
    ...(upload.entries ? { entries: upload.entries } : {}),
    targetPath: upload.targetPath,
    policy: upload.policy,
    ...(journal ? { journal } : {}),
  }, options));
  const session = transferSession(context);
  await session.setLastFailed(result.failed.length > 0 && !result.fatal
    ? { ...upload, entries: result.failed.map((f) => path.join(result.localRoot, ...f.path.replace(/\/$/, '').split('/'))) }
    : undefined);
  reportTransfer(context, result, retryFailedUploadsCommand);
  context.views.datastores.refresh();
  return result;
}

/** Goes on with an interrupted upload (from its journal), as it was planned. */
export function resumeUpload(context: CommandContext, target: DatastoreTarget, journal: TransferJournal): Promise<TransferResult> {
  const { plan } = journal;
  return runUpload(context, {
    target, localRoot: plan.localRoot, targetPath: plan.remotePath, policy: plan.policy, ...(plan.entries ? { entries: plan.entries } : {}),
  }, journal);
}

/**
 * Asks where in the datastore (proposing `proposed`, else the folder's last target, else its
 * name) and what to do with existing files, then uploads.
 */
async function uploadSelection(context: CommandContext, selection: UploadSelection, target: DatastoreTarget, proposed?: string): Promise<TransferResult> {
  const { prompts } = context;
  const remembered = new RememberedTargets(context.workspaceState);
  const title = l10n.t('Upload {0} to {1}', path.basename(selection.entries?.length === 1 ? selection.entries[0]! : selection.localRoot), target.datastore.name);
  const targetPath = await inputRemoteFolder(prompts, title, l10n.t('Folder in {0} to upload into', target.datastore.name),
    proposed ?? remembered.get(selection.localRoot, target.datastore.name) ?? selection.defaultTarget);
  const policy = await pickPolicy(prompts, title, 'datastore');
  await remembered.set(selection.localRoot, target.datastore.name, targetPath);
  return runUpload(context, {
    target, localRoot: selection.localRoot, targetPath, policy,
    ...(selection.entries ? { entries: selection.entries } : {}),
  });
}

/** Explorer context menu (one or several files and folders) and the command palette. */
export const uploadToDatastore: CommandFactory = (context) => async (uri?: vscode.Uri, uris?: vscode.Uri[]) => {
  const chosen = uris && uris.length > 0 ? uris.map((u) => u.fsPath)
    : uri ? [uri.fsPath]
    : [await pickLocalFolder(context.prompts, { title: l10n.t('Upload to Datastore'), openLabel: l10n.t('Upload') })];
  const selection = await planUpload(chosen);
  const first = path.basename(chosen[0]!);
  const target = await pickDatastore(context, chosen.length > 1 ? l10n.t('Upload {0} and {1} more to…', first, chosen.length - 1) : l10n.t('Upload {0} to…', first));
  return uploadSelection(context, selection, target);
};

/** Datastores tree: a datastore or a folder in it. */
export const uploadFolderToDatastore: CommandFactory = (context) => async (node?: unknown) => {
  const target = targetOfNode(node) ?? await pickDatastore(context, l10n.t('Upload Folder to…'));
  const folder = await pickLocalFolder(context.prompts, { title: l10n.t('Upload Folder to {0}', targetLabel(target)), openLabel: l10n.t('Upload') });
  const selection = await planUpload([folder]);
  // Into a folder item: a subfolder named like the local folder.
  return uploadSelection(context, selection, target, target.folderPath ? joinRemote(target.folderPath, selection.defaultTarget) : undefined);
};

export const uploadFilesToDatastore: CommandFactory = (context) => async (node?: unknown) => {
  const target = targetOfNode(node) ?? await pickDatastore(context, l10n.t('Upload Files to…'));
  const files = await pickLocalFiles(context.prompts, { title: l10n.t('Upload Files to {0}', targetLabel(target)), openLabel: l10n.t('Upload') });
  // Files go right into the item they were uploaded to.
  return uploadSelection(context, await planUpload(files), target, target.folderPath);
};
