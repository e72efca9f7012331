/**
 * Trust, in a real extension host against the local workspace: Open in Studio opens only the
 * cloud's studio, Submit Current File runs no code of a folder in Restricted Mode, and no secret
 * (account key, SAS token, client secret, bearer token) reaches the log, the settings, the
 * mementos or a webview after every feature has used them.
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ContainerSASPermissions, generateBlobSASQueryParameters, StorageSharedKeyCredential } from '@azure/storage-blob';
import * as vscode from 'vscode';
import { connectLocalWorkspace } from '../../src/azure/localWorkspace';
import type { WorkspaceClient } from '../../src/azure/workspaceClient';
import type { SubmitResult } from '../../src/commands/runs/submitCurrentFile';
import { additionalStorageSuffixesSetting, adminStorageSuffixes } from '../../src/connection/adminStorageSuffixes';
import { collectPages } from '../../src/core/pages';
import type { TransferResult } from '../../src/core/transfer/types';
import type { AzureMlExtensionApi } from '../../src/extension';
import type { DatastoreDraft, DatastoreHostMessage, DatastoreWebviewMessage } from '../../src/forms/protocol';
import { devStorageAccount } from '../../src/local/devStorageAccount';
import type { PickItem, PickOptions, Prompts } from '../../src/ui/prompts';
import { startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';
import { localStorageKey } from '../support/storageKey';
import { FormDriver, one } from './formDriver';
import { filesUnder } from './logFiles';
import { eventually, extensionApi, rows } from './treeAccess';
import { notificationsInCenter } from './workbenchProbe';

type DatastoreForm = FormDriver<DatastoreDraft, DatastoreWebviewMessage, DatastoreHostMessage>;

/** Answers picks by label (the first item when none is scripted) and inputs as given (else the proposal). */
function scripted(answers: { picks?: string[]; inputs?: Record<string, string>; folder?: string; opened?: string[] }): Prompts {
  const picks = [...(answers.picks ?? [])];
  return {
    async pick<T>(items: PickItem<T>[] | Promise<PickItem<T>[]>, _options: PickOptions): Promise<T> {
      const list = await items;
      const label = picks.shift();
      const found = label === undefined ? list[0] : list.find((i) => i.label === label);
      assert.ok(found, `no "${label}" among ${list.map((i) => i.label).join(', ')}`);
      return found.value;
    },
    pickMany: async () => assert.fail('unexpected multi-pick'),
    async input(options) {
      const key = Object.keys(answers.inputs ?? {}).find((k) => options.title.endsWith(k));
      return key ? answers.inputs![key]! : options.value ?? '';
    },
    pickFolder: async () => answers.folder ?? assert.fail('unexpected folder dialog'),
    openExternal: async (url) => {
      answers.opened?.push(url);
    },
  };
}

/**
 * Restricted Mode for what runs after it. The test host turns workspace trust off (every folder is
 * trusted), so there the answer of vscode.workspace.isTrusted (the one API object this extension
 * and its tests share) is made false; in a window really in Restricted Mode it is left as it is.
 */
async function inRestrictedMode<T>(action: () => Thenable<T>): Promise<T> {
  if (!vscode.workspace.isTrusted) return action();
  const own = Object.getOwnPropertyDescriptor(vscode.workspace, 'isTrusted');
  assert.ok(own?.configurable, 'vscode.workspace.isTrusted can be answered for the test');
  Object.defineProperty(vscode.workspace, 'isTrusted', { configurable: true, enumerable: own.enumerable ?? true, get: () => false });
  try {
    return await action();
  } finally {
    Object.defineProperty(vscode.workspace, 'isTrusted', own);
  }
}

