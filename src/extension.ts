import * as vscode from 'vscode';
import type { AzureMlViews, CommandContext, CommandFactory } from './commands/commandContext';
import { signIn, signOut, stopLocalWorkspace, useLocalWorkspace } from './commands/connectionCommands';
import { registerCommands } from './commands/registerCommands';
import { loadMore, refreshDatastores, refreshExperiments, refreshModels, refreshWorkspaces, retry, showLog } from './commands/viewCommands';
import { selectSubscriptions, selectWorkspace, setActiveWorkspace } from './commands/workspaceCommands';
import { ConnectionManager } from './connection/connectionManager';
import { LocalWorkspaceLauncher } from './connection/localWorkspaceLauncher';
import { registerViews } from './tree/views';
import { registerActiveWorkspaceStatusBar } from './ui/activeWorkspaceStatusBar';
import { createLog } from './ui/log';
import { vscodePrompts, type Prompts } from './ui/prompts';

/** What activate() returns: used by the integration tests to look at the views and script prompts. */
export interface AzureMlExtensionApi {
  readonly activationMs: number;
  readonly connections: ConnectionManager;
  readonly views: AzureMlViews;
  setPrompts(prompts: Prompts | undefined): void;
}

const commands: Readonly<Record<string, CommandFactory>> = {
  'azureml.signIn': signIn,
  'azureml.signOut': signOut,
  'azureml.useLocalWorkspace': useLocalWorkspace,
  'azureml.stopLocalWorkspace': stopLocalWorkspace,
  'azureml.selectWorkspace': selectWorkspace,
  'azureml.setActiveWorkspace': setActiveWorkspace,
  'azureml.selectSubscriptions': selectSubscriptions,
  'azureml.refreshWorkspaces': refreshWorkspaces,
  'azureml.refreshDatastores': refreshDatastores,
  'azureml.refreshExperiments': refreshExperiments,
  'azureml.refreshModels': refreshModels,
  'azureml.loadMore': loadMore,
  'azureml.retry': retry,
  'azureml.showLog': showLog,
};

/** Wires the extension together. No network I/O here: connections are restored on first use. */
export function activate(context: vscode.ExtensionContext): AzureMlExtensionApi {
  const started = performance.now();
  const log = createLog(context);
  const launcher = new LocalWorkspaceLauncher(context.asAbsolutePath('dist/local.js'), log);
  const connections = new ConnectionManager(context.globalState, launcher, log);
  context.subscriptions.push(launcher, connections);
  const views = registerViews(context, connections, log);

  let prompts: Prompts = vscodePrompts;
  const commandContext: CommandContext = {
    connections, views, log,
    get prompts() {
      return prompts;
    },
  };
  registerCommands(context, commandContext, commands);
  registerActiveWorkspaceStatusBar(context, connections);

  const activationMs = performance.now() - started;
  log.info(`Azure ML activated in ${activationMs.toFixed(1)} ms.`);
  return {
    activationMs,
    connections,
    views,
    setPrompts: (p) => {
      prompts = p ?? vscodePrompts;
    },
  };
}

export function deactivate(): void {
  // Disposables (including a local workspace this window started) are owned by context.subscriptions.
}
