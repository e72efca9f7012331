import * as l10n from '@vscode/l10n';
import type { Job } from '../../azure/domain';
import type { WorkspaceClient } from '../../azure/workspaceClient';
import type { RunMetricsPanels } from '../../panels/runMetricsPanels';
import type { PanelRun } from '../../panels/runMetricsPanel';
import type { CommandContext } from '../commandContext';
import { runOf } from './runArgument';

export const minComparedRuns = 2;
export const maxComparedRuns = 10;
/** How often an open panel asks a running run for new points: 0.5 s while points arrive, backing off to 4 s while none do. */
export const livePoll = { minMs: 500, maxMs: 4000 };

function panelOptions(context: CommandContext, client: WorkspaceClient, mode: 'details' | 'compare', runs: PanelRun[]) {
  return {
    mode,
    runs,
    source: client.metrics,
    getJob: (name: string) => client.jobs.get(name),
    connectionKind: () => context.connections.errorContext,
    prompts: () => context.prompts,
    log: context.log,
    poll: livePoll,
  };
}

/** Run Details: a run node of the Experiments view (its click), a job name, or asked for. */
export const openRunDetails = (panels: RunMetricsPanels) => (context: CommandContext) => async (arg?: unknown) => {
  const run = await runOf(arg, context.prompts, l10n.t('Open Run Details'));
  const { client } = await context.connections.activeWorkspaceClient();
  return panels.show(panelOptions(context, client, 'details', [{ runId: run.jobName, job: run.job }]));
};

/** Compare Runs: the runs selected in the Experiments view (VS Code passes the clicked item and the selection). */
export const compareRuns = (panels: RunMetricsPanels) => (context: CommandContext) => async (item?: unknown, selected?: unknown) => {
  const candidates = Array.isArray(selected) && selected.length > 0 ? selected : item ? [item] : [];
  const jobs = candidates.map((c) => (c as { job?: Job } | undefined)?.job).filter((j): j is Job => !!j?.name);
  if (jobs.length < minComparedRuns || jobs.length > maxComparedRuns || jobs.length !== candidates.length) {
    throw new Error(l10n.t('Select between {0} and {1} runs in the Experiments view (Ctrl or Shift and click), then choose Compare Runs.', minComparedRuns, maxComparedRuns));
  }
  const { client } = await context.connections.activeWorkspaceClient();
  return panels.show(panelOptions(context, client, 'compare', jobs.map((job) => ({ runId: job.name, job }))));
};
