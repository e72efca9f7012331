import { localFileProblem } from '../../core/localFileErrors';
import { openDatastoreForTransfer } from '../../core/transfer/openDatastore';
import { normalizeRemoteFolder, remoteFolderProblem } from '../../core/transfer/remotePaths';
import { uploadToDatastore } from '../../core/transfer/uploadFolder';
import { planUpload } from '../../core/transfer/uploadPlan';
import type { CliCommand } from '../command';
import { findDatastore, onExistsHelp, parsePolicy, runTransfer } from '../transferRunner';
import { UsageError } from '../usage';

export const uploadCommand: CliCommand = {
  name: 'upload',
  summary: 'Upload a folder (or files) to a datastore',
  usage: `azml upload <folder|file>... --datastore <name> [--target <path>] [${onExistsHelp}] [--json] <target>\n\n`
    + 'One folder: its contents go to <path> (default: the folder\'s name). Files or several folders keep their names under <path>\n'
    + '(default: their parent folder\'s name). .amlignore (else .gitignore) at the folder\'s root is honoured; .git is never uploaded.',
  options: { datastore: { type: 'string' }, target: { type: 'string' }, 'on-exists': { type: 'string' } },
  needsWorkspace: true,
  async run(values, target, positionals) {
    if (positionals.length === 0) throw new UsageError('Name the folder to upload: azml upload <folder> --datastore <name>.');
    const policy = parsePolicy(values['on-exists']);
    const typedTarget = values['target'];
    if (typeof typedTarget === 'string' && remoteFolderProblem(typedTarget)) throw new UsageError(`--target: ${remoteFolderProblem(typedTarget)}`);
    const selection = await planUpload(positionals).catch((error: unknown) => {
      throw new UsageError(localFileProblem(error) ?? `Can't upload ${positionals.join(', ')}: ${(error as Error).message}`);
    });
    const client = target.workspaceClient!;
    const datastore = await findDatastore(client, values['datastore']);
    const storage = await openDatastoreForTransfer(client, datastore, target.credential);
    const targetPath = normalizeRemoteFolder(typeof typedTarget === 'string' ? typedTarget : selection.defaultTarget);
    return runTransfer(values['json'] === true, (options) => uploadToDatastore({
      storage,
      localRoot: selection.localRoot,
      ...(selection.entries ? { entries: selection.entries } : {}),
      targetPath,
      policy,
    }, options));
  },
};
