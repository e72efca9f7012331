import * as l10n from '@vscode/l10n';
import { loadAzureModules } from '../../connection/loadAzureModules';
import { localPathForRemoteName } from '../../core/transfer/pathSafety';
import { remoteBaseName } from '../../core/transfer/remotePaths';
import type { TransferJournal } from '../../core/transfer/journal';
import type { ExistingFilePolicy, TransferResult } from '../../core/transfer/types';
import type { CommandContext, CommandFactory } from '../commandContext';
import { pickDatastore, targetLabel, targetOfNode, type DatastoreTarget } from './datastoreTargets';
import { startJournal } from './transferJournals';
import { inputRemoteFolder, pickLocalFolder, pickPolicy } from './transferPrompts';
import { reportTransfer, withTransferProgress } from './transferProgress';

/**
 * Downloads a datastore folder (a Datastores tree item, or one typed after picking a datastore)
 * into a new folder of the same name inside the local folder the user picks.
 */
export const downloadDatastoreFolder: CommandFactory = (context) => async (node?: unknown) => {
  const { prompts } = context;
  const fromNode = targetOfNode(node);
  const target = fromNode ?? await pickDatastore(context, l10n.t('Download from Datastore'));
  const remotePath = fromNode
    ? target.folderPath
    : await inputRemoteFolder(prompts, l10n.t('Download from {0}', target.datastore.name), l10n.t('Folder in the datastore to download'), '');
  const label = targetLabel(target, remotePath);
  const parent = await pickLocalFolder(prompts, { title: l10n.t('Download {0} into…', label), openLabel: l10n.t('Download Here') });
  const folderName = remoteBaseName(remotePath) || target.datastore.name;
  const place = localPathForRemoteName(parent, folderName);
  if (!place.ok) throw new Error(l10n.t('"{0}" can\'t be a local folder name ({1}); download a folder inside it instead.', folderName, place.reason));
  const localRoot = place.localPath;
  const policy = await pickPolicy(prompts, l10n.t('Download {0}', label), 'local folder');
  return runDownload(context, target, { remotePath, localRoot, policy });
};

async function runDownload(context: CommandContext, target: DatastoreTarget,
  download: { remotePath: string; localRoot: string; policy: ExistingFilePolicy }, resumed?: TransferJournal): Promise<TransferResult> {
  const [storage, sdk] = await Promise.all([target.access.open(), loadAzureModules()]).catch(async (error: unknown) => {
    await resumed?.close();
    throw error;
  });
  const journal = resumed ?? await startJournal(context, target, { direction: 'download', ...download });
  const result = await withTransferProgress(context, l10n.t('Downloading {0}', targetLabel(target, download.remotePath)), (options) =>
    sdk.downloadFromDatastore({ storage, ...download, ...(journal ? { journal } : {}) }, options));
  reportTransfer(context, result);
  return result;
}

/** Goes on with an interrupted download (from its journal), as it was planned. */
export function resumeDownload(context: CommandContext, target: DatastoreTarget, journal: TransferJournal): Promise<TransferResult> {
  const { plan } = journal;
  return runDownload(context, target, { remotePath: plan.remotePath, localRoot: plan.localRoot, policy: plan.policy }, journal);
}
