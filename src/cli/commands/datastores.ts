import type { Datastore } from '../../azure/domain';
import type { CliCommand } from '../command';
import { printItems } from '../output';
import { collectPages } from '../../core/pages';

function location(d: Datastore): string | undefined {
  const place = d.containerName ?? d.fileShareName ?? d.filesystem ?? d.storeName;
  return d.accountName ? `${d.accountName}/${place ?? ''}` : place;
}

export const datastoresCommand: CliCommand = {
  name: 'datastores',
  summary: 'List the workspace\'s datastores',
  usage: 'azml datastores [--json] <target>',
  options: {},
  needsWorkspace: true,
  async run(values, target) {
    const client = target.workspaceClient!;
    const datastores = await collectPages((t) => client.datastores.list(t ? { continuationToken: t } : {}));
    printItems(datastores, [
      { header: 'NAME', value: (d) => d.name },
      { header: 'TYPE', value: (d) => d.datastoreType },
      { header: 'LOCATION', value: location },
      { header: 'CREDENTIALS', value: (d) => d.credentialsType },
      { header: 'DEFAULT', value: (d) => (d.isDefault ? 'yes' : '') },
    ], values['json'] as boolean | undefined);
  },
};