describe('trust, in a real extension host against the local workspace', function () {
  this.timeout(240_000);
  let local: StartedLocalWorkspace;
  let api: AzureMlExtensionApi;
  let ws: WorkspaceClient;
  let blobContainer: string;
  let scratch: string;
  /** Every message the host posted to a datastore form's webview, from the moment the form opened. */
  const postedToForms: unknown[] = [];

  before(async () => {
    local = await startLocalWorkspace();
    await vscode.workspace.getConfiguration('azureml').update('local.dataFolder', local.dataDir, vscode.ConfigurationTarget.Global);
    api = await extensionApi();
    await vscode.commands.executeCommand('azureml.useLocalWorkspace');
    ws = connectLocalWorkspace(local.connection).workspaceClient;
    blobContainer = (await ws.datastores.get('workspaceblobstore')).containerName!;
    scratch = mkdtempSync(path.join(os.tmpdir(), 'azml-trust-'));
  });

  after(async () => {
    api?.forms.dispose();
    api?.setPrompts(undefined);
    await local?.dispose();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  describe('Open in Studio', () => {
    it('opens nothing for a link that is not the cloud\'s studio, and says so', async () => {
      const opened: string[] = [];
      api.setPrompts(scripted({ opened }));
      const job = { name: 'planted_job', studioUrl: 'https://evil.example/runs/planted_job?wsid=x' };
      const result = await vscode.commands.executeCommand('azureml.openRunInStudio', { job });
      assert.equal(result, undefined);
      assert.deepEqual(opened, []);
      await eventually(async () => filesUnder(api.extensionContext.logUri.fsPath).some(([, text]) => text.includes(
        'The studio link of run planted_job leads to https://evil.example, which is not Azure ML studio: it was not opened.')) || undefined,
      'the refusal in the Azure ML log');
    });
  });

  describe('Submit Current File as Run in Restricted Mode', () => {
    it('on the local workspace, runs nothing of the folder: it is refused with the way to trust the folder, and no job is created', async () => {
      const folder = path.join(scratch, 'untrusted project');
      mkdirSync(folder, { recursive: true });
      const ran = path.join(scratch, 'untrusted-code-ran');
      const script = path.join(folder, 'planted.py');
      writeFileSync(script, `open(${JSON.stringify(ran)}, "w").write("ran")\n`);
      await vscode.window.showTextDocument(vscode.Uri.file(script));
      let asked = false;
      api.setPrompts({ ...scripted({}), pick: async () => { asked = true; throw new Error('asked'); }, input: async () => { asked = true; throw new Error('asked'); } });
      const jobsBefore = (await collectPages((t) => ws.jobs.list({ listViewType: 'All', ...(t ? { continuationToken: t } : {}) }))).map((j) => j.name);
      await vscode.commands.executeCommand('notifications.clearAll');
      assert.equal(api.connections.kind, 'local');
      const result = await inRestrictedMode(() => vscode.commands.executeCommand('azureml.submitCurrentFile'));
      api.setPrompts(undefined);
      assert.equal(result, undefined);
      assert.equal(asked, false, 'no experiment, compute or environment was asked for');
      const refusal = 'This folder is open in Restricted Mode, and submitting planted.py to the local workspace would run its code on this machine. '
        + 'Nothing was submitted: trust the folder (Manage Workspace Trust), then submit it again.';
      await vscode.commands.executeCommand('notifications.showList');
      const shown = await eventually(async () => (await notificationsInCenter()).find((t) => t.includes('Restricted Mode')), 'the refusal');
      assert.ok(shown.includes(refusal), shown);
      assert.ok(shown.includes('Manage Workspace Trust'), `the button that opens Workspace Trust: ${shown}`);
      await eventually(async () => filesUnder(api.extensionContext.logUri.fsPath).some(([, text]) => text.includes(refusal)) || undefined, 'the refusal in the Azure ML log');
      const jobsAfter = (await collectPages((t) => ws.jobs.list({ listViewType: 'All', ...(t ? { continuationToken: t } : {}) }))).map((j) => j.name);
      assert.deepEqual(jobsAfter, jobsBefore, 'no job was created');
      await new Promise((resolve) => setTimeout(resolve, 2000));
      assert.equal(existsSync(ran), false, 'the folder\'s code did not run');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });
  });

  describe('a datastore planted with another host as its storage', () => {
    it('shows, when browsed, one message naming it, and the user\'s token goes nowhere', async () => {
      await ws.datastores.createOrUpdate({
        name: 'planted_store', datastoreType: 'AzureBlob', accountName: devStorageAccount.name, containerName: blobContainer,
        endpoint: 'evil.example', credentials: { credentialsType: 'None' },
      }, { skipValidation: true });
      await vscode.commands.executeCommand('azureml.refreshDatastores');
      const planted = await eventually(async () => (await rows(api.views.datastores)).find((r) => r.label === 'planted_store'), 'the planted datastore');
      const [message, ...more] = await rows(api.views.datastores, planted.node);
      assert.equal(more.length, 0);
      assert.equal(message?.item.contextValue, 'error');
      assert.equal(message?.label, 'Datastore "planted_store" points at storage endpoint "evil.example" (https), which is not Azure Storage of '
        + 'Local workspace (local): nothing was sent to it. An administrator can trust more storage suffixes with the machine setting '
        + 'azureml.storage.additionalEndpointSuffixes.');
    });
  });

  describe('the administrator\'s storage suffixes', () => {
    it('are a machine setting: a workspace\'s settings cannot add one, the user\'s (machine) settings can', async () => {
      const manifest = vscode.extensions.getExtension('azureml-workbench.azureml-workbench')!.packageJSON as {
        contributes: { configuration: { properties: Record<string, { scope?: string }> } };
      };
      assert.equal(manifest.contributes.configuration.properties[`azureml.${additionalStorageSuffixesSetting}`]?.scope, 'machine');
      const folder = vscode.workspace.workspaceFolders?.[0];
      assert.ok(folder, 'the host opened a folder');
      const settingsFile = path.join(folder.uri.fsPath, '.vscode', 'settings.json');
      mkdirSync(path.dirname(settingsFile), { recursive: true });
      const changed = new Promise<void>((resolve) => {
        const listener = vscode.workspace.onDidChangeConfiguration(() => {
          listener.dispose();
          resolve();
        });
      });
      writeFileSync(settingsFile, JSON.stringify({ [`azureml.${additionalStorageSuffixesSetting}`]: ['attacker.example'], 'azureml.local.autoConnect': false }));
      await changed;
      assert.deepEqual(adminStorageSuffixes(), []);
      const config = vscode.workspace.getConfiguration('azureml');
      await config.update(additionalStorageSuffixesSetting, ['local.azurestack.external'], vscode.ConfigurationTarget.Global);
      try {
        assert.deepEqual(adminStorageSuffixes(), ['local.azurestack.external']);
      } finally {
        await config.update(additionalStorageSuffixesSetting, undefined, vscode.ConfigurationTarget.Global);
        rmSync(settingsFile);
      }
    });
  });

  describe('secrets', () => {
    const clientSecret = `sp-secret-${randomUUID()}`;
    let sasToken: string;
    let readOnlySas: string;

    function sas(permissions: string): string {
      return generateBlobSASQueryParameters({
        containerName: blobContainer, permissions: ContainerSASPermissions.parse(permissions), expiresOn: new Date(Date.now() + 3_600_000),
      }, new StorageSharedKeyCredential(devStorageAccount.name, localStorageKey(local.dataDir))).toString();
    }

    /** The known secret values, and their URL-encoded forms. */
    function secrets(): Array<[string, string]> {
      const sigOf = (token: string) => new URLSearchParams(token).get('sig')!;
      const values: Array<[string, string]> = [
        ['account key', localStorageKey(local.dataDir)],
        ['SAS token', sasToken],
        ['SAS signature', sigOf(sasToken)],
        ['read-only SAS signature', sigOf(readOnlySas)],
        ['client secret', clientSecret],
        ['bearer token', local.connection.token],
      ];
      return values.flatMap(([what, value]) => [[what, value], [`${what} (URL-encoded)`, encodeURIComponent(value)]] as Array<[string, string]>);
    }

    async function registerThroughForm(draft: Partial<DatastoreDraft>, check: boolean): Promise<void> {
      await vscode.commands.executeCommand('azureml.registerDatastore');
      const form: DatastoreForm = await FormDriver.open(api, 'azureml.registerDatastore');
      const listening = form.panel.onDidPost((message) => postedToForms.push(message));
      form.panel.onDidDispose(() => listening.dispose());
      const init = await form.init();
      const full: DatastoreDraft = { ...init.draft, accountName: devStorageAccount.name, container: blobContainer, ...draft };
      if (check) assert.equal(one(await form.send({ type: 'checkConnection', draft: full }), 'status').kind, 'success');
      one(await form.send({ type: 'submit', draft: { ...full, skipValidation: !check } }), 'saved');
    }

    it('every feature uses them: register, browse, upload, download, submit and tail, errors', async () => {
      sasToken = sas('racwdl');
      readOnlySas = sas('rl');
      await registerThroughForm({ name: 'secret_key_store', datastoreType: 'AzureBlob', authType: 'AccountKey', accountKey: localStorageKey(local.dataDir) }, true);
      await registerThroughForm({ name: 'secret_sas_store', datastoreType: 'AzureBlob', authType: 'Sas', sasToken }, true);
      await registerThroughForm({
        name: 'secret_sp_store', datastoreType: 'AzureDataLakeGen2', authType: 'ServicePrincipal',
        tenantId: '11111111-2222-3333-4444-555555555555', clientId: '66666666-7777-8888-9999-000000000000', clientSecret,
      }, false);
      // The secrets searched for are exactly the ones the workspace holds.
      const { expiresAt: _sasExpiry, ...sasSecrets } = await ws.datastores.listSecrets('secret_sas_store');
      assert.deepEqual(sasSecrets, { secretsType: 'Sas', sasToken });
      const { expiresAt: _spExpiry, ...sp } = await ws.datastores.listSecrets('secret_sp_store');
      assert.deepEqual(sp, { secretsType: 'ServicePrincipal', clientSecret });
      await ws.datastores.createOrUpdate({
        name: 'secret_readonly_store', datastoreType: 'AzureBlob', accountName: devStorageAccount.name, containerName: blobContainer,
        endpoint: 'local', credentials: { credentialsType: 'Sas', sasToken: readOnlySas },
      }, { skipValidation: true });

      // Browse: each datastore's root.
      await vscode.commands.executeCommand('azureml.refreshDatastores');
      for (const name of ['secret_key_store', 'secret_sas_store', 'secret_readonly_store']) {
        const node = await eventually(async () => (await rows(api.views.datastores)).find((r) => r.label === name), `${name} in the tree`);
        await rows(api.views.datastores, node.node);
      }

      // Upload with the SAS, download with the key.
      const folder = path.join(scratch, 'secret project');
      mkdirSync(folder, { recursive: true });
      writeFileSync(path.join(folder, 'data.csv'), 'a,b\n1,2\n');
      const uri = vscode.Uri.file(folder);
      api.setPrompts(scripted({ picks: ['secret_sas_store', 'Overwrite'] }));
      const uploaded = await vscode.commands.executeCommand<TransferResult>('azureml.uploadToDatastore', uri, [uri]);
      assert.equal(uploaded.transferred.files, 1);
      api.setPrompts(scripted({ picks: ['secret_key_store', 'Overwrite'], inputs: { 'Download from secret_key_store': 'secret project' }, folder: path.join(scratch, 'down') }));
      mkdirSync(path.join(scratch, 'down'));
      const downloaded = await vscode.commands.executeCommand<TransferResult>('azureml.downloadDatastoreFolder');
      assert.equal(downloaded.transferred.files, 1);

      // An upload the read-only SAS cannot do: an error about a SAS-bearing request.
      api.setPrompts(scripted({ picks: ['secret_readonly_store', 'Overwrite'] }));
      await vscode.commands.executeCommand('azureml.uploadToDatastore', uri, [uri]);

      // Submit a run and tail it (its log is read through SAS links).
      const script = path.join(folder, 'train.py');
      writeFileSync(script, 'print("training", flush=True)\n');
      writeFileSync(path.join(folder, '.amlignore'), '*.csv\n');
      await vscode.window.showTextDocument(vscode.Uri.file(script));
      api.setPrompts(scripted({ inputs: { ': Experiment': 'secret-exp' } }));
      const submitted = await vscode.commands.executeCommand<SubmitResult>('azureml.submitCurrentFile');
      const watch = api.runs.watchers.get(submitted.jobName)!;
      assert.equal((await watch.done)?.status, 'Completed');

      // Errors around secret-bearing URLs: a studio link carrying the SAS.
      api.setPrompts(scripted({ opened: [] }));
      await vscode.commands.executeCommand('azureml.openRunInStudio', { job: { name: 'x', studioUrl: `http://127.0.0.1:1/runs/x?${sasToken}` } });
      api.setPrompts(undefined);

      const context = api.extensionContext;
      const places: Array<[string, string]> = await eventually(async () => {
        const logs = filesUnder(context.logUri.fsPath);
        return logs.some(([, text]) => text.includes('Registered datastore "secret_sas_store"') && text.includes('azureml.openRunInStudio failed'))
          ? logs : undefined;
      }, 'the Azure ML log file in the extension\'s log folder, up to the last command');
      places.push(...filesUnder(context.globalStorageUri.fsPath), ...(context.storageUri ? filesUnder(context.storageUri.fsPath) : []));
      const userSettings = path.join(context.globalStorageUri.fsPath, '..', '..', 'settings.json');
      if (existsSync(userSettings)) places.push([userSettings, readFileSync(userSettings, 'utf8')]);
      for (const f of vscode.workspace.workspaceFolders ?? []) places.push(...filesUnder(path.join(f.uri.fsPath, '.vscode')));
      places.push(['azureml settings', JSON.stringify(vscode.workspace.getConfiguration('azureml'))]);
      for (const [name, memento] of [['globalState', context.globalState], ['workspaceState', context.workspaceState]] as const) {
        places.push([name, JSON.stringify(memento.keys().map((k) => [k, memento.get(k)]))]);
      }
      places.push(['messages posted to the datastore forms', JSON.stringify(postedToForms)]);
      places.push([`run log ${submitted.jobName}`, watch.log.text]);

      const leaks: string[] = [];
      for (const [what, value] of secrets()) {
        for (const [where, text] of places) if (text.includes(value)) leaks.push(`${what} in ${where}`);
      }
      assert.deepEqual(leaks, []);
    });
  });
});
