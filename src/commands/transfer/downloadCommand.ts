import { loadAzureModules } from '../../connection/loadAzureModules';
import { localPathForRemoteName } from '../../core/transfer/pathSafety';
import { remoteBaseName } from '../../core/transfer/remotePaths';
import type { CommandFactory } from '../commandContext';
import { pickDatastore, targetLabel, targetOfNode } from './datastoreTargets';
import { inputRemoteFolder, pickLocalFolder, pickPolicy } from './transferPrompts';
import { reportTransfer, withTransferProgress } from './transferProgress';

/**
 * Downloads a datastore folder (a Datastores tree item, or one typed after picking a datastore)
 * into a new folder of the same name inside the local folder the user picks.
 */
export const downloadDatastoreFolder: CommandFactory = (context) => async (node?: unknown) => {
  const { prompts } = context;
  const fromNode = targetOfNode(node);
  const target = fromNode ?? await pickDatastore(context, 'Download from Datastore');
  const remotePath = fromNode
    ? target.folderPath
    : await inputRemoteFolder(prompts, `Download from ${target.datastore.name}`, 'Folder in the datastore to download', '');
  const label = targetLabel(target, remotePath);
  const parent = await pickLocalFolder(prompts, { title: `Download ${label} into…`, openLabel: 'Download Here' });
  const folderName = remoteBaseName(remotePath) || target.datastore.name;
  const place = localPathForRemoteName(parent, folderName);
  if (!place.ok) throw new Error(`"${folderName}" can't be a local folder name (${place.reason}); download a folder inside it instead.`);
  const localRoot = place.localPath;
  const policy = await pickPolicy(prompts, `Download ${label}`, 'local folder');
  const storage = await target.access.open();
  const sdk = await loadAzureModules();
  const result = await withTransferProgress(context, `Downloading ${label}`, (options) =>
    sdk.downloadFromDatastore({ storage, remotePath, localRoot, policy }, options));
  reportTransfer(context, result);
  return result;
};
