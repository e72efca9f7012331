import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AzureMlExtensionApi } from '../../src/extension';
import { startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';
import { eventually, extensionApi } from './treeAccess';
import { notificationsInCenter, workbenchTexts } from './workbenchProbe';

/**
 * Palette commands that ask for what a tree item would have given them, with the title of the
 * first question. Left out: Select Subscriptions and Open Run in Studio (Azure connections only),
 * Sign In (goes to Microsoft's sign-in), Submit Current File (needs an open script), Stop Local
 * Workspace (would stop this suite's service).
 */
const asking: Array<[command: string, title: string]> = [
  ['azureml.selectWorkspace', 'Select Workspace'],
  ['azureml.unregisterDatastore', 'Unregister Datastore'],
  ['azureml.setDefaultDatastore', 'Set Default Datastore'],
  ['azureml.uploadFolderToDatastore', 'Upload Folder to…'],
  ['azureml.uploadFilesToDatastore', 'Upload Files to…'],
  ['azureml.downloadDatastoreFolder', 'Download from Datastore'],
  ['azureml.tailRun', 'Tail Run'],
  ['azureml.cancelRun', 'Cancel Run'],
  ['azureml.downloadRunOutputs', 'Download Outputs and Logs'],
];

/** Palette commands that need no input. */
const direct = [
  'azureml.showLog', 'azureml.refreshWorkspaces', 'azureml.refreshDatastores', 'azureml.refreshExperiments', 'azureml.refreshModels',
  'azureml.retryFailedUploads', 'azureml.cancelTransfers', 'azureml.registerDatastore', 'azureml.registerModel',
];

describe('Palette commands run without an argument in a real extension host', function () {
  this.timeout(180_000);
  let local: StartedLocalWorkspace;
  let api: AzureMlExtensionApi;

  before(async () => {
    local = await startLocalWorkspace();
    await vscode.workspace.getConfiguration('azureml').update('local.dataFolder', local.dataDir, vscode.ConfigurationTarget.Global);
    api = await extensionApi();
    api.setPrompts(undefined);
    assert.equal(await vscode.commands.executeCommand('azureml.useLocalWorkspace'), 'local');
  });

  after(async () => {
    await local?.dispose();
  });

  for (const [command, title] of asking) {
    it(`${command} asks ("${title}"); dismissing it ends the command quietly`, async () => {
      const running = vscode.commands.executeCommand(command);
      await eventually(async () => ((await workbenchTexts('.quick-input-widget:visible')).some((t) => t.includes(title)) || undefined),
        `the "${title}" question on screen`);
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      assert.equal(await running, undefined);
    });
  }

  for (const command of direct) {
    it(`${command} runs`, async () => {
      await vscode.commands.executeCommand(command);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });
  }

  it('none of them ended in an error notification', async () => {
    await vscode.commands.executeCommand('notifications.showList');
    const errors = (await notificationsInCenter()).filter((t) => t.includes('Show Log'));
    assert.deepEqual(errors, []);
  });
});
