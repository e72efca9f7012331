import { isStudioUrl, originOf } from '../../azure/trustedHosts';
import { vscodePrompts } from '../../ui/prompts';
import type { CommandContext } from '../commandContext';
import { runOf } from './runArgument';

/**
 * Opens the run's page in Azure ML studio (Azure runs; local runs have no studio). The link
 * comes from the service, so only an HTTPS page of the cloud's own studio is opened.
 */
export const openRunInStudio = (context: CommandContext) => async (arg?: unknown) => {
  const run = await runOf(arg, context.prompts, 'Open Run in Studio');
  const { client, connection } = await context.connections.activeWorkspaceClient();
  const studioUrl = run.job?.studioUrl ?? (await client.jobs.get(run.jobName)).studioUrl;
  if (!studioUrl) throw new Error(`Run ${run.jobName} has no Azure ML studio page${context.connections.kind === 'local' ? ' (runs of the local workspace are only here)' : ''}.`);
  if (!isStudioUrl(connection.cloud, studioUrl)) {
    throw new Error(`The studio link of run ${run.jobName} leads to ${originOf(studioUrl)}, which is not Azure ML studio`
      + `${connection.cloud.studioUrl ? ` (${connection.cloud.studioUrl})` : ''}: it was not opened.`);
  }
  await (context.prompts.openExternal ?? vscodePrompts.openExternal!)(studioUrl);
  return studioUrl;
};
