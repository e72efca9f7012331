/**
 * The settings azureml.events.queue and azureml.events.datastore in a real extension host, on an
 * Azure connection (the token in AZML_ACCESS_TOKEN, against the local workspace's Resource
 * Manager as a custom cloud): they come from the user's own settings only. A folder's
 * .vscode/settings.json cannot make the listener read, delete and move the messages of a queue
 * of the user's storage with the user's sign-in, or fetch a datastore's account key for it.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AzureMlExtensionApi } from '../../src/extension';
import { startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';
import { eventually, extensionApi } from './treeAccess';

describe('the events queue settings, in a real extension host on an Azure connection', function () {
  this.timeout(180_000);
  let api: AzureMlExtensionApi;
  let local: StartedLocalWorkspace;
  let settingsFile = '';
  const settings = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('azureml');

  /** Writes the folder's .vscode/settings.json and waits until VS Code has read it. */
  const writeFolderSettings = async (values: Record<string, unknown>): Promise<void> => {
    const changed = new Promise<void>((resolve) => {
      const listener = vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('azureml.events')) return;
        listener.dispose();
        resolve();
      });
    });
    writeFileSync(settingsFile, JSON.stringify(values));
    await changed;
  };

  before(async () => {
    local = await startLocalWorkspace();
    api = await extensionApi();
    api.setPrompts(undefined);
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the host opened a folder');
    settingsFile = path.join(folder.uri.fsPath, '.vscode', 'settings.json');
    mkdirSync(path.dirname(settingsFile), { recursive: true });
    await settings().update('customCloud', {
      name: 'Events test cloud', resourceManagerEndpoint: local.connection.armEndpoint, storageEndpointSuffix: 'storage.local.test',
    }, vscode.ConfigurationTarget.Global);
    await settings().update('auth.useAccessTokenFromEnvironment', true, vscode.ConfigurationTarget.Global);
    process.env['AZML_ACCESS_TOKEN'] = local.connection.token;
    assert.equal(await vscode.commands.executeCommand('azureml.signIn'), true);
    const { tenantId, subscriptionId, resourceGroup, workspace: workspaceName } = local.connection;
    await api.connections.setActiveWorkspace({ connectionKind: 'azure', tenantId, subscriptionId, resourceGroup, workspaceName });
    assert.equal(api.connections.kind, 'azure');
  });

  after(async () => {
    rmSync(settingsFile, { force: true });
    await settings().update('events.queue', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('events.datastore', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('azureml.signOut');
    delete process.env['AZML_ACCESS_TOKEN'];
    await settings().update('auth.useAccessTokenFromEnvironment', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('customCloud', undefined, vscode.ConfigurationTarget.Global);
    await local?.dispose();
  });

  it('are machine settings, which a folder\'s settings cannot set', () => {
    const manifest = api.extensionContext.extension.packageJSON as { contributes: { configuration: { properties: Record<string, { scope?: string }> } } };
    const scopes = ['azureml.events.queue', 'azureml.events.datastore'].map((name) => manifest.contributes.configuration.properties[name]?.scope);
    assert.deepEqual(scopes, ['machine', 'machine']);
  });

  it('ignores a queue and a datastore named in the folder\'s settings: nothing is received from them', async () => {
    assert.equal(api.events.listeningTo, undefined, 'nothing is received before a queue is set');
    // A queue on the account of the workspace's default datastore, and that datastore: the listener
    // would fetch its account key and then read, delete and move the queue's messages.
    await writeFolderSettings({ 'azureml.events.queue': `${local.connection.storageAccount}/orders`, 'azureml.events.datastore': 'workspaceblobstore' });
    // The listener restarts on the change at once; give it time to open a queue it should not.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    assert.equal(api.events.listeningTo, undefined, 'the folder\'s queue is not received from');
  });

  it('receives from the queue in the user\'s settings, with the sign-in, while the folder still names its own', async () => {
    await settings().update('events.queue', 'useracct/user-events', vscode.ConfigurationTarget.Global);
    const listening = await eventually(async () => api.events.listeningTo, 'the listener on the user\'s queue', 30_000);
    // The folder's datastore is on another account: had it been used, the listener would refuse.
    assert.deepEqual(listening, { queue: 'user-events', poisonQueue: 'user-events-poison' });
  });

  it('reads the queue with the key of the datastore in the user\'s settings', async () => {
    await settings().update('events.queue', undefined, vscode.ConfigurationTarget.Global);
    await eventually(async () => (api.events.listeningTo ? undefined : true), 'the listener stopped');
    await settings().update('events.datastore', 'workspaceblobstore', vscode.ConfigurationTarget.Global);
    await settings().update('events.queue', `${local.connection.storageAccount}/user-key-events`, vscode.ConfigurationTarget.Global);
    const listening = await eventually(async () => api.events.listeningTo, 'the listener on the user\'s queue, with the datastore\'s key', 30_000);
    assert.deepEqual(listening, { queue: 'user-key-events', poisonQueue: 'user-key-events-poison' });
  });
});
