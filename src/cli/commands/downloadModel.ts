import { downloadModelVersion } from '../../core/models/downloadModel';
import type { CliCommand } from '../command';
import { checkedModelName } from '../nameChecks';
import { orNotFound } from '../notFound';
import { onExistsHelp, parsePolicy, runTransfer } from '../transferRunner';
import { UsageError } from '../usage';

export const downloadModelCommand: CliCommand = {
  name: 'download-model',
  summary: 'Download a model version\'s files, with its metadata as model.json',
  usage: `azml download-model --name <model> --version <version> --to <local folder> [${onExistsHelp}] [--json] <target>`,
  options: { name: { type: 'string' }, version: { type: 'string' }, to: { type: 'string' }, 'on-exists': { type: 'string' } },
  needsWorkspace: true,
  async run(values, target) {
    const name = values['name'];
    const versionName = values['version'];
    const to = values['to'];
    if (typeof name !== 'string' || typeof versionName !== 'string' || versionName === '') throw new UsageError('Name the model version: --name <model> --version <version> (azml models --name <model> lists them).');
    checkedModelName(name);
    if (typeof to !== 'string' || to === '') throw new UsageError('Name the local folder to download into: --to <folder>.');
    const policy = parsePolicy(values['on-exists']);
    const client = target.workspaceClient!;
    const version = await orNotFound(client.models.getVersion(name, versionName),
      `Model "${name}" has no version "${versionName}" in this workspace: azml models --name ${name} lists them.`);
    let metadataFile: string | undefined;
    const code = await runTransfer(values['json'] === true, async (options) => {
      const result = await downloadModelVersion({ client, version, localRoot: to, policy, userCredential: target.credential }, options);
      metadataFile = result.metadataFile;
      return result;
    });
    if (metadataFile && values['json'] !== true) process.stdout.write(`metadata: ${metadataFile}\n`);
    return code;
  },
};
