import * as vscode from 'vscode';
import type { AzureMlViews, CommandContext, CommandFactory } from './commands/commandContext';
import { signIn, signOut, stopLocalWorkspace, useLocalWorkspace } from './commands/connectionCommands';
import { registerDatastore } from './commands/forms/registerDatastore';
import { registerModel } from './commands/forms/registerModel';
import { setDefaultDatastore } from './commands/forms/setDefaultDatastore';
import { unregisterDatastore } from './commands/forms/unregisterDatastore';
import { registerCommands } from './commands/registerCommands';
import { registerRunCommands, type RunsApi } from './commands/runs/registerRunCommands';
import { deleteModel, deleteModelVersion } from './commands/deletion/modelDeletion';
import { deleteWorkspace } from './commands/deletion/workspaceDeletion';
import { backupModel } from './commands/models/backupModel';
import { downloadModel } from './commands/models/downloadModel';
import { copySasUrl } from './commands/transfer/copySasUrl';
import { downloadDatastoreFolder } from './commands/transfer/downloadCommand';
import { cancelTransfers, resumeTransfer, retryFailedUploads } from './commands/transfer/sessionCommands';
import { offerResume } from './commands/transfer/transferJournals';
import { uploadFilesToDatastore, uploadFolderToDatastore, uploadToDatastore } from './commands/transfer/uploadCommands';
import { loadMore, refreshDatastores, refreshExperiments, refreshModels, refreshWorkspaces, retry, showLog } from './commands/viewCommands';
import { exportWorkspaceData } from './commands/exportWorkspaceData';
import { WorkspaceEventHandler } from './commands/events/workspaceEventHandler';
import { WorkspaceEventListener } from './commands/events/workspaceEventListener';
import { selectSubscriptions, selectWorkspace, setActiveWorkspace } from './commands/workspaceCommands';
import { ConnectionManager } from './connection/connectionManager';
import { networkSettingsChanged } from './connection/loadAzureModules';
import { affectsNetworkSettings } from './connection/networkSettingsFromVsCode';
import { LocalWorkspaceLauncher } from './connection/localWorkspaceLauncher';
import { FormPanels } from './forms/formPanels';
import { registerViews } from './tree/views';
import { registerActiveWorkspaceStatusBar } from './ui/activeWorkspaceStatusBar';
import { useDisplayLanguage } from './ui/coreLanguage';
import { createLog } from './ui/log';
import { vscodePrompts, type Prompts } from './ui/prompts';

/**
 * What activate() returns when VS Code runs the extension's tests (and only then: other extensions
 * get nothing): the integration tests look at the views and script the prompts.
 */
export interface AzureMlExtensionApi {
  readonly connections: ConnectionManager;
  readonly views: AzureMlViews;
  /** The open registration forms: tests post protocol messages to `forms.lastPanel` and read its replies. */
  readonly forms: FormPanels;
  /** Runs being followed (run logs, status bar): tests read their logs and summaries. */
  readonly runs: RunsApi;
  /** The workspace events receiver: tests wait until it listens. */
  readonly events: WorkspaceEventListener;
  setPrompts(prompts: Prompts | undefined): void;
  /** The extension's context: tests search its mementos and log folder for secrets. */
  readonly extensionContext: vscode.ExtensionContext;
}

const commands: Readonly<Record<string, CommandFactory>> = {
  'azureml.signIn': signIn,
  'azureml.signOut': signOut,
  'azureml.useLocalWorkspace': useLocalWorkspace,
  'azureml.stopLocalWorkspace': stopLocalWorkspace,
  'azureml.selectWorkspace': selectWorkspace,
  'azureml.exportWorkspaceData': exportWorkspaceData,
  'azureml.setActiveWorkspace': setActiveWorkspace,
  'azureml.selectSubscriptions': selectSubscriptions,
  'azureml.refreshWorkspaces': refreshWorkspaces,
  'azureml.refreshDatastores': refreshDatastores,
  'azureml.refreshExperiments': refreshExperiments,
  'azureml.refreshModels': refreshModels,
  'azureml.loadMore': loadMore,
  'azureml.retry': retry,
  'azureml.showLog': showLog,
  'azureml.registerDatastore': registerDatastore,
  'azureml.unregisterDatastore': unregisterDatastore,
  'azureml.setDefaultDatastore': setDefaultDatastore,
  'azureml.registerModel': registerModel,
  'azureml.uploadToDatastore': uploadToDatastore,
  'azureml.uploadFolderToDatastore': uploadFolderToDatastore,
  'azureml.uploadFilesToDatastore': uploadFilesToDatastore,
  'azureml.downloadDatastoreFolder': downloadDatastoreFolder,
  'azureml.copySasUrl': copySasUrl,
  'azureml.downloadModel': downloadModel,
  'azureml.backupModel': backupModel,
  'azureml.deleteModelVersion': deleteModelVersion,
  'azureml.deleteModel': deleteModel,
  'azureml.deleteWorkspace': deleteWorkspace,
  'azureml.retryFailedUploads': retryFailedUploads,
  'azureml.cancelTransfers': cancelTransfers,
  'azureml.resumeTransfer': resumeTransfer,
};

/** Wires the extension together. No network I/O here: connections are restored on first use. */
export function activate(context: vscode.ExtensionContext): AzureMlExtensionApi | undefined {
  const started = performance.now();
  useDisplayLanguage();
  const log = createLog(context);
  const launcher = new LocalWorkspaceLauncher(context.asAbsolutePath('dist/local.js'), log);
  const connections = new ConnectionManager(context.globalState, launcher, log);
  context.subscriptions.push(launcher, connections);
  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration((event) => {
    if (affectsNetworkSettings(event)) networkSettingsChanged();
  }));
  const views = registerViews(context, connections, log);
  let prompts: Prompts = vscodePrompts;
  const forms = new FormPanels(context.extensionUri, log, () => connections.errorContext, () => prompts);
  context.subscriptions.push(forms);

  const commandContext: CommandContext = {
    connections, views, log, forms,
    workspaceState: context.workspaceState,
    journalRoot: context.globalStorageUri.fsPath,
    get prompts() {
      return prompts;
    },
  };
  registerCommands(context, commandContext, commands);
  const runs = registerRunCommands(context, commandContext);
  registerActiveWorkspaceStatusBar(context, connections);
  const eventHandler = new WorkspaceEventHandler(runs.watchers, views, () => connections.activeWorkspace, log);
  const events = new WorkspaceEventListener(connections, (event) => eventHandler.handle(event), log);
  context.subscriptions.push(eventHandler, events);

  void offerResume(commandContext).catch((error: unknown) => log.warn(vscode.l10n.t('Could not offer to resume an interrupted transfer: {0}', (error as Error).message)));
  log.info(vscode.l10n.t('Azure ML activated in {0} ms.', (performance.now() - started).toFixed(1)));
  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  return {
    connections,
    views,
    forms,
    runs,
    events,
    setPrompts: (p) => {
      prompts = p ?? vscodePrompts;
    },
    extensionContext: context,
  };
}

export function deactivate(): void {
  // Disposables (including a local workspace this window started) are owned by context.subscriptions.
}
