import * as l10n from '@vscode/l10n';
import type { CommandContext } from '../commandContext';
import { runOf } from './runArgument';
import type { RunWatchers } from './runWatchers';

/** Follows a run in its run log (again, after a restart or after it was closed). */
export const tailRun = (runs: RunWatchers) => (context: CommandContext) => async (arg?: unknown) => {
  const { jobName, job } = await runOf(arg, context.prompts, l10n.t('Tail Run'));
  const existing = runs.get(jobName);
  // From the status bar: a run already followed (or finished) just shows its log.
  if (typeof arg === 'string' && existing) {
    existing.log.show();
    return { jobName };
  }
  const { client, workspace } = await context.connections.activeWorkspaceClient();
  await runs.watch(client, workspace, jobName, job ? { job } : {});
  return { jobName };
};
