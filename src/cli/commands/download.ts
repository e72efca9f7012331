import * as path from 'node:path';
import { downloadFromDatastore } from '../../core/transfer/downloadFolder';
import { openDatastoreForTransfer } from '../../core/transfer/openDatastore';
import { normalizeRemoteFolder, remoteFolderProblem } from '../../core/transfer/remotePaths';
import type { CliCommand } from '../command';
import { printResumeHint, resumeJournal, startJournal } from '../transferJournals';
import { findDatastore, onExistsHelp, parsePolicy, runTransfer } from '../transferRunner';
import { UsageError } from '../usage';

export const downloadCommand: CliCommand = {
  name: 'download',
  summary: 'Download a datastore folder to a local folder',
  usage: `azml download --datastore <name> --path <remote folder> --to <local folder> [${onExistsHelp}] [--json] <target>\n`
    + '       azml download --resume [<id>|latest] [--json] <target>\n\n'
    + 'Remote names that would land outside the local folder (.., absolute paths, backslashes) are refused and reported.\n'
    + 'An interrupted download goes on where it stopped with --resume: files done and unchanged since are not fetched again.',
  options: { datastore: { type: 'string' }, path: { type: 'string' }, to: { type: 'string' }, 'on-exists': { type: 'string' }, resume: { type: 'boolean' } },
  needsWorkspace: true,
  async run(values, target, positionals) {
    const client = target.workspaceClient!;
    const json = values['json'] === true;
    if (values['resume'] === true) {
      for (const option of ['datastore', 'path', 'to', 'on-exists']) {
        if (values[option] !== undefined) throw new UsageError(`--resume goes on with the interrupted download as it was planned: leave out --${option}.`);
      }
      const journal = await resumeJournal(values, positionals, 'download');
      const { plan } = journal;
      const storage = await findDatastore(client, plan.datastore)
        .then((datastore) => openDatastoreForTransfer(client, datastore, target.credential))
        .catch(async (error: unknown) => {
          await journal.close();
          throw error;
        });
      const code = await runTransfer(json, (options) => downloadFromDatastore({
        storage, remotePath: plan.remotePath, localRoot: plan.localRoot, policy: plan.policy, journal,
      }, options));
      printResumeHint(journal);
      return code;
    }
    const remotePath = values['path'];
    const to = values['to'];
    if (typeof remotePath !== 'string') throw new UsageError('Name the folder to download: --path <folder in the datastore> ("" or / for all of it).');
    if (remoteFolderProblem(remotePath)) throw new UsageError(`--path: ${remoteFolderProblem(remotePath)}`);
    if (typeof to !== 'string' || to === '') throw new UsageError('Name the local folder to download into: --to <folder>.');
    const policy = parsePolicy(values['on-exists']);
    const datastore = await findDatastore(client, values['datastore']);
    const storage = await openDatastoreForTransfer(client, datastore, target.credential);
    const journal = await startJournal(values, {
      direction: 'download', datastore: datastore.name, remotePath: normalizeRemoteFolder(remotePath), localRoot: path.resolve(to), policy,
    });
    const code = await runTransfer(json, (options) => downloadFromDatastore({ storage, remotePath, localRoot: to, policy, ...(journal ? { journal } : {}) }, options));
    printResumeHint(journal);
    return code;
  },
};
