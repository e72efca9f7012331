/**
 * The Register Datastore and Register Model forms in a real extension host, driven through
 * their message protocol (as their webviews would), against the seeded local workspace.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ContainerClient, ContainerSASPermissions, generateBlobSASQueryParameters, StorageSharedKeyCredential } from '@azure/storage-blob';
import {
  generateFileSASQueryParameters, ShareSASPermissions, StorageSharedKeyCredential as FileSharedKeyCredential,
} from '@azure/storage-file-share';
import * as vscode from 'vscode';
import { connectLocalWorkspace } from '../../src/azure/localWorkspace';
import type { WorkspaceClient } from '../../src/azure/workspaceClient';
import type { AzureMlExtensionApi } from '../../src/extension';
import { RegisterDatastoreForm } from '../../src/forms/registerDatastoreForm';
import type {
  DatastoreAuthType, DatastoreDraft, DatastoreHostMessage, DatastoreWebviewMessage, FormDatastoreType, ModelDraft,
  ModelHostMessage, ModelWebviewMessage,
} from '../../src/forms/protocol';
import { devStorageAccount } from '../../src/local/devStorageAccount';
import type { Log } from '../../src/ui/log';
import { UserCancelledError, type ConfirmOptions, type Prompts } from '../../src/ui/prompts';
import { startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';
import { localStorageKey } from '../support/storageKey';
import { FormDriver, one, only } from './formDriver';
import { pathToString } from './objectGraph';
import { eventually, extensionApi, row, rows } from './treeAccess';

type DatastoreForm = FormDriver<DatastoreDraft, DatastoreWebviewMessage, DatastoreHostMessage>;
type ModelForm = FormDriver<ModelDraft, ModelWebviewMessage, ModelHostMessage>;

const hour = 3_600_000;

function containerSas(key: string, container: string, validFor = hour): string {
  return generateBlobSASQueryParameters({
    containerName: container, permissions: ContainerSASPermissions.parse('rl'), expiresOn: new Date(Date.now() + validFor),
  }, new StorageSharedKeyCredential(devStorageAccount.name, key)).toString();
}

/** Prompts whose modal confirmations answer as `answer.confirm` says, recording each question. */
function confirmingPrompts(answer: { confirm: boolean }, asked: ConfirmOptions[]): Prompts {
  return {
    pick: async () => assert.fail('unexpected pick'),
    pickMany: async () => assert.fail('unexpected pick'),
    input: async () => assert.fail('unexpected input'),
    confirm: async (options) => {
      asked.push(options);
      if (!answer.confirm) throw new UserCancelledError();
    },
  };
}

const quietLog: Log = { info: () => undefined, warn: () => undefined, error: () => undefined, show: () => undefined };

function shareSas(key: string, share: string): string {
  return generateFileSASQueryParameters({
    shareName: share, permissions: ShareSASPermissions.parse('rl'), expiresOn: new Date(Date.now() + hour),
  }, new FileSharedKeyCredential(devStorageAccount.name, key)).toString();
}

