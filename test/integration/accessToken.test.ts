/**
 * The opt-in setting azureml.auth.useAccessTokenFromEnvironment in a real extension host: the
 * bearer token in the extension host's AZML_ACCESS_TOKEN as the Azure account, against the local
 * workspace's Resource Manager (a custom cloud on loopback), and what an expired or missing
 * token says. The variable is set in this host process's own environment, where the extension
 * reads it at sign-in. VS Code's Microsoft providers are stood in for, to see whether they are asked.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AzureMlExtensionApi } from '../../src/extension';
import type { PickItem } from '../../src/ui/prompts';
import { startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';
import { filesUnder } from './logFiles';
import { connectionsOpenedDuring } from './outgoingConnections';
import { registerTestProvider, signInThroughAccountsMenu, type SessionRequest } from './testAuthProviders';
import { eventually, extensionApi, row, rows } from './treeAccess';
import { notificationsInCenter } from './workbenchProbe';

/** A JWT as Microsoft Entra ID issues it; its signature is never looked at. */
function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ typ: 'JWT', alg: 'RS256' })}.${part(claims)}.c2lnbmF0dXJl`;
}

async function shownNotification(text: string): Promise<string> {
  await vscode.commands.executeCommand('notifications.showList');
  return eventually(async () => (await notificationsInCenter()).find((t) => t.includes(text)), `a notification saying "${text}"`);
}

describe('the token from AZML_ACCESS_TOKEN as the Azure account, in a real extension host', function () {
  this.timeout(180_000);
  let api: AzureMlExtensionApi;
  let local: StartedLocalWorkspace;
  const requests: SessionRequest[] = [];
  const providers: vscode.Disposable[] = [];
  const settings = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('azureml');
  const expired = jwt({ aud: 'http://127.0.0.1', tid: 'tenant-1', exp: Date.parse('2026-01-02T03:04:05Z') / 1000 });

  before(async () => {
    providers.push(registerTestProvider('microsoft-sovereign-cloud', requests), registerTestProvider('microsoft', requests));
    local = await startLocalWorkspace({ seed: 'demo' });
    api = await extensionApi();
    api.setPrompts(undefined);
    await signInThroughAccountsMenu('microsoft-sovereign-cloud', api.extensionContext.extension.id);
    await settings().update('customCloud', {
      name: 'Token test cloud', resourceManagerEndpoint: local.connection.armEndpoint, storageEndpointSuffix: 'storage.local.test',
    }, vscode.ConfigurationTarget.Global);
    await settings().update('auth.useAccessTokenFromEnvironment', true, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    delete process.env['AZML_ACCESS_TOKEN'];
    await vscode.commands.executeCommand('azureml.signOut');
    await settings().update('auth.useAccessTokenFromEnvironment', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('customCloud', undefined, vscode.ConfigurationTarget.Global);
    for (const provider of providers) provider.dispose();
    await local?.dispose();
  });

  beforeEach(async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
    requests.length = 0;
  });

  it('an expired token: Sign in says so and how to replace it, sends nothing and asks no sign-in', async () => {
    process.env['AZML_ACCESS_TOKEN'] = expired;
    const { result, opened } = await connectionsOpenedDuring(() => vscode.commands.executeCommand('azureml.signIn'));
    assert.equal(result, undefined);
    assert.deepEqual(opened, []);
    assert.deepEqual(requests, []);
    const shown = await shownNotification('expired');
    assert.ok(shown.includes('The token in AZML_ACCESS_TOKEN expired at 2026-01-02 03:04:05Z. Set a new token in AZML_ACCESS_TOKEN (for VS Code: in the environment it is started from, then reload the window).'), shown);
    assert.ok(shown.includes('Reload Window'), shown);
    assert.ok(!shown.includes(expired), 'the token is not shown');
  });

  it('the setting on but the variable empty: a warning names it, and the Microsoft sign-in goes ahead', async () => {
    process.env['AZML_ACCESS_TOKEN'] = '  ';
    assert.equal(await vscode.commands.executeCommand('azureml.signIn'), true);
    const shown = await shownNotification('AZML_ACCESS_TOKEN');
    assert.ok(shown.includes('azureml.auth.useAccessTokenFromEnvironment is on, but AZML_ACCESS_TOKEN is not set in the environment VS Code was started from. Set it and reload the window, or sign in with your Microsoft account.'), shown);
    assert.ok(requests.some((r) => r.provider === 'microsoft-sovereign-cloud'), 'the normal sign-in was used');
    const top = await rows(api.views.workspaces);
    assert.ok(!top.some((r) => r.label.startsWith('Access token from')), top.map((r) => r.label).join(', '));
  });

  it('a token: the workspaces are listed from Resource Manager with it, no sign-in asked, and the account says what it is', async () => {
    process.env['AZML_ACCESS_TOKEN'] = local.connection.token;
    assert.equal(await vscode.commands.executeCommand('azureml.signIn'), true);
    const top = await eventually(async () => {
      const all = await rows(api.views.workspaces);
      return all.some((r) => r.label === 'Local subscription') ? all : undefined;
    }, 'the subscription listed with the token');
    assert.equal(top[0]?.label, 'Access token from AZML_ACCESS_TOKEN, expiry unknown');
    assert.equal(top[0]?.item.tooltip, 'Not a JWT: its tenant, identity and expiry are unknown.');
    const subscription = await row(api.views.workspaces, 'Local subscription');
    await row(api.views.workspaces, 'local', subscription.node);
    assert.deepEqual(requests, [], 'no Microsoft sign-in was asked for');

    const log = await eventually(async () => {
      const files = filesUnder(api.extensionContext.logUri.fsPath);
      return files.some(([, text]) => text.includes('as: Access token from AZML_ACCESS_TOKEN')) ? files : undefined;
    }, 'the connection in the log');
    const places: Array<[string, string]> = [...log, ['azureml settings', JSON.stringify(settings())]];
    for (const [name, memento] of [['globalState', api.extensionContext.globalState], ['workspaceState', api.extensionContext.workspaceState]] as const) {
      places.push([name, JSON.stringify(memento.keys().map((k) => [k, memento.get(k)]))]);
    }
    assert.deepEqual(places.filter(([, text]) => text.includes(local.connection.token)).map(([where]) => where), []);
  });

  it('Select Subscriptions offers every subscription of the account, also one the setting leaves out; none chosen changes nothing', async () => {
    process.env['AZML_ACCESS_TOKEN'] = local.connection.token;
    assert.equal(await vscode.commands.executeCommand('azureml.signIn'), true);
    const elsewhere = ['11111111-2222-3333-4444-555555555555'];
    await settings().update('subscriptions', elsewhere, vscode.ConfigurationTarget.Global);
    const answering = (answer: (ids: string[]) => string[], offered: Array<[string, boolean | undefined]>): void => api.setPrompts({
      pick: async () => assert.fail('unexpected pick'),
      input: async () => assert.fail('unexpected input'),
      pickMany: async <T>(items: Array<PickItem<T>> | Promise<Array<PickItem<T>>>) => {
        const list = await items;
        offered.push(...list.map((i): [string, boolean | undefined] => [i.label, i.picked]));
        return answer(list.map((i) => String(i.value))) as T[];
      },
    });
    try {
      const offered: Array<[string, boolean | undefined]> = [];
      answering(() => [], offered);
      await vscode.commands.executeCommand('azureml.selectSubscriptions');
      assert.deepEqual(offered, [['Local subscription', false]], 'the subscription the setting leaves out is offered, not ticked');
      assert.deepEqual(settings().get('subscriptions'), elsewhere, 'none chosen: the setting is as it was');

      answering((ids) => ids, []);
      await vscode.commands.executeCommand('azureml.selectSubscriptions');
      assert.deepEqual(settings().get('subscriptions'), [], 'every one chosen: all are shown');
    } finally {
      api.setPrompts(undefined);
      await settings().update('subscriptions', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('a refused token (the service answers 401) says the token was refused and to replace it, not to sign in', async () => {
    process.env['AZML_ACCESS_TOKEN'] = 'not-the-local-workspace-token';
    assert.equal(await vscode.commands.executeCommand('azureml.signIn'), true);
    const refused = await eventually(async () => (await rows(api.views.workspaces)).find((r) => r.label.includes('refused')), 'the refusal in the Workspaces view');
    assert.equal(refused.label, 'The token in AZML_ACCESS_TOKEN was refused (expired, or not for this cloud). Set a new token in AZML_ACCESS_TOKEN in the environment VS Code is started from, then reload the window.');
    assert.equal(refused.item.description, 'Reload Window…');
    assert.deepEqual(requests, [], 'no Microsoft sign-in was asked for');
  });

  it('turning the setting off goes back to the Microsoft sign-in, without Sign in again', async () => {
    process.env['AZML_ACCESS_TOKEN'] = local.connection.token;
    assert.equal(await vscode.commands.executeCommand('azureml.signIn'), true);
    await eventually(async () => ((await rows(api.views.workspaces))[0]?.label.startsWith('Access token from') || undefined), 'the token account');
    await settings().update('auth.useAccessTokenFromEnvironment', false, vscode.ConfigurationTarget.Global);
    await eventually(async () => ((await rows(api.views.workspaces)).some((r) => r.label.startsWith('Access token from')) ? undefined : true), 'the token account gone');
    assert.ok(requests.some((r) => r.provider === 'microsoft-sovereign-cloud'), 'the Microsoft session was asked for');
    assert.equal(api.connections.errorContext, 'azure');
  });
});
