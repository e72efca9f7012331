import { downloadFromDatastore } from '../../core/transfer/downloadFolder';
import { openDatastoreForTransfer } from '../../core/transfer/openDatastore';
import { remoteFolderProblem } from '../../core/transfer/remotePaths';
import type { CliCommand } from '../command';
import { findDatastore, onExistsHelp, parsePolicy, runTransfer } from '../transferRunner';
import { UsageError } from '../usage';

export const downloadCommand: CliCommand = {
  name: 'download',
  summary: 'Download a datastore folder to a local folder',
  usage: `azml download --datastore <name> --path <remote folder> --to <local folder> [${onExistsHelp}] [--json] <target>\n\n`
    + 'Remote names that would land outside the local folder (.., absolute paths, backslashes) are refused and reported.',
  options: { datastore: { type: 'string' }, path: { type: 'string' }, to: { type: 'string' }, 'on-exists': { type: 'string' } },
  needsWorkspace: true,
  async run(values, target) {
    const remotePath = values['path'];
    const to = values['to'];
    if (typeof remotePath !== 'string') throw new UsageError('Name the folder to download: --path <folder in the datastore> ("" or / for all of it).');
    if (remoteFolderProblem(remotePath)) throw new UsageError(`--path: ${remoteFolderProblem(remotePath)}`);
    if (typeof to !== 'string' || to === '') throw new UsageError('Name the local folder to download into: --to <folder>.');
    const policy = parsePolicy(values['on-exists']);
    const client = target.workspaceClient!;
    const datastore = await findDatastore(client, values['datastore']);
    const storage = await openDatastoreForTransfer(client, datastore, target.credential);
    return runTransfer(values['json'] === true, (options) => downloadFromDatastore({ storage, remotePath, localRoot: to, policy }, options));
  },
};