describe('registration forms in a real extension host, against the local workspace', function () {
  this.timeout(180_000);
  let local: StartedLocalWorkspace;
  let api: AzureMlExtensionApi;
  let ws: WorkspaceClient;
  let blobContainer: string;
  let fileShare: string;
  let key: string;
  const tempDirs: string[] = [];

  before(async () => {
    local = await startLocalWorkspace({ seed: 'demo' });
    key = localStorageKey(local.dataDir);
    await vscode.workspace.getConfiguration('azureml').update('local.dataFolder', local.dataDir, vscode.ConfigurationTarget.Global);
    api = await extensionApi();
    await vscode.commands.executeCommand('azureml.useLocalWorkspace');
    ws = connectLocalWorkspace(local.connection).workspaceClient;
    blobContainer = (await ws.datastores.get('workspaceblobstore')).containerName!;
    fileShare = (await ws.datastores.get('workspacefilestore')).fileShareName!;
  });

  // Every test starts with a new form, as a user opening it from the view would.
  afterEach(() => api?.forms.dispose());

  after(async () => {
    api?.forms.dispose();
    api?.setPrompts(undefined);
    await local?.dispose();
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  });

  async function openDatastoreForm(): Promise<{ form: DatastoreForm; draft: DatastoreDraft }> {
    await vscode.commands.executeCommand('azureml.registerDatastore');
    const form: DatastoreForm = await FormDriver.open(api, 'azureml.registerDatastore');
    const init = await form.init();
    return { form, draft: init.draft };
  }

  function datastoreDraft(base: DatastoreDraft, type: FormDatastoreType, auth: DatastoreAuthType, name: string): DatastoreDraft {
    const secrets = {
      AccountKey: { accountKey: key },
      Sas: { sasToken: type === 'AzureFile' ? shareSas(key, fileShare) : containerSas(key, blobContainer) },
      ServicePrincipal: { tenantId: '11111111-2222-3333-4444-555555555555', clientId: '66666666-7777-8888-9999-000000000000', clientSecret: 'sp-secret-value' },
      None: {},
    }[auth];
    return {
      ...base, ...secrets, name, datastoreType: type, authType: auth, accountName: devStorageAccount.name,
      container: type === 'AzureFile' ? fileShare : blobContainer, description: `${type} with ${auth}`,
      tags: [{ key: 'team', value: 'forms' }, { key: '', value: '' }],
    };
  }

  describe('Register Datastore', () => {
    it('opens a webview with a strict CSP and a fresh nonce, and answers ready with the cloud\'s defaults', async () => {
      const { form, draft } = await openDatastoreForm();
      const webview = form.panel.panel.webview;
      const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(webview.html)?.[1]?.replace(/&#39;/g, '\'');
      assert.ok(csp, 'the page declares a CSP');
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /script-src 'nonce-[A-Za-z0-9+/=]{24}'/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      assert.doesNotMatch(webview.html, /<script(?![^>]*\bnonce=)[^>]*>/, 'every script carries the nonce');
      assert.doesNotMatch(webview.html, /\sstyle=|<style/, 'no inline styles');
      assert.deepEqual(webview.options.localResourceRoots?.map((u) => path.basename(u.fsPath)), ['media']);
      assert.equal(webview.options.enableScripts, true);

      assert.equal(draft.endpoint, 'local');
      assert.equal(draft.protocol, 'http');
      const init = await form.init();
      assert.ok(init.options.existingNames.includes('workspaceblobstore'));
      assert.deepEqual(init.options.localStorage, { accountName: 'devstoreaccount1', endpointSuffix: 'local' });

      const html = webview.html;
      await form.send({ type: 'cancel' });
      assert.equal(form.panel.isDisposed, true, 'Cancel closes the form');
      const reopened = await openDatastoreForm();
      assert.notEqual(reopened.form.panel, form.panel);
      const again = reopened.form.panel.panel.webview.html;
      const nonceOf = (page: string): string => /nonce="([A-Za-z0-9+/=]+)"/.exec(page)?.[1] ?? '';
      assert.notEqual(nonceOf(again), '');
      assert.notEqual(nonceOf(again), nonceOf(html), 'each page gets its own nonce');
    });

    const combinations: Array<[FormDatastoreType, DatastoreAuthType, 'passes' | 'cannot check locally']> = [
      ['AzureBlob', 'AccountKey', 'passes'],
      ['AzureBlob', 'Sas', 'passes'],
      ['AzureBlob', 'None', 'cannot check locally'],
      ['AzureFile', 'AccountKey', 'passes'],
      ['AzureFile', 'Sas', 'passes'],
      ['AzureFile', 'None', 'cannot check locally'],
      ['AzureDataLakeGen2', 'ServicePrincipal', 'cannot check locally'],
      ['AzureDataLakeGen2', 'None', 'cannot check locally'],
    ];
    for (const [type, auth, outcome] of combinations) {
      it(`${type} with ${auth}: the connection check ${outcome}, and saving registers it`, async () => {
        const name = `ds_${type}_${auth}`.toLowerCase();
        const { form, draft: base } = await openDatastoreForm();
        const draft = datastoreDraft(base, type, auth, name);

        const checked = await form.send({ type: 'checkConnection', draft });
        const status = one(checked, 'status');
        if (outcome === 'passes') {
          assert.equal(status.kind, 'success', status.message);
          assert.match(status.message, /^Connected: the (container|file share|file system) ".+" in storage account "devstoreaccount1" can be listed/);
        } else {
          assert.equal(status.kind, 'error');
          assert.match(status.message, /cannot be checked against the local workspace.*Skip validation/);
          assert.equal(status.field, auth === 'None' ? 'authType' : 'clientSecret');
        }
        assert.equal(checked.at(-1)?.type, 'idle');

        const saved = await form.send({ type: 'submit', draft: { ...draft, skipValidation: outcome !== 'passes' } });
        assert.equal(one(saved, 'saved').message, `Registered datastore "${name}".`);
        assert.equal(form.panel.isDisposed, true, 'the form closes after saving');

        const stored = await ws.datastores.get(name);
        assert.equal(stored.datastoreType, type);
        assert.equal(stored.credentialsType, auth);
        assert.equal(stored.accountName, 'devstoreaccount1');
        assert.equal(stored.description, `${type} with ${auth}`);
        assert.deepEqual(stored.tags, { team: 'forms' });
        if (auth === 'AccountKey') {
          // Asked for an expiring secret, the workspace answers a SAS signed with the key the form saved:
          // the storage accepts it only if that key is the account's own.
          const secrets = await ws.datastores.listSecrets(name);
          assert.ok(secrets.secretsType === 'Sas', `a SAS expected, got ${secrets.secretsType}`);
          const target = type === 'AzureBlob' ? `${local.connection.blobEndpoint}/${blobContainer}` : undefined;
          if (target) assert.equal(await new ContainerClient(`${target}?${secrets.sasToken.replace(/^\?/, '')}`).exists(), true);
        }
        if (auth === 'ServicePrincipal') assert.deepEqual(stored.servicePrincipal, { tenantId: draft.tenantId, clientId: draft.clientId });
        const shown = await eventually(async () => (await rows(api.views.datastores)).find((r) => r.label === name), `${name} in the tree`);
        assert.equal(shown.item.contextValue, `datastore:${type}`);
      });
    }

    it('says what is wrong with each field, on the host as in the webview', async () => {
      const { form, draft: base } = await openDatastoreForm();
      const valid = datastoreDraft(base, 'AzureBlob', 'AccountKey', 'valid_name');
      const cases: Array<[Partial<DatastoreDraft>, keyof DatastoreDraft, RegExp]> = [
        [{ name: '' }, 'name', /^Enter a name/],
        [{ name: 'has-hyphen' }, 'name', /letters, digits and underscores/],
        [{ accountName: 'ab' }, 'accountName', /3 to 24 characters/],
        [{ accountName: 'UpperCase' }, 'accountName', /lowercase letters and digits/],
        [{ accountName: 'otheraccount' }, 'accountName', /one storage account: "devstoreaccount1"/],
        [{ container: 'a--b' }, 'container', /two hyphens/],
        [{ container: '-abc' }, 'container', /Start and end with a letter or digit/],
        [{ container: 'Data' }, 'container', /lowercase letters, digits and hyphens/],
        [{ datastoreType: 'AzureFile', container: 'x' }, 'container', /file share name has 3 to 63/],
        [{ endpoint: 'https://core.windows.net' }, 'endpoint', /not a URL/],
        [{ accountKey: '' }, 'accountKey', /Enter the storage account key/],
        [{ accountKey: 'not base64!' }, 'accountKey', /spaces|base64/],
        [{ authType: 'Sas', sasToken: 'https://a.blob.core.windows.net/c?sv=1&sig=x' }, 'sasToken', /not the whole URL/],
        [{ authType: 'Sas', sasToken: 'sv=2024-01-01&sp=rl' }, 'sasToken', /no signature/],
        [{ authType: 'Sas', sasToken: 'sv=2024-01-01&se=2020-01-01T00:00:00Z&sig=abc' }, 'sasToken', /expired on 2020-01-01 00:00 UTC/],
        [{ authType: 'ServicePrincipal' }, 'authType', /cannot use this authentication/],
        [{ datastoreType: 'AzureDataLakeGen2', authType: 'ServicePrincipal', tenantId: 'contoso' }, 'tenantId', /GUID/],
        [{ datastoreType: 'AzureDataLakeGen2', authType: 'ServicePrincipal', clientId: '' }, 'clientId', /Enter the client ID/],
        [{ datastoreType: 'AzureDataLakeGen2', authType: 'ServicePrincipal', clientSecret: '' }, 'clientSecret', /Enter the client secret/],
        [{ tags: [{ key: '', value: 'orphan' }] }, 'tags', /value but no name/],
        [{ tags: [{ key: 'a', value: '1' }, { key: 'a', value: '2' }] }, 'tags', /appears twice/],
      ];
      const spValid = { tenantId: '11111111-2222-3333-4444-555555555555', clientId: '66666666-7777-8888-9999-000000000000', clientSecret: 's' };
      for (const [change, field, message] of cases) {
        const draft = { ...valid, ...(change.authType === 'ServicePrincipal' && change.datastoreType ? spValid : {}), ...change };
        const replies = await form.send({ type: 'submit', draft });
        const errors = one(replies, 'fieldErrors').errors;
        assert.match(errors[field as keyof typeof errors] ?? '', message, `${JSON.stringify(change)} → ${JSON.stringify(errors)}`);
        assert.match(one(replies, 'status').message, /^Not registered\. (One field needs|\d+ fields need) attention\.$/);
        assert.equal(only(replies, 'saved').length, 0);
      }
      await assert.rejects(ws.datastores.get('valid_name'), /not found/i, 'nothing was registered');
    });

    it('ignores malformed messages and coerces what the webview sends', async () => {
      const { form, draft: base } = await openDatastoreForm();
      assert.deepEqual(await form.send({ type: 'submit' }), []);
      assert.deepEqual(await form.send({ type: 'deleteEverything' }), []);
      assert.deepEqual(await form.send('ready'), []);
      const replies = await form.send({ type: 'submit', draft: { ...datastoreDraft(base, 'AzureBlob', 'AccountKey', 'coerced'), datastoreType: 'OneLake', name: 42 } });
      assert.match(one(replies, 'fieldErrors').errors.name ?? '', /^Enter a name/, 'a non-string name counts as empty');
    });

    it('refuses a wrong account key with the storage\'s answer and registers nothing', async () => {
      const { form, draft: base } = await openDatastoreForm();
      const wrongKey = Buffer.alloc(64, 9).toString('base64');
      const draft = { ...datastoreDraft(base, 'AzureBlob', 'AccountKey', 'wrong_key'), accountKey: wrongKey };
      const replies = await form.send({ type: 'submit', draft });
      const status = one(replies, 'status');
      assert.equal(status.kind, 'error');
      assert.equal(status.message, 'Storage account "devstoreaccount1" rejected the account key: authentication failed. Check that it belongs to this account.');
      assert.equal(status.field, 'accountKey');
      assert.equal(one(replies, 'fieldErrors').errors.accountKey, status.message);
      assert.ok(!JSON.stringify(replies).includes(wrongKey), 'the key is not echoed back');
      await assert.rejects(ws.datastores.get('wrong_key'), /not found/i);

      const missing = await form.send({ type: 'checkConnection', draft: { ...draft, accountKey: key, container: 'no-such-container' } });
      assert.equal(one(missing, 'status').message, 'The container "no-such-container" does not exist in storage account "devstoreaccount1".');
      assert.equal(one(missing, 'status').field, 'container');
    });

    it('keeps the draft while the panel is hidden, but never sends secrets back after a submit', async () => {
      const { form, draft: base } = await openDatastoreForm();
      const typed = { ...datastoreDraft(base, 'AzureBlob', 'AccountKey', 'kept_draft'), container: 'no-such-container' };
      await form.send({ type: 'draftChanged', draft: typed });
      const reloaded = await form.init();
      assert.deepEqual(reloaded.draft, typed, 'a reloaded webview gets the whole draft back');

      await form.send({ type: 'submit', draft: typed });
      const afterSubmit = await form.init();
      assert.equal(afterSubmit.draft.accountKey, '', 'the key is not replayed after a submit');
      assert.equal(afterSubmit.draft.container, 'no-such-container', 'the rest of the draft is');
      await form.send({ type: 'draftChanged', draft: typed });
      assert.equal((await form.init()).draft.accountKey, '', 'nor kept from later drafts');
      assert.equal(pathToString(api.forms, key, new Set(['panel', 'log'])), undefined,
        'after the submit, nothing the open forms keep holds the key (no earlier message either)');
      const settings = JSON.stringify(vscode.workspace.getConfiguration('azureml'));
      assert.ok(!settings.includes(key), 'no secret in settings');
    });

    it('sets another datastore as the default from the tree, and the tree moves the marker', async () => {
      const fileStore = await row(api.views.datastores, 'workspacefilestore');
      assert.equal(await vscode.commands.executeCommand('azureml.setDefaultDatastore', fileStore.node), 'workspacefilestore');
      assert.equal((await ws.datastores.getDefault())?.name, 'workspacefilestore');
      const marked = await eventually(async () => {
        const all = await rows(api.views.datastores);
        const file = all.find((r) => r.label === 'workspacefilestore');
        return file && /^default · /.test(String(file.item.description)) ? all : undefined;
      }, 'the default marker on workspacefilestore');
      const blob = marked.find((r) => r.label === 'workspaceblobstore')!;
      assert.doesNotMatch(String(blob.item.description), /default/);
      assert.equal(blob.item.contextValue, 'datastore:AzureBlob', 'the old default can now be unregistered or made default');

      await vscode.commands.executeCommand('azureml.setDefaultDatastore', blob.node);
      assert.equal((await ws.datastores.getDefault())?.name, 'workspaceblobstore');
    });

    it('unregisters a datastore after a modal confirmation that says the data is kept', async () => {
      const target = await row(api.views.datastores, 'ds_azureblob_accountkey');
      const asked: ConfirmOptions[] = [];
      const answer = { confirm: false };
      const prompts = confirmingPrompts(answer, asked);
      api.setPrompts(prompts);
      await vscode.commands.executeCommand('azureml.unregisterDatastore', target.node);
      assert.equal((await ws.datastores.get('ds_azureblob_accountkey')).name, 'ds_azureblob_accountkey', 'a cancel keeps it');

      answer.confirm = true;
      assert.equal(await vscode.commands.executeCommand('azureml.unregisterDatastore', target.node), 'ds_azureblob_accountkey');
      assert.equal(asked.length, 2);
      assert.equal(asked[1]!.message, 'Unregister datastore "ds_azureblob_accountkey"?');
      assert.match(asked[1]!.detail, /is kept: nothing in storage is deleted/);
      assert.equal(asked[1]!.confirm, 'Unregister');
      await assert.rejects(ws.datastores.get('ds_azureblob_accountkey'), /not found/i);
      await eventually(async () => ((await rows(api.views.datastores)).some((r) => r.label === 'ds_azureblob_accountkey') ? undefined : true),
        'the datastore gone from the tree');
      const container = new ContainerClient(`${local.connection.blobEndpoint}/${blobContainer}`,
        new StorageSharedKeyCredential(devStorageAccount.name, key));
      assert.equal(await container.exists(), true, 'the storage is untouched');
      api.setPrompts(undefined);
    });

    it('replaces an expiring SAS token by registering the datastore again, after a modal confirmation; No changes nothing', async () => {
      const oldToken = containerSas(key, blobContainer, hour);
      await ws.datastores.createOrUpdate({
        name: 'expiring_sas', datastoreType: 'AzureBlob', accountName: devStorageAccount.name, containerName: blobContainer,
        endpoint: 'local', protocol: 'http', credentials: { credentialsType: 'Sas', sasToken: oldToken },
      }, { skipValidation: true });
      const storedToken = async (): Promise<string> => {
        const secrets = await ws.datastores.listSecrets('expiring_sas');
        assert.ok(secrets.secretsType === 'Sas', `a SAS expected, got ${secrets.secretsType}`);
        return secrets.sasToken.replace(/^\?/, '');
      };
      assert.equal(await storedToken(), oldToken);

      // The "Register Datastore…" remedy of a refused SAS token opens the form; the user types the same name.
      const asked: ConfirmOptions[] = [];
      const answer = { confirm: false };
      api.setPrompts(confirmingPrompts(answer, asked));
      try {
        const { form, draft: base } = await openDatastoreForm();
        assert.ok((await form.init()).options.existingNames.includes('expiring_sas'));
        const newToken = containerSas(key, blobContainer, 2 * hour);
        const draft = { ...datastoreDraft(base, 'AzureBlob', 'Sas', 'expiring_sas'), sasToken: newToken, description: 'renewed' };

        const refused = await form.send({ type: 'submit', draft });
        assert.deepEqual(only(refused, 'fieldErrors').flatMap((m) => Object.values(m.errors)), [], 'the taken name is no error');
        assert.equal(asked.length, 1, 'the user is asked before the datastore is replaced');
        assert.equal(asked[0]!.message, 'Replace the settings and credentials of datastore "expiring_sas"?');
        assert.equal(asked[0]!.confirm, 'Replace');
        assert.equal(only(refused, 'saved').length, 0);
        assert.equal(refused.at(-1)?.type, 'idle', 'the form stops waiting');
        assert.equal(only(refused, 'status').at(-1)?.message, 'Not registered: datastore "expiring_sas" is unchanged.');
        assert.equal(form.panel.isDisposed, false, 'No keeps the form open with its input');
        assert.equal(await storedToken(), oldToken, 'No changes nothing');

        answer.confirm = true;
        const saved = await form.send({ type: 'submit', draft });
        assert.equal(one(saved, 'saved').message, 'Replaced the settings and credentials of datastore "expiring_sas".');
        assert.equal(asked.length, 2);
        assert.equal(form.panel.isDisposed, true);
        assert.equal(await storedToken(), newToken, 'the new token is the one the workspace hands out');
        assert.equal((await ws.datastores.get('expiring_sas')).description, 'renewed');
      } finally {
        api.setPrompts(undefined);
      }
    });

    it('replaces the default datastore\'s credentials only after the same confirmation, and it stays the default', async () => {
      const asked: ConfirmOptions[] = [];
      const answer = { confirm: false };
      api.setPrompts(confirmingPrompts(answer, asked));
      try {
        const { form, draft: base } = await openDatastoreForm();
        const before = await ws.datastores.get('workspaceblobstore');
        const draft = { ...datastoreDraft(base, 'AzureBlob', 'AccountKey', 'WorkspaceBlobStore'), description: before.description ?? '', tags: [] };

        const refused = await form.send({ type: 'submit', draft });
        assert.deepEqual(only(refused, 'fieldErrors').flatMap((m) => Object.values(m.errors)), [], 'the taken name is no error');
        assert.equal(asked[0]?.message, 'Replace the settings and credentials of datastore "workspaceblobstore"?');
        assert.match(asked[0]!.detail, /default datastore/);
        assert.equal((await ws.datastores.get('workspaceblobstore')).credentialsType, before.credentialsType, 'No changes nothing');

        answer.confirm = true;
        const saved = await form.send({ type: 'submit', draft });
        assert.equal(one(saved, 'saved').message, 'Replaced the settings and credentials of datastore "workspaceblobstore".');
        const after = await ws.datastores.get('workspaceblobstore');
        assert.equal(after.name, 'workspaceblobstore', 'the datastore keeps its name as registered');
        assert.equal(after.containerName, blobContainer);
        assert.equal((await ws.datastores.getDefault())?.name, 'workspaceblobstore', 'it is still the workspace default');
        const reopened = await openDatastoreForm();
        assert.equal((await reopened.form.init()).options.defaultName, 'workspaceblobstore', 'the form knows the default, for its note');
      } finally {
        api.setPrompts(undefined);
      }
    });

    it('keeps a half-filled form of one workspace when the form is opened for another, each titled with its workspace', async () => {
      const { form, draft: base } = await openDatastoreForm();
      const typed = { ...base, name: 'half_filled', accountName: devStorageAccount.name };
      await form.send({ type: 'draftChanged', draft: typed });
      const { client, connection, workspace } = await api.connections.activeWorkspaceClient();

      const other = new RegisterDatastoreForm({
        client, connection, workspace: { ...workspace, workspaceName: 'other-workspace' }, log: quietLog, onRegistered: () => undefined,
      });
      const second = api.forms.show(other, RegisterDatastoreForm.initialDraft(connection));
      assert.notEqual(second, form.panel);
      assert.equal(form.panel.isDisposed, false, 'the first workspace\'s form is still open');
      assert.deepEqual((await form.init()).draft, typed, 'with what the user typed');
      assert.equal(form.panel.panel.title, `Register Datastore: ${workspace.workspaceName}`);
      assert.equal(second.panel.title, 'Register Datastore: other-workspace');

      await vscode.commands.executeCommand('azureml.registerDatastore');
      assert.equal(api.forms.lastPanel, form.panel, 'opening the form for the first workspace again shows that form');
      assert.equal(second.isDisposed, false);
    });

    it('keeps what the user types while the form reloads its lists', async () => {
      const { form, draft: base } = await openDatastoreForm();
      const reloading = form.send({ type: 'ready' });
      const typed = { ...base, name: 'typed_while_loading' };
      await form.send({ type: 'draftChanged', draft: typed });
      const init = one(await reloading, 'init');
      assert.equal(init.draft.name, 'typed_while_loading', 'the reloaded form shows the text typed meanwhile');
    });
  });

  describe('Register Model', () => {
    async function openModelForm(arg?: unknown): Promise<{ form: ModelForm; init: Extract<ModelHostMessage, { type: 'init' }> }> {
      await vscode.commands.executeCommand('azureml.registerModel', arg);
      const form: ModelForm = await FormDriver.open(api, 'azureml.registerModel');
      return { form, init: await form.init() };
    }

    function modelDraft(base: ModelDraft, change: Partial<ModelDraft>): ModelDraft {
      return { ...base, modelType: 'custom_model', description: 'From the forms test', tags: [{ key: 'stage', value: 'test' }], ...change };
    }

    it('registers a datastore path as a new model, and the Models view shows it', async () => {
      const { form, init } = await openModelForm();
      assert.ok(init.options.datastores.some((d) => d.name === 'workspaceblobstore' && d.isDefault));
      assert.ok(init.options.experiments.includes('fraud-detection'));
      assert.equal(init.options.uploadDatastore, 'workspaceblobstore');
      const info = one(await form.send({ type: 'loadModel', name: 'churn-model' }), 'modelInfo');
      assert.deepEqual(info, { type: 'modelInfo', model: { name: 'churn-model', nextVersion: '1' }, exists: false });

      const draft = modelDraft(init.draft, { source: 'datastore', datastoreName: 'workspaceblobstore', datastorePath: 'models/fraud-classifier/1', name: 'churn-model', version: '1' });
      const replies = await form.send({ type: 'submit', draft });
      assert.equal(one(replies, 'saved').message, 'Registered model "churn-model" version 1.');
      const version = await ws.models.getVersion('churn-model', '1');
      assert.equal(version.modelUri, 'azureml://datastores/workspaceblobstore/paths/models/fraud-classifier/1/', 'a folder keeps its slash');
      assert.equal(version.modelType, 'custom_model');
      assert.deepEqual(version.tags, { stage: 'test' });
      const model = await eventually(async () => (await rows(api.views.models)).find((r) => r.label === 'churn-model'), 'churn-model in the tree');
      assert.deepEqual((await rows(api.views.models, model.node)).map((r) => r.label), ['Version 1']);
    });

    it('proposes the next version of an existing model and refuses one that exists', async () => {
      const { form, init } = await openModelForm();
      const info = one(await form.send({ type: 'loadModel', name: 'fraud-classifier' }), 'modelInfo');
      assert.equal(info.exists, true);
      assert.equal(info.model.latestVersion, '3');
      assert.equal(info.model.nextVersion, '4');
      const taken = modelDraft(init.draft, { source: 'datastore', datastoreName: 'workspaceblobstore', datastorePath: 'models/fraud-classifier/1/MLmodel', name: 'fraud-classifier', version: '3' });
      const replies = await form.send({ type: 'submit', draft: taken });
      assert.equal(one(replies, 'fieldErrors').errors.version, 'Version 3 of model "fraud-classifier" already exists. The next free version is 4.');

      const saved = await form.send({ type: 'submit', draft: { ...taken, version: '4', modelType: 'mlflow_model' } });
      assert.equal(one(saved, 'saved').message, 'Registered model "fraud-classifier" version 4.');
      const version = await ws.models.getVersion('fraud-classifier', '4');
      assert.equal(version.modelUri, 'azureml://datastores/workspaceblobstore/paths/models/fraud-classifier/1/MLmodel');
      assert.equal(version.modelType, 'mlflow_model');
    });

    it('says what is wrong with each field', async () => {
      const { form, init } = await openModelForm();
      const valid = modelDraft(init.draft, { source: 'datastore', datastoreName: 'workspaceblobstore', datastorePath: 'models/x', name: 'ok-name', version: '1' });
      const cases: Array<[Partial<ModelDraft>, keyof ModelDraft, RegExp]> = [
        [{ name: '' }, 'name', /^Enter a name/],
        [{ name: '-lead' }, 'name', /Start with a letter or digit/],
        [{ name: 'has.dot' }, 'name', /letters, digits, hyphens \(-\) and underscores/],
        [{ version: '' }, 'version', /Enter a version/],
        [{ version: '1/2' }, 'version', /dots/],
        [{ datastoreName: '' }, 'datastoreName', /Choose the datastore/],
        [{ datastorePath: '/abs' }, 'datastorePath', /leading "\/"/],
        [{ datastorePath: 'a/../b' }, 'datastorePath', /"\." or "\.\." segments/],
        [{ datastorePath: 'no/such/folder' }, 'datastorePath', /Nothing is stored at "no\/such\/folder" in datastore "workspaceblobstore"/],
        [{ datastoreName: 'nosuchstore' }, 'datastoreName', /no datastore "nosuchstore"/],
        [{ source: 'run', experimentName: '' }, 'experimentName', /Choose the experiment/],
        [{ source: 'run', experimentName: 'fraud-detection', jobName: '' }, 'jobName', /Choose the run/],
        [{ source: 'run', experimentName: 'fraud-detection', jobName: 'no-such-run', runPath: 'outputs/x' }, 'jobName', /no run "no-such-run"/],
        [{ source: 'local', localPath: 'relative/path' }, 'localPath', /absolute path/],
        [{ source: 'local', localPath: '/no/such/model.pkl' }, 'localPath', /There is no file or folder at \/no\/such\/model\.pkl/],
        [{ tags: [{ key: 'k', value: '1' }, { key: 'k', value: '2' }] }, 'tags', /appears twice/],
      ];
      for (const [change, field, message] of cases) {
        const replies = await form.send({ type: 'submit', draft: { ...valid, ...change } });
        const errors = one(replies, 'fieldErrors').errors;
        assert.match(errors[field] ?? '', message, `${JSON.stringify(change)} → ${JSON.stringify(errors)}`);
        assert.equal(only(replies, 'saved').length, 0);
      }
    });

    it('registers a run\'s output from the run\'s context menu, keeping the link to the job', async () => {
      const fraud = await row(api.views.experiments, 'fraud-detection');
      const completed = (await rows(api.views.experiments, fraud.node)).find((r) => r.item.contextValue === 'run:completed');
      assert.ok(completed, 'a completed run in the first page');
      const jobName = (completed.node as { job: { name: string } }).job.name;
      const artifacts = new ContainerClient(`${local.connection.blobEndpoint}/azureml`,
        new StorageSharedKeyCredential(devStorageAccount.name, key));
      await artifacts.createIfNotExists();
      for (const [name, text] of [['outputs/model.pkl', 'pickled'], ['outputs/model/conda.yaml', 'name: env'], ['user_logs/std_log.txt', 'log']]) {
        await artifacts.getBlockBlobClient(`ExperimentRun/dcid.${jobName}/${name}`).upload(text, text.length);
      }

      const { form, init } = await openModelForm(completed.node);
      assert.equal(init.draft.source, 'run');
      assert.equal(init.draft.jobName, jobName);
      assert.equal(init.draft.experimentName, 'fraud-detection');
      const runs = one(await form.send({ type: 'loadRuns', experimentName: 'fraud-detection' }), 'runs');
      assert.ok(runs.runs.some((r) => r.name === jobName));
      assert.ok(runs.runs.every((r) => r.status === 'Completed'));
      const outputs = one(await form.send({ type: 'loadRunOutputs', jobName }), 'runOutputs');
      assert.deepEqual(outputs.paths, ['outputs/', 'outputs/model.pkl', 'outputs/model/', 'outputs/model/conda.yaml']);

      const missing = await form.send({ type: 'submit', draft: modelDraft(init.draft, { name: 'from-run', version: '1', runPath: 'outputs/nothing.pkl' }) });
      assert.equal(one(missing, 'fieldErrors').errors.runPath, 'The run has no output "outputs/nothing.pkl".');

      const saved = await form.send({ type: 'submit', draft: modelDraft(init.draft, { name: 'from-run', version: '1', runPath: 'outputs/model/' }) });
      assert.equal(one(saved, 'saved').message, 'Registered model "from-run" version 1.');
      const version = await ws.models.getVersion('from-run', '1');
      assert.equal(version.jobName, jobName);
      assert.equal(version.modelUri, `azureml://jobs/${jobName}/outputs/artifacts/paths/outputs/model/`);
    });

    it('uploads a local folder to the default datastore and registers it, leaving out ignored files', async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'azml-model-'));
      tempDirs.push(dir);
      const folder = path.join(dir, 'sentiment-model');
      mkdirSync(path.join(folder, 'weights'), { recursive: true });
      writeFileSync(path.join(folder, 'MLmodel'), 'flavors: {}\n');
      writeFileSync(path.join(folder, 'weights', 'model.bin'), Buffer.alloc(300_000, 1));
      writeFileSync(path.join(folder, 'notes.tmp'), 'scratch');
      writeFileSync(path.join(folder, '.amlignore'), '*.tmp\n');

      const { form, init } = await openModelForm(vscode.Uri.file(folder));
      assert.equal(init.draft.source, 'local');
      assert.equal(init.draft.localPath, folder);
      const replies = await form.send({ type: 'submit', draft: modelDraft(init.draft, { name: 'sentiment', version: '1', modelType: 'mlflow_model' }) });
      assert.equal(one(replies, 'saved').message, 'Registered model "sentiment" version 1.', JSON.stringify(replies));
      assert.ok(only(replies, 'busy').some((m) => /^Uploading sentiment-model: /.test(m.message)), 'upload progress is shown');

      const version = await ws.models.getVersion('sentiment', '1');
      const match = /^azureml:\/\/datastores\/workspaceblobstore\/paths\/(LocalUpload\/[0-9a-f-]{36}\/sentiment-model)\/$/.exec(version.modelUri ?? '');
      assert.ok(match, version.modelUri);
      const store = new ContainerClient(`${local.connection.blobEndpoint}/${blobContainer}`,
        new StorageSharedKeyCredential(devStorageAccount.name, key));
      const uploaded: string[] = [];
      for await (const blob of store.listBlobsFlat({ prefix: `${match[1]}/` })) uploaded.push(blob.name.slice(match[1]!.length + 1));
      assert.deepEqual(uploaded.sort(), ['.amlignore', 'MLmodel', 'weights/model.bin']);
    });
  });
});
