/**
 * Deleting, downloading and sharing from the trees, in a real extension host against the local
 * workspace: a refused confirmation deletes nothing; an accepted one removes exactly what it
 * listed and the tree follows; Download Model writes the files and model.json; Copy SAS URL puts
 * a link on the clipboard that reads the file.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { connectLocalWorkspace } from '../../src/azure/localWorkspace';
import { devStorageAccount } from '../../src/local/devStorageAccount';
import type { WorkspaceClient } from '../../src/azure/workspaceClient';
import { collectPages } from '../../src/core/pages';
import { openDatastoreForTransfer } from '../../src/core/transfer/openDatastore';
import type { AzureMlExtensionApi } from '../../src/extension';
import { UserCancelledError, type ConfirmOptions, type PickItem, type Prompts } from '../../src/ui/prompts';
import { startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';
import { localStorageKey } from '../support/storageKey';
import { eventually, extensionApi, row, rows, type Row } from './treeAccess';

interface Answers { picks: string[]; inputs: string[]; folders: string[]; confirm: boolean }

function scripted(answers: Answers, asked: ConfirmOptions[]): Prompts {
  return {
    async pick<T>(items: PickItem<T>[] | Promise<PickItem<T>[]>): Promise<T> {
      const list = await items;
      const label = answers.picks.shift();
      const found = list.find((i) => i.label === label);
      assert.ok(found, `no "${label}" among ${list.map((i) => i.label).join(', ')}`);
      return found.value;
    },
    pickMany: async () => assert.fail('unexpected multi-pick'),
    async input(options) {
      const value = answers.inputs.shift();
      assert.ok(value !== undefined, `unexpected input box: ${options.title}`);
      return value;
    },
    async pickFolder() {
      const folder = answers.folders.shift();
      assert.ok(folder, 'unexpected folder dialog');
      return folder;
    },
    async confirm(options) {
      asked.push(options);
      if (!answers.confirm) throw new UserCancelledError();
    },
  };
}

describe('Model and run deletion, Download Model and Copy SAS URL in a real extension host', function () {
  this.timeout(240_000);
  let local: StartedLocalWorkspace;
  let api: AzureMlExtensionApi;
  let client: WorkspaceClient;
  let work: string;
  let asked: ConfirmOptions[];

  const run = async (answers: Partial<Answers>, command: string, ...args: unknown[]): Promise<unknown> => {
    asked = [];
    api.setPrompts(scripted({ picks: [], inputs: [], folders: [], confirm: false, ...answers }, asked));
    return vscode.commands.executeCommand(command, ...args);
  };
  const versionRows = async (model: string) => rows(api.views.models, (await row(api.views.models, model)).node);

  before(async () => {
    local = await startLocalWorkspace();
    await vscode.workspace.getConfiguration('azureml').update('local.dataFolder', local.dataDir, vscode.ConfigurationTarget.Global);
    api = await extensionApi();
    await vscode.commands.executeCommand('azureml.useLocalWorkspace');
    client = connectLocalWorkspace(local.connection).workspaceClient;
    work = mkdtempSync(path.join(os.tmpdir(), 'azml-host-model-ops-'));
    const storage = await openDatastoreForTransfer(client, await client.datastores.get('workspaceblobstore'), undefined);
    if (storage.kind !== 'blob') throw new Error('blob expected');
    await storage.container.createIfNotExists();
    for (const [name, text] of [['models/churn/v1/model.pkl', 'one'], ['models/churn/v2/model.pkl', 'two'], ['models/churn/v2/conf/params.yaml', 'depth: 3\n']]) {
      await storage.container.getBlockBlobClient(name!).upload(text!, Buffer.byteLength(text!));
    }
    await client.models.createOrUpdate('churn', {});
    await client.models.createOrUpdateVersion('churn', '1', { modelUri: 'azureml://datastores/workspaceblobstore/paths/models/churn/v1/' });
    await client.models.createOrUpdateVersion('churn', '2', { modelUri: 'azureml://datastores/workspaceblobstore/paths/models/churn/v2/', description: 'second' });
    await vscode.commands.executeCommand('azureml.refreshModels');
  });
  after(async () => {
    api?.setPrompts(undefined);
    await local?.dispose();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('Delete Model Version: refused → nothing deleted; accepted → gone from the tree, its files kept, as the modal said', async () => {
    const v1 = (await versionRows('churn')).find((r) => r.label === 'Version 1')!;
    await run({ picks: ['Keep the files in storage'], confirm: false }, 'azureml.deleteModelVersion', v1.node);
    assert.equal(asked.length, 1);
    assert.equal(asked[0]!.message, 'Delete model churn version 1 from workspace local?');
    assert.match(asked[0]!.detail, /Removed:\n {2}- model churn version 1\nKept:\n {2}- The files of version 1 stay in storage/);
    assert.equal((await client.models.getVersion('churn', '1')).version, '1', 'a refusal deletes nothing');

    await run({ picks: ['Keep the files in storage'], confirm: true }, 'azureml.deleteModelVersion', v1.node);
    await assert.rejects(client.models.getVersion('churn', '1'));
    await eventually(async () => ((await versionRows('churn')).map((r) => r.label).join() === 'Version 2' ? true : undefined), 'version 1 gone from the tree');
    const storage = await openDatastoreForTransfer(client, await client.datastores.get('workspaceblobstore'), undefined);
    assert.ok(storage.kind === 'blob' && await storage.container.getBlobClient('models/churn/v1/model.pkl').exists(), 'the files stay');
  });

  it('Download Model… writes the version\'s files into <model>-<version> with model.json beside them', async () => {
    const v2 = (await versionRows('churn')).find((r) => r.label === 'Version 2')!;
    await run({ folders: [work], picks: ['Skip unchanged'] }, 'azureml.downloadModel', v2.node);
    const folder = path.join(work, 'churn-2');
    assert.deepEqual(readdirSync(folder).sort(), ['conf', 'model.json', 'model.pkl']);
    assert.equal(readFileSync(path.join(folder, 'model.pkl'), 'utf8'), 'two');
    const metadata = JSON.parse(readFileSync(path.join(folder, 'model.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual([metadata['name'], metadata['version'], metadata['description']], ['churn', '2', 'second']);
  });

  it('Back Up Model to Storage… copies the version into the chosen blob datastore on the service side, with model.json', async () => {
    const v2 = (await versionRows('churn')).find((r) => r.label === 'Version 2')!;
    const result = await run({ picks: ['workspaceartifactstore'], inputs: ['host-backups'] }, 'azureml.backupModel', v2.node) as { copiedServerSide: number; streamed: number; failed: unknown[] };
    assert.deepEqual([result.copiedServerSide, result.streamed, result.failed], [2, 0, []]);
    const artifacts = await openDatastoreForTransfer(client, await client.datastores.get('workspaceartifactstore'), undefined);
    assert.ok(artifacts.kind === 'blob');
    assert.equal((await artifacts.container.getBlobClient('host-backups/churn/2/model.pkl').downloadToBuffer()).toString(), 'two');
    assert.match((await artifacts.container.getBlobClient('host-backups/churn/2/model.json').downloadToBuffer()).toString(), /"name": "churn"/);
    const again = await run({ picks: ['workspaceartifactstore'], inputs: ['host-backups'] }, 'azureml.backupModel', v2.node) as { copiedServerSide: number; skipped: number };
    assert.deepEqual([again.copiedServerSide, again.skipped], [0, 2], 'a re-run skips what is there');
  });

  it('Copy SAS URL… on a datastore file puts a read-only link on the clipboard that reads that file', async () => {
    const datastore = await row(api.views.datastores, 'workspaceblobstore');
    const models = await row(api.views.datastores, 'models', datastore.node);
    const churn = await row(api.views.datastores, 'churn', models.node);
    const v2 = await row(api.views.datastores, 'v2', churn.node);
    const file = await row(api.views.datastores, 'model.pkl', v2.node);
    await vscode.env.clipboard.writeText('');
    await run({ picks: ['1 hour'] }, 'azureml.copySasUrl', file.node);
    const url = await vscode.env.clipboard.readText();
    assert.match(url, /model\.pkl\?.*sp=r/);
    assert.equal(await (await fetch(url)).text(), 'two');
    assert.equal((await fetch(url.replace('model.pkl', 'conf/params.yaml'))).status, 403, 'no other file');

    // A folder: a blob SAS cannot be scoped to it; the container SAS is offered, and refusing copies nothing.
    await vscode.env.clipboard.writeText('');
    await run({ confirm: false }, 'azureml.copySasUrl', v2.node);
    assert.match(asked[0]!.message, /A blob SAS cannot be scoped to the folder "models\/churn\/v2"/);
    assert.equal(await vscode.env.clipboard.readText(), '');
  });

  it('Copy SAS URL… on a folder: ADLS Gen2 offers a directory SAS of it; a blob container and a file share only the container\'s', async () => {
    const blob = await openDatastoreForTransfer(client, await client.datastores.get('workspaceblobstore'), undefined);
    assert.ok(blob.kind === 'blob');
    await client.datastores.createOrUpdate({
      name: 'lake', datastoreType: 'AzureDataLakeGen2', accountName: devStorageAccount.name, filesystem: blob.container.containerName,
      endpoint: 'local', protocol: 'http', credentials: { credentialsType: 'AccountKey', key: localStorageKey(local.dataDir) },
    });
    const share = await openDatastoreForTransfer(client, await client.datastores.get('workspacefilestore'), undefined);
    assert.ok(share.kind === 'file');
    await share.share.createIfNotExists();
    await share.share.getDirectoryClient('shared').createIfNotExists();
    await vscode.commands.executeCommand('azureml.refreshDatastores');
    const folderIn = async (datastore: string, ...names: string[]): Promise<Row> => {
      let current = await eventually(async () => (await rows(api.views.datastores)).find((r) => r.label === datastore), `datastore ${datastore}`);
      for (const name of names) current = await row(api.views.datastores, name, current.node);
      return current;
    };

    const lakeFolder = await folderIn('lake', 'models', 'churn', 'v2');
    await vscode.env.clipboard.writeText('');
    const before = Date.now();
    await run({ picks: ['Only the folder models/churn/v2', '1 hour'] }, 'azureml.copySasUrl', lakeFolder.node);
    assert.equal(asked.length, 0, 'no container SAS offered instead');
    const url = new URL(await vscode.env.clipboard.readText());
    assert.equal(`${url.origin}${url.pathname}`, `${local.connection.blobEndpoint}/${blob.container.containerName}/models/churn/v2`);
    const q = url.searchParams;
    assert.deepEqual([q.get('sr'), q.get('sdd'), q.get('sp')], ['d', '3', 'rl']);
    const expiresOn = Date.parse(q.get('se')!);
    assert.ok(expiresOn > before + 3_600_000 - 120_000 && expiresOn <= Date.now() + 3_600_000, `se=${q.get('se')} is an hour from now`);
    assert.ok(q.get('sv') && q.get('sig'));
    const logged = readdirSync(api.extensionContext.logUri.fsPath, { recursive: true, encoding: 'utf8' })
      .map((f) => path.join(api.extensionContext.logUri.fsPath, f)).filter((f) => f.endsWith('.log')).map((f) => readFileSync(f, 'utf8')).join('\n');
    assert.ok(!logged.includes(q.get('sig')!) && !logged.includes(localStorageKey(local.dataDir)), 'neither the signature nor the key is logged');

    await run({ picks: ['The whole file system of datastore lake', '1 hour'] }, 'azureml.copySasUrl', lakeFolder.node);
    assert.equal(new URL(await vscode.env.clipboard.readText()).searchParams.get('sr'), 'c');

    for (const [datastore, names, folder] of [['workspaceblobstore', ['models', 'churn', 'v2'], 'models/churn/v2'], ['workspacefilestore', ['shared'], 'shared']] as const) {
      const node = await folderIn(datastore, ...names);
      await vscode.env.clipboard.writeText('');
      await run({ confirm: false }, 'azureml.copySasUrl', node.node);
      assert.equal(asked[0]?.message, `A blob SAS cannot be scoped to the folder "${folder}".`, datastore);
      assert.equal(asked[0]?.confirm, 'Copy Container SAS URL');
      assert.equal(await vscode.env.clipboard.readText(), '', 'refusing copies nothing');
    }
  });

  it('Delete Workspace…: a wrong name deletes nothing; the right one deletes the local workspace\'s data', async () => {
    const findWorkspace = async (node?: unknown): Promise<Row | undefined> => {
      for (const r of await rows(api.views.workspaces, node)) {
        if (String(r.item.contextValue).startsWith('workspace')) return r;
        if (r.item.collapsibleState !== vscode.TreeItemCollapsibleState.None) {
          const found = await findWorkspace(r.node);
          if (found) return found;
        }
      }
      return undefined;
    };
    const workspace = await findWorkspace();
    assert.ok(workspace, 'the local workspace in the tree');
    assert.equal(workspace.item.contextValue, 'workspace:active');
    // An export that cannot be written stops the deletion, however the rest is answered.
    const notEmpty = path.join(work, 'holds-notes');
    mkdirSync(notEmpty);
    writeFileSync(path.join(notEmpty, 'notes.txt'), 'mine');
    await run({ confirm: true, picks: ['Export the workspace\'s data first', 'Artifact names and sizes'], folders: [notEmpty], inputs: ['local'] },
      'azureml.deleteWorkspace', workspace.node);
    assert.equal(asked.length, 0, 'no deletion was asked after the export failed');
    assert.equal((await client.models.get('churn')).name, 'churn', 'a failed export deletes nothing');
    assert.equal(readFileSync(path.join(notEmpty, 'notes.txt'), 'utf8'), 'mine');

    const exported = path.join(work, 'before-deletion');
    mkdirSync(exported);
    await run({ confirm: true, picks: ['Export the workspace\'s data first', 'Artifact names and sizes'], folders: [exported], inputs: ['locl'] },
      'azureml.deleteWorkspace', workspace.node);
    assert.ok(existsSync(path.join(exported, 'index.json')), 'the export offered first was written before the deletion was asked');
    assert.equal((await client.models.get('churn')).name, 'churn', 'a wrong name deletes nothing');
    assert.equal(asked[0]!.message, 'Delete workspace local?');
    assert.match(asked[0]!.detail, /Files in its blob containers and file share stay/);

    await run({ confirm: true, picks: ['Go on without exporting'], inputs: ['local'] }, 'azureml.deleteWorkspace', workspace.node);
    assert.deepEqual(await collectPages((t) => client.models.list(t ? { continuationToken: t } : {})), []);
    await eventually(async () => ((await rows(api.views.models)).some((r) => r.label === 'churn') ? undefined : true), 'the model gone from the tree');
  });
});
