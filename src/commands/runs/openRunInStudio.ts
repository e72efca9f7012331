import * as l10n from '@vscode/l10n';
import { isStudioUrl, originOf } from '../../azure/trustedHosts';
import { vscodePrompts } from '../../ui/prompts';
import type { CommandContext } from '../commandContext';
import { runOf } from './runArgument';

/**
 * Opens the run's page in Azure ML studio (Azure runs; local runs have no studio). The link
 * comes from the service, so only an HTTPS page of the cloud's own studio is opened.
 */
export const openRunInStudio = (context: CommandContext) => async (arg?: unknown) => {
  const run = await runOf(arg, context.prompts, l10n.t('Open Run in Studio'));
  const { client, connection } = await context.connections.activeWorkspaceClient();
  const studioUrl = run.job?.studioUrl ?? (await client.jobs.get(run.jobName)).studioUrl;
  if (!studioUrl) {
    throw new Error(context.connections.kind === 'local'
      ? l10n.t('Run {0} has no Azure ML studio page (runs of the local workspace are only here).', run.jobName)
      : l10n.t('Run {0} has no Azure ML studio page.', run.jobName));
  }
  if (!isStudioUrl(connection.cloud, studioUrl)) {
    throw new Error(connection.cloud.studioUrl
      ? l10n.t('The studio link of run {0} leads to {1}, which is not Azure ML studio ({2}): it was not opened.', run.jobName, originOf(studioUrl), connection.cloud.studioUrl)
      : l10n.t('The studio link of run {0} leads to {1}, which is not Azure ML studio: it was not opened.', run.jobName, originOf(studioUrl)));
  }
  await (context.prompts.openExternal ?? vscodePrompts.openExternal!)(studioUrl);
  return studioUrl;
};
