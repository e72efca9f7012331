import { backupModelVersion, openBackupDestination, type BackupDestination } from '../../core/models/backupModel';
import type { CliCommand } from '../command';
import { checkedDatastoreName, checkedModelName } from '../nameChecks';
import { orNotFound } from '../notFound';
import { UsageError } from '../usage';

export const backupModelCommand: CliCommand = {
  name: 'backup-model',
  summary: 'Copy a model version\'s files into a blob container as <model>/<version>/… plus model.json',
  usage: 'azml backup-model --name <model> --version <version> (--to-datastore <blob datastore> | --account <storage account> --container <name>) [--prefix <folder>] [--json] <target>\n\n'
    + 'Blob sources are copied by the storage service (no bytes pass through this machine); file share sources stream.\n'
    + 'Files already there with the same size and content are skipped, so a re-run finishes what is missing.',
  options: {
    name: { type: 'string' }, version: { type: 'string' }, 'to-datastore': { type: 'string' }, account: { type: 'string' }, container: { type: 'string' }, prefix: { type: 'string' },
  },
  needsWorkspace: true,
  async run(values, target) {
    const name = values['name'];
    const versionName = values['version'];
    if (typeof name !== 'string' || typeof versionName !== 'string' || versionName === '') throw new UsageError('Name the model version: --name <model> --version <version>.');
    checkedModelName(name);
    let destination: BackupDestination;
    if (typeof values['to-datastore'] === 'string') {
      destination = { kind: 'datastore', name: checkedDatastoreName(values['to-datastore']) };
    } else if (typeof values['account'] === 'string' && typeof values['container'] === 'string') {
      destination = { kind: 'account', accountName: values['account'], containerName: values['container'] };
    } else {
      throw new UsageError('Say where the backup goes: --to-datastore <blob datastore>, or --account <storage account> --container <name>.');
    }
    const client = target.workspaceClient!;
    const version = await orNotFound(client.models.getVersion(name, versionName),
      `Model "${name}" has no version "${versionName}" in this workspace: azml models --name ${name} lists them.`);
    const container = await openBackupDestination(client, destination, target.credential);
    const controller = new AbortController();
    const onSigint = (): void => controller.abort();
    process.on('SIGINT', onSigint);
    try {
      const result = await backupModelVersion({
        client, version, destination: container, userCredential: target.credential, signal: controller.signal,
        ...(typeof values['prefix'] === 'string' ? { destinationPrefix: values['prefix'] } : {}),
        onProgress: (p) => process.stderr.write(`${p.filesDone} / ${p.filesTotal} files\n`),
      });
      if (values['json'] === true) {
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      } else {
        process.stdout.write(`Backup of ${name}:${versionName} to ${result.destination}${result.canceled ? ' canceled' : ' finished'}\n`
          + `  copied by the storage service: ${result.copiedServerSide} files\n  streamed: ${result.streamed} files\n  already there, unchanged: ${result.skipped} files\n`
          + result.failed.map((f) => `  failed: ${f.path}: ${f.reason}\n`).join(''));
      }
      return result.failed.length > 0 || result.canceled ? 1 : 0;
    } finally {
      process.off('SIGINT', onSigint);
    }
  },
};
