import type { CliCommand } from '../command';
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
    if (name) {
      const versions = await collectPages((t) => client.models.listVersions(name, t ? { continuationToken: t } : {}));
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
