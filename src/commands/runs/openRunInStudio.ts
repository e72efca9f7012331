import * as vscode from 'vscode';
import type { CommandContext } from '../commandContext';
import { runOf } from './runArgument';

/** Opens the run's page in Azure ML studio (Azure runs; local runs have no studio). */
export const openRunInStudio = (context: CommandContext) => async (arg?: unknown) => {
  const run = await runOf(arg, context.prompts, 'Open Run in Studio');
  let studioUrl = run.job?.studioUrl;
  if (!studioUrl) {
    const { client } = await context.connections.activeWorkspaceClient();
    studioUrl = (await client.jobs.get(run.jobName)).studioUrl;
  }
  if (!studioUrl) throw new Error(`Run ${run.jobName} has no Azure ML studio page${context.connections.kind === 'local' ? ' (runs of the local workspace are only here)' : ''}.`);
  await vscode.env.openExternal(vscode.Uri.parse(studioUrl));
  return studioUrl;
};
