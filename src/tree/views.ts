import * as vscode from 'vscode';
import type { AzureMlViews } from '../commands/commandContext';
import type { ConnectionManager } from '../connection/connectionManager';
import { describeError } from '../ui/describeError';
import type { Log } from '../ui/log';
import { datastoresList } from './datastores/datastoresList';
import { experimentsList } from './experiments/experimentsList';
import { PrimaryMetricCache } from './experiments/primaryMetricCache';
import { RunDetailsCache } from './experiments/runDetailsCache';
import { modelsList } from './models/modelsList';
import { AzureMlTreeProvider, type RootNode } from './treeProvider';
import { WorkspaceListRoot } from './workspaceListRoot';
import { WorkspacesRoot } from './workspaces/workspacesRoot';

/** Creates the four Azure ML views and keeps them in step with the connection and the active workspace. */
export function registerViews(context: vscode.ExtensionContext, connections: ConnectionManager, log: Log): AzureMlViews {
  const describe = (error: unknown) => describeError(error, connections.errorContext);
  const provider = (viewId: string, root: (p: AzureMlTreeProvider) => RootNode, canSelectMany = false): AzureMlTreeProvider => {
    const treeProvider = new AzureMlTreeProvider(viewId, root, describe, log);
    context.subscriptions.push(treeProvider, vscode.window.createTreeView(viewId, { treeDataProvider: treeProvider, showCollapseAll: true, canSelectMany }));
    return treeProvider;
  };
  // Per workspace: two workspaces may each have a run of the same name (a job YAML's fixed `name`).
  const runCaches = new Map<string, { runDetails: RunDetailsCache; primaryMetrics: PrimaryMetricCache }>();
  const runCachesOf = (workspaceId: string): { runDetails: RunDetailsCache; primaryMetrics: PrimaryMetricCache } => {
    let caches = runCaches.get(workspaceId);
    if (!caches) runCaches.set(workspaceId, caches = { runDetails: new RunDetailsCache(), primaryMetrics: new PrimaryMetricCache() });
    return caches;
  };
  const views: AzureMlViews = {
    workspaces: provider('azureml.workspaces', (p) => new WorkspacesRoot(connections, p)),
    datastores: provider('azureml.datastores', (p) => new WorkspaceListRoot(connections, p, datastoresList)),
    // Several runs selected at once: Compare Runs.
    experiments: provider('azureml.experiments', (p) => new WorkspaceListRoot(connections, p, (c) => {
      const { runDetails, primaryMetrics } = runCachesOf(c.client.resourceId);
      return experimentsList(c, runDetails, primaryMetrics);
    }), true),
    models: provider('azureml.models', (p) => new WorkspaceListRoot(connections, p, modelsList)),
  };
  const refreshWorkspaceViews = (): void => {
    views.datastores.refresh();
    views.experiments.refresh();
    views.models.refresh();
  };
  context.subscriptions.push(
    connections.onDidChangeConnection(() => {
      views.workspaces.refresh();
      refreshWorkspaceViews();
    }),
    connections.onDidChangeActiveWorkspace(() => {
      views.workspaces.rerender();
      refreshWorkspaceViews();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('azureml.subscriptions') || e.affectsConfiguration('azureml.cloud') || e.affectsConfiguration('azureml.customCloud')) views.workspaces.refresh();
      if (e.affectsConfiguration('azureml.runs.primaryMetric')) views.experiments.refresh();
    }),
  );
  return views;
}
