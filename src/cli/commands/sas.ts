import { storagePathKind } from '../../azure/artifactPaths';
import { datastoreSasUrl, supportsDirectorySas, type SasScope } from '../../azure/datastoreSas';
import { parseSasExpiry } from '../../azure/sasToken';
import { openDatastoreForTransfer } from '../../core/transfer/openDatastore';
import type { CliCommand } from '../command';
import { findDatastore } from '../transferRunner';
import { UsageError } from '../usage';

export const sasCommand: CliCommand = {
  name: 'sas',
  summary: 'Print a read-only SAS URL for a datastore file or ADLS Gen2 folder (stdout only)',
  usage: 'azml sas --datastore <name> --path <file|folder> [--expiry 1h|1d|7d|<n>m|<n>h|<n>d] [--permissions r] [--container] <target>\n\n'
    + 'The URL is a secret: it goes to stdout and nowhere else. A folder of an ADLS Gen2 datastore gets a\n'
    + 'directory SAS (read and list by default, on the dfs endpoint). A blob SAS cannot be scoped to a folder:\n'
    + 'for a folder of another datastore, --container signs the whole container (or file share) instead.\n'
    + 'Links live at most 7 days.',
  options: { datastore: { type: 'string' }, path: { type: 'string' }, expiry: { type: 'string' }, permissions: { type: 'string' }, container: { type: 'boolean' } },
  needsWorkspace: true,
  async run(values, target) {
    const client = target.workspaceClient!;
    const remotePath = values['path'];
    const wholeContainer = values['container'] === true;
    if (!wholeContainer && (typeof remotePath !== 'string' || remotePath === '')) throw new UsageError('Name the file: --path <file in the datastore> (or --container for the whole container).');
    const expiresOn = parseSasExpiry(typeof values['expiry'] === 'string' ? values['expiry'] : '1h');
    if (!expiresOn) throw new UsageError('--expiry takes a number and a unit: 30m, 1h, 1d, 7d (at most 7 days).');
    const chosenPermissions = typeof values['permissions'] === 'string' ? values['permissions'] : undefined;
    const datastore = await findDatastore(client, values['datastore']);
    const secrets = datastore.credentialsType === 'None' ? undefined : await client.datastores.listSecrets(datastore.name, { accountKey: true });
    let scope: SasScope = { kind: 'container' };
    if (!wholeContainer) {
      const storage = await openDatastoreForTransfer(client, datastore, target.credential);
      const kind = await storagePathKind(storage, remotePath as string);
      if (kind === undefined) throw new UsageError(`"${String(remotePath)}" is not a file or folder in datastore ${datastore.name}.`);
      if (kind === 'folder' && !supportsDirectorySas(datastore)) {
        throw new UsageError(`"${String(remotePath)}" is a folder, and a blob SAS cannot be scoped to a folder: add --container for a SAS of the whole container (everything in datastore ${datastore.name}).`);
      }
      scope = { kind: kind === 'folder' ? 'directory' : 'file', path: remotePath as string };
    }
    const url = await datastoreSasUrl({
      cloud: client.cloud, datastore, ...(secrets ? { secrets } : {}), userCredential: target.credential,
      scope, expiresOn, ...(chosenPermissions ? { permissions: chosenPermissions } : {}),
    });
    process.stdout.write(values['json'] ? `${JSON.stringify({ url, expiresOn: expiresOn.toISOString() })}\n` : `${url}\n`);
  },
};
