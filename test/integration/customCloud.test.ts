/**
 * The machine setting azureml.customCloud (Azure Stack Hub) in a real extension host: what Sign in
 * to Azure does with an invalid one, a valid one, and one a folder's settings try to set.
 * VS Code's Microsoft providers are stood in for by test providers registered under the same ids,
 * so the sign-in goes through VS Code's own authentication service without reaching Microsoft.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { mayReceiveStorageCredential } from '../../src/azure/trustedHosts';
import type { AzureMlExtensionApi } from '../../src/extension';
import { connectionsOpenedDuring } from './outgoingConnections';
import { registerTestProvider, signInThroughAccountsMenu, type SessionRequest } from './testAuthProviders';
import { eventually, extensionApi } from './treeAccess';
import { notificationsInCenter } from './workbenchProbe';

const stackHub = {
  name: 'Test Stack Hub',
  resourceManagerEndpoint: 'https://management.local.azurestack.external',
  storageEndpointSuffix: 'local.azurestack.external',
};

describe('azureml.customCloud in a real extension host', function () {
  this.timeout(180_000);
  let api: AzureMlExtensionApi;
  const requests: SessionRequest[] = [];
  const providers: vscode.Disposable[] = [];
  const settings = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('azureml');

  before(async () => {
    // Before anything asks for a session, so VS Code never activates its own Microsoft providers.
    providers.push(registerTestProvider('microsoft-sovereign-cloud', requests), registerTestProvider('microsoft', requests));
    api = await extensionApi();
    api.setPrompts(undefined);
    const extensionId = api.extensionContext.extension.id;
    await signInThroughAccountsMenu('microsoft-sovereign-cloud', extensionId);
    await signInThroughAccountsMenu('microsoft', extensionId);
  });

  after(async () => {
    await settings().update('customCloud', undefined, vscode.ConfigurationTarget.Global);
    for (const provider of providers) provider.dispose();
  });

  const invalid: Array<[what: string, value: object, problem: string]> = [
    ['plain http:// to a host that is not loopback', { ...stackHub, resourceManagerEndpoint: 'http://management.local.azurestack.external' },
      '"resourceManagerEndpoint" of the cloud configuration must be an https:// address (plain http:// only on 127.0.0.1 or localhost).'],
    ['a path in the Resource Manager endpoint', { ...stackHub, resourceManagerEndpoint: 'https://management.local.azurestack.external/subscriptions' },
      '"resourceManagerEndpoint" of the cloud configuration must be only a scheme and host (and port), without a path or query.'],
    ['no storageEndpointSuffix', { name: stackHub.name, resourceManagerEndpoint: stackHub.resourceManagerEndpoint },
      '"storageEndpointSuffix" of the cloud configuration must be a host name suffix such as local.azurestack.external.'],
  ];
  for (const [what, value, problem] of invalid) {
    it(`${what}: Sign in says what is wrong with the setting and contacts nothing`, async () => {
      await settings().update('customCloud', value, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('notifications.clearAll');
      requests.length = 0;
      const { result, opened } = await connectionsOpenedDuring(() => vscode.commands.executeCommand('azureml.signIn'));
      assert.equal(result, undefined);
      assert.deepEqual(opened, []);
      assert.deepEqual(requests, [], 'no sign-in was asked for');
      await vscode.commands.executeCommand('notifications.showList');
      // An error notification is the one with a Show Log button (others, like "Activating Extensions...", come and go).
      const shown = await eventually(async () => {
        const errors = (await notificationsInCenter()).filter((t) => t.includes('Show Log'));
        return errors.length > 0 ? errors : undefined;
      }, 'the error notification');
      assert.equal(shown.length, 1, shown.join('\n'));
      const expected = `The user setting azureml.customCloud cannot be used: ${problem} Correct it in your user settings, or remove it to use the cloud named by azureml.cloud.`;
      assert.ok(shown[0]!.includes(expected), shown[0]);
      assert.ok(shown[0]!.includes('Open User Settings'), shown[0]);
    });
  }

  it('a valid custom cloud: sign-in asks the sovereign-cloud provider for its own Resource Manager, and storage trust follows its suffix', async () => {
    await settings().update('customCloud', stackHub, vscode.ConfigurationTarget.Global);
    requests.length = 0;
    assert.equal(await vscode.commands.executeCommand('azureml.signIn'), true);
    assert.ok(requests.length > 0, 'the provider was asked for a session');
    for (const request of requests) {
      assert.deepEqual(request, { provider: 'microsoft-sovereign-cloud', scopes: ['https://management.local.azurestack.external/.default'], environment: 'custom' });
    }
    const connection = await api.connections.getConnection();
    assert.equal(connection.kind, 'azure');
    assert.equal(mayReceiveStorageCredential(connection.cloud, 'https://account1.blob.local.azurestack.external/container'), true);
    assert.equal(mayReceiveStorageCredential(connection.cloud, 'https://account1.blob.core.windows.net/container'), false);
  });

  it('removing the custom cloud drops the live connection: the next use goes to public Azure, without a reload', async () => {
    await settings().update('customCloud', stackHub, vscode.ConfigurationTarget.Global);
    assert.equal(await vscode.commands.executeCommand('azureml.signIn'), true);
    const custom = await api.connections.getConnection();
    assert.equal(mayReceiveStorageCredential(custom.cloud, 'https://account1.blob.local.azurestack.external/container'), true);
    await settings().update('customCloud', undefined, vscode.ConfigurationTarget.Global);
    const connection = await eventually(async () => {
      const current = await api.connections.getConnection();
      return current.cloud.name === 'AzureCloud' ? current : undefined;
    }, 'the connection to follow the setting');
    assert.equal(mayReceiveStorageCredential(connection.cloud, 'https://account1.blob.local.azurestack.external/container'), false);
  });

  // Two guards hold this: the manifest's machine scope (VS Code drops such values from folder
  // settings) and adminCustomCloud() reading only the user value; it fails with both removed.
  it('a folder cannot set it: its value is ignored and sign-in goes to public Azure', async () => {
    await settings().update('customCloud', undefined, vscode.ConfigurationTarget.Global);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder, 'the suite runs with a folder open');
    const settingsDir = path.join(folder, '.vscode');
    mkdirSync(settingsDir, { recursive: true });
    const marker = 'folder-settings-read';
    writeFileSync(path.join(settingsDir, 'settings.json'), JSON.stringify({
      'azureml.customCloud': { name: 'Elsewhere', resourceManagerEndpoint: 'https://management.attacker.example', storageEndpointSuffix: 'attacker.example' },
      'azureml.subscriptions': [marker],
    }));
    try {
      // A window-scoped setting from the same file shows VS Code has read it.
      await eventually(async () => (settings().get<string[]>('subscriptions')?.includes(marker) || undefined), 'the folder settings to be read');
      requests.length = 0;
      assert.equal(await vscode.commands.executeCommand('azureml.signIn'), true);
      assert.ok(requests.length > 0, 'the provider was asked for a session');
      for (const request of requests) {
        assert.deepEqual({ provider: request.provider, scopes: request.scopes }, { provider: 'microsoft', scopes: ['https://management.azure.com/.default'] });
      }
      const connection = await api.connections.getConnection();
      assert.equal(connection.cloud.name, 'AzureCloud');
      assert.equal(mayReceiveStorageCredential(connection.cloud, 'https://account1.blob.attacker.example/container'), false);
    } finally {
      rmSync(settingsDir, { recursive: true, force: true });
    }
  });
});
