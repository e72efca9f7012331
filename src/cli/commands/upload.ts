import type { DatastoreStorage } from '../../azure/datastoreStorage';
import { localFileProblem } from '../../core/localFileErrors';
import type { NewTransferPlan, TransferJournal } from '../../core/transfer/journal';
import { openDatastoreForTransfer } from '../../core/transfer/openDatastore';
import { normalizeRemoteFolder, remoteFolderProblem } from '../../core/transfer/remotePaths';
import { uploadToDatastore } from '../../core/transfer/uploadFolder';
import { planUpload } from '../../core/transfer/uploadPlan';
import type { CliCommand } from '../command';
import { printResumeHint, resumeJournal, startJournal } from '../transferJournals';
import { findDatastore, onExistsHelp, parsePolicy, runTransfer } from '../transferRunner';
import { UsageError } from '../usage';

export const uploadCommand: CliCommand = {
  name: 'upload',
  summary: 'Upload a folder (or files) to a datastore',
  usage: `azml upload <folder|file>... --datastore <name> [--target <path>] [${onExistsHelp}] [--json] <target>\n`
    + '       azml upload --resume [<id>|latest] [--json] <target>\n\n'
    + 'One folder: its contents go to <path> (default: the folder\'s name). Files or several folders keep their names under <path>\n'
    + '(default: their parent folder\'s name). .amlignore (else .gitignore) at the folder\'s root is honoured; .git is never uploaded.\n'
    + 'An interrupted upload (Ctrl-C, a crash, a failure) goes on where it stopped with --resume: files done and unchanged\n'
    + 'since are not sent again, nor the blocks of a large file already staged. azml transfers lists interrupted transfers.',
  options: { datastore: { type: 'string' }, target: { type: 'string' }, 'on-exists': { type: 'string' }, resume: { type: 'boolean' } },
  needsWorkspace: true,
  async run(values, target, positionals) {
    const client = target.workspaceClient!;
    if (values['resume'] === true) {
      for (const option of ['datastore', 'target', 'on-exists']) {
        if (values[option] !== undefined) throw new UsageError(`--resume goes on with the interrupted upload as it was planned: leave out --${option}.`);
      }
      const journal = await resumeJournal(values, positionals, 'upload');
      const storage = await findDatastore(client, journal.plan.datastore)
        .then((datastore) => openDatastoreForTransfer(client, datastore, target.credential))
        .catch(async (error: unknown) => {
          await journal.close();
          throw error;
        });
      return upload(storage, journal.plan, journal, values['json'] === true);
    }
    if (positionals.length === 0) throw new UsageError('Name the folder to upload: azml upload <folder> --datastore <name>.');
    const policy = parsePolicy(values['on-exists']);
    const typedTarget = values['target'];
    if (typeof typedTarget === 'string' && remoteFolderProblem(typedTarget)) throw new UsageError(`--target: ${remoteFolderProblem(typedTarget)}`);
    const selection = await planUpload(positionals).catch((error: unknown) => {
      throw new UsageError(localFileProblem(error) ?? `Can't upload ${positionals.join(', ')}: ${(error as Error).message}`);
    });
    const datastore = await findDatastore(client, values['datastore']);
    const storage = await openDatastoreForTransfer(client, datastore, target.credential);
    const targetPath = normalizeRemoteFolder(typeof typedTarget === 'string' ? typedTarget : selection.defaultTarget);
    const plan = {
      direction: 'upload' as const, datastore: datastore.name, remotePath: targetPath, localRoot: selection.localRoot,
      ...(selection.entries ? { entries: [...selection.entries] } : {}), policy,
    };
    return upload(storage, plan, await startJournal(values, plan), values['json'] === true);
  },
};

async function upload(storage: DatastoreStorage, plan: Omit<NewTransferPlan, 'workspace'>, journal: TransferJournal | undefined, json: boolean): Promise<number> {
  const code = await runTransfer(json, (options) => uploadToDatastore({
    storage,
    localRoot: plan.localRoot,
    ...(plan.entries ? { entries: plan.entries } : {}),
    targetPath: plan.remotePath,
    policy: plan.policy,
    ...(journal ? { journal } : {}),
  }, options));
  printResumeHint(journal);
  return code;
}
