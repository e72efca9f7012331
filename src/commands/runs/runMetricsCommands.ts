import * as l10n from '@vscode/l10n';
import type * as vscode from 'vscode';
import type { Job } from '../../azure/domain';
import type { RunMetricsSource } from '../../azure/runMetrics';
import type { WorkspaceClient } from '../../azure/workspaceClient';
import type { ActiveWorkspace } from '../../connection/connection';
import type { RunMetricsPanels } from '../../panels/runMetricsPanels';
import type { PanelRun, RunMetricsPanelOptions } from '../../panels/runMetricsPanel';
import { maxPanelRuns, parseSavedPanel } from '../../panels/runMetricsProtocol';
import type { CommandContext } from '../commandContext';
import { runOf } from './runArgument';

export const minComparedRuns = 2;
export const maxComparedRuns = maxPanelRuns;
/** How often an open panel asks a running run for new points: 0.5 s while points arrive, backing off to 4 s while none do. */
export const livePoll = { minMs: 500, maxMs: 4000 };

function panelOptions(context: CommandContext, client: () => Promise<WorkspaceClient>, workspace: ActiveWorkspace | undefined, mode: 'details' | 'compare', runs: PanelRun[]): RunMetricsPanelOptions {
  const source: RunMetricsSource = {
    getRun: async (runId, signal) => (await client()).metrics.getRun(runId, signal),
    getMetricHistoryPage: async (runId, metricKey, options) => (await client()).metrics.getMetricHistoryPage(runId, metricKey, options),
  };
  return {
    mode,
    runs,
    ...(workspace ? { workspace } : {}),
    source,
    getJob: async (name: string) => (await client()).jobs.get(name),
    errorContext: () => context.connections.errorContext,
    prompts: () => context.prompts,
    log: context.log,
    poll: livePoll,
  };
}

/** Run Details: a run node of the Experiments view (its click), a job name, or asked for. */
export const openRunDetails = (panels: RunMetricsPanels) => (context: CommandContext) => async (arg?: unknown) => {
  const run = await runOf(arg, context.prompts, l10n.t('Open Run Details'));
  const { client, workspace } = await context.connections.activeWorkspaceClient();
  return panels.show(panelOptions(context, async () => client, workspace, 'details', [{ runId: run.jobName, job: run.job }]));
};

/** Compare Runs: the runs selected in the Experiments view (VS Code passes the clicked item and the selection). */
export const compareRuns = (panels: RunMetricsPanels) => (context: CommandContext) => async (item?: unknown, selected?: unknown) => {
  const candidates = Array.isArray(selected) && selected.length > 0 ? selected : item ? [item] : [];
  const jobs = candidates.map((c) => (c as { job?: Job } | undefined)?.job).filter((j): j is Job => !!j?.name);
  if (jobs.length < minComparedRuns || jobs.length > maxComparedRuns || jobs.length !== candidates.length) {
    throw new Error(l10n.t('Select between {0} and {1} runs in the Experiments view (Ctrl or Shift and click), then choose Compare Runs.', minComparedRuns, maxComparedRuns));
  }
  const { client, workspace } = await context.connections.activeWorkspaceClient();
  return panels.show(panelOptions(context, async () => client, workspace, 'compare', jobs.map((job) => ({ runId: job.name, job }))));
};

/**
 * Brings Run Details and Compare Runs panels back after a window reload, from what their webview
 * kept: the runs and their workspace (the view choices the webview restores itself). The runs are
 * read anew; a run deleted since shows as such, and no connection yet shows why, with Retry.
 */
export function runMetricsPanelSerializer(panels: RunMetricsPanels, context: CommandContext): vscode.WebviewPanelSerializer {
  return {
    deserializeWebviewPanel: async (webviewPanel: vscode.WebviewPanel, state: unknown) => {
      const saved = parseSavedPanel(state);
      if (!saved) {
        // Saved by an older version, or damaged: nothing says which runs to show.
        webviewPanel.dispose();
        return;
      }
      const connect = async (): Promise<WorkspaceClient> => {
        if (!saved.workspace) return (await context.connections.activeWorkspaceClient()).client;
        const connection = await context.connections.getConnection();
        if (connection.kind !== saved.workspace.connectionKind) {
          throw new Error(saved.workspace.connectionKind === 'local'
            ? l10n.t('The runs of this panel are in the local workspace {0}: use the local workspace to see them.', saved.workspace.workspaceName)
            : l10n.t('The runs of this panel are in the Azure workspace {0}: sign in to Azure to see them.', saved.workspace.workspaceName));
        }
        return connection.workspaceClient(saved.workspace);
      };
      // One client for the panel's life (it caches the tracking URI); after a failure, Retry connects again.
      let connecting: Promise<WorkspaceClient> | undefined;
      const client = (): Promise<WorkspaceClient> => (connecting ??= connect().catch((error: unknown) => {
        connecting = undefined;
        throw error;
      }));
      panels.restore(webviewPanel, panelOptions(context, client, saved.workspace, saved.mode, saved.runs.map((r) => ({ runId: r.runId, ...(r.displayName ? { displayName: r.displayName } : {}) }))));
    },
  };
}
