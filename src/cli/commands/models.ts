import { AzureMlError } from '../../azure/errors';
import type { CliCommand } from '../command';
import { checkedModelName } from '../nameChecks';
import { orNotFound } from '../notFound';
import { formatDate, printItems } from '../output';
import { collectPages } from '../../core/pages';

export const modelsCommand: CliCommand = {
  name: 'models',
  summary: 'List models, or the versions of one model (--name)',
  usage: 'azml models [--name MODEL] [--json] <target>',
  options: { name: { type: 'string' } },
  needsWorkspace: true,
  async run(values, target) {
    const client = target.workspaceClient!;
    const json = values['json'] as boolean | undefined;
    const name = values['name'] as string | undefined;
    if (name !== undefined) {
      checkedModelName(name);
      const notFound = `Model "${name}" does not exist in this workspace: azml models lists them.`;
      const versions = await orNotFound(collectPages((t) => client.models.listVersions(name, t ? { continuationToken: t } : {})), notFound);
      if (versions.length === 0) throw new AzureMlError(notFound, 404, 'NotFound');
      printItems(versions, [
        { header: 'NAME', value: (v) => v.name },
        { header: 'VERSION', value: (v) => v.version },
        { header: 'TYPE', value: (v) => v.modelType },
        { header: 'CREATED', value: (v) => formatDate(v.createdAt) },
        { header: 'URI', value: (v) => v.modelUri },
      ], json);
      return;
    }
    const models = await collectPages((t) => client.models.list(t ? { continuationToken: t } : {}));
    printItems(models, [
      { header: 'NAME', value: (m) => m.name },
      { header: 'LATEST VERSION', value: (m) => m.latestVersion },
      { header: 'DESCRIPTION', value: (m) => m.description },
    ], json);
  },
};
