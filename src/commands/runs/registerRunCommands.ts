import * as vscode from 'vscode';
import { maskSecrets } from '../../azure/secrets';
import type { CommandContext } from '../commandContext';
import { registerCommands } from '../registerCommands';
import { archiveRun, deleteRun, restoreRun } from '../deletion/runDeletion';
import { cancelRun } from './cancelRun';
import { downloadRunOutputs } from './downloadRunOutputs';
import { RunMetricsPanel } from '../../panels/runMetricsPanel';
import { RunMetricsPanels } from '../../panels/runMetricsPanels';
import { openRunInStudio } from './openRunInStudio';
import { compareRuns, openRunDetails, runMetricsPanelSerializer } from './runMetricsCommands';
import { RunWatchers, type RunWatch } from './runWatchers';
import { submitCurrentFile } from './submitCurrentFile';
import { SubmitMemory } from './submitMemory';
import { tailRun } from './tailRun';

/** What the run commands expose to the integration tests. */
export interface RunsApi {
  readonly watchers: RunWatchers;
  /** The open Run Details and Compare Runs panels. */
  readonly metricsPanels: RunMetricsPanels;
  /** Brings the panels back after a window reload (tests hand it a new webview panel and a saved state). */
  readonly metricsSerializer: vscode.WebviewPanelSerializer;
  /** Follows again the runs that were followed when the window closed. */
  reattach(): Promise<RunWatch[]>;
}

/**
 * Registers Submit Current File, Tail Run, Cancel Run, Download Outputs and Logs and Open in
 * Studio, with the run watchers they share; Open Run Details and Compare Runs with their panels. Runs followed before a restart are offered again
 * (no network I/O until the user accepts).
 */
export function registerRunCommands(extensionContext: vscode.ExtensionContext, context: CommandContext): RunsApi {
  const watchers = new RunWatchers(extensionContext.globalState, () => context.views.experiments.refresh(), context.log);
  const memory = new SubmitMemory(extensionContext.workspaceState, extensionContext.globalState);
  const metricsPanels = new RunMetricsPanels(extensionContext.extensionUri);
  const metricsSerializer = runMetricsPanelSerializer(metricsPanels, context);
  extensionContext.subscriptions.push(watchers, metricsPanels, vscode.window.registerWebviewPanelSerializer(RunMetricsPanel.viewType, metricsSerializer));
  registerCommands(extensionContext, context, {
    'azureml.submitCurrentFile': submitCurrentFile(watchers, memory),
    'azureml.tailRun': tailRun(watchers),
    'azureml.cancelRun': cancelRun,
    'azureml.archiveRun': archiveRun,
    'azureml.restoreRun': restoreRun,
    'azureml.deleteRun': deleteRun,
    'azureml.downloadRunOutputs': downloadRunOutputs,
    'azureml.openRunInStudio': openRunInStudio,
    'azureml.openRunDetails': openRunDetails(metricsPanels),
    'azureml.compareRuns': compareRuns(metricsPanels),
  });

  const reattach = async (): Promise<RunWatch[]> => {
    const refs = watchers.remembered().filter((r) => r.workspace.connectionKind === context.connections.kind);
    if (refs.length === 0) return [];
    const connection = await context.connections.getConnection();
    return Promise.all(refs.map((ref) => watchers.watch(connection.workspaceClient(ref.workspace), ref.workspace, ref.jobName, { reveal: false })));
  };

  const pending = watchers.remembered().filter((r) => r.workspace.connectionKind === context.connections.kind);
  if (pending.length > 0) {
    const names = pending.map((r) => r.jobName).join(', ');
    void vscode.window.showInformationMessage(
      pending.length === 1
        ? vscode.l10n.t('Azure ML was following a run when VS Code closed: {0}.', names)
        : vscode.l10n.t('Azure ML was following {0} runs when VS Code closed: {1}.', pending.length, names),
      vscode.l10n.t('Tail Again'))
      .then((choice) => {
        if (choice !== vscode.l10n.t('Tail Again')) return;
        reattach().then((watches) => watches.at(-1)?.log.show(), (error: unknown) => {
          context.log.error(vscode.l10n.t('Following the runs again failed'), error);
          void vscode.window.showErrorMessage(vscode.l10n.t('Could not follow the runs again: {0}', maskSecrets((error as Error).message)));
        });
      });
  }
  return { watchers, metricsPanels, metricsSerializer, reattach };
}
