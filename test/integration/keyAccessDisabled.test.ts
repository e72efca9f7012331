/**
 * The extension against storage with key access disabled, end to end in a real extension host:
 * the extension starts the local workspace itself with azureml.local.storageKeyAccess off, so its
 * storage answers account keys and SAS tokens with 403 KeyBasedAuthenticationNotPermitted (as an
 * enterprise storage account does) while the workspace still hands out keys and SAS URLs.
 * Browse, upload, download, submit (snapshot upload) and the run's log all go as the identity.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SubmitResult } from '../../src/commands/runs/submitCurrentFile';
import type { TransferResult } from '../../src/core/transfer/types';
import type { AzureMlExtensionApi } from '../../src/extension';
import { devStorageAccount } from '../../src/local/devStorageAccount';
import { readDiscoveryFile, type LocalWorkspaceConnection } from '../../src/local/discovery';
import type { PickItem, PickOptions, Prompts } from '../../src/ui/prompts';
import { localStorageKey } from '../support/storageKey';
import { filesUnder } from './logFiles';
import { eventually, extensionApi, row, rows } from './treeAccess';

function scripted(answers: { picks?: string[]; inputs?: Record<string, string>; folder?: string }): Prompts {
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
  };
}

describe('storage with key access disabled, in a real extension host', function () {
  this.timeout(240_000);
  let api: AzureMlExtensionApi;
  let scratch: string;
  let dataDir: string;
  let service: LocalWorkspaceConnection;

  before(async () => {
    scratch = mkdtempSync(path.join(os.tmpdir(), 'azml-keyless-host-'));
    dataDir = path.join(scratch, 'local-data');
    const settings = vscode.workspace.getConfiguration('azureml');
    await settings.update('local.dataFolder', dataDir, vscode.ConfigurationTarget.Global);
    await settings.update('local.storageKeyAccess', false, vscode.ConfigurationTarget.Global);
    api = await extensionApi();
    assert.equal(await vscode.commands.executeCommand('azureml.useLocalWorkspace'), 'local');
    service = await readDiscoveryFile(dataDir);
  });

  after(async () => {
    api?.setPrompts(undefined);
    if (api?.connections.kind === 'local') await vscode.commands.executeCommand('azureml.stopLocalWorkspace');
    await vscode.workspace.getConfiguration('azureml').update('local.storageKeyAccess', undefined, vscode.ConfigurationTarget.Global);
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('the workspace the extension started refuses the account key, as such an account does', async () => {
    const response = await fetch(`${service.blobEndpoint}?comp=list`, {
      headers: { authorization: `SharedKey ${devStorageAccount.name}:AAAA`, 'x-ms-version': '2021-12-02' },
    });
    assert.equal(response.status, 403);
    assert.equal(response.headers.get('x-ms-error-code'), 'KeyBasedAuthenticationNotPermitted');
  });

  it('browses, uploads a folder, downloads it, submits a run and reads its log; no key or token is shown anywhere', async () => {
    // Browse: the seeded datastores list their folders.
    const blobNode = await eventually(async () => (await rows(api.views.datastores)).find((r) => r.label === 'workspaceblobstore'), 'the blob datastore');
    assert.ok((await rows(api.views.datastores, blobNode.node)).some((r) => r.label === 'datasets'), 'the blob datastore lists its folders');
    const shareNode = await row(api.views.datastores, 'workspacefilestore');
    assert.ok((await rows(api.views.datastores, shareNode.node)).some((r) => r.label === 'notebooks'), 'the file share lists its folders');

    // Upload a folder to each.
    const project = path.join(scratch, 'keyless project');
    mkdirSync(path.join(project, 'data'), { recursive: true });
    writeFileSync(path.join(project, 'data', 'rows.csv'), 'a,b\n1,2\n');
    writeFileSync(path.join(project, 'train.py'), 'print("trained without keys", flush=True)\n');
    const uri = vscode.Uri.file(project);
    for (const datastore of ['workspaceblobstore', 'workspacefilestore']) {
      api.setPrompts(scripted({ picks: [datastore, 'Overwrite'] }));
      const uploaded = await vscode.commands.executeCommand<TransferResult>('azureml.uploadToDatastore', uri, [uri]);
      assert.equal(uploaded.fatal, undefined, `${datastore}: ${uploaded.fatal?.message}`);
      assert.deepEqual(uploaded.failed, []);
      assert.equal(uploaded.transferred.files, 2);
    }

    // Download it back from the tree.
    await vscode.commands.executeCommand('azureml.refreshDatastores');
    const refreshed = await row(api.views.datastores, 'workspaceblobstore');
    const folder = await row(api.views.datastores, 'keyless project', refreshed.node);
    const into = path.join(scratch, 'downloads');
    api.setPrompts(scripted({ folder: into, picks: ['Overwrite'] }));
    const downloaded = await vscode.commands.executeCommand<TransferResult>('azureml.downloadDatastoreFolder', folder.node);
    assert.equal(downloaded.fatal, undefined, downloaded.fatal?.message);
    assert.deepEqual(downloaded.failed, []);
    assert.equal(readFileSync(path.join(into, 'keyless project', 'data', 'rows.csv'), 'utf8'), 'a,b\n1,2\n');

    // Submit the script: its snapshot goes up through the upload SAS the storage refuses; its log comes through refused SAS links.
    writeFileSync(path.join(project, '.amlignore'), 'data/\n');
    await vscode.window.showTextDocument(vscode.Uri.file(path.join(project, 'train.py')));
    api.setPrompts(scripted({ inputs: { ': Experiment': 'keyless-exp' } }));
    const submitted = await vscode.commands.executeCommand<SubmitResult>('azureml.submitCurrentFile');
    assert.equal(submitted.snapshot?.reused, false);
    const watch = api.runs.watchers.get(submitted.jobName)!;
    assert.equal((await watch.done)?.status, 'Completed', watch.log.text);
    assert.match(watch.log.text, /^trained without keys$/m);
    assert.doesNotMatch(watch.log.text, /Warning: .*(log|storage)/i);

    // Nothing shows the account key or the workspace's token.
    const context = api.extensionContext;
    const places: Array<[string, string]> = await eventually(async () => {
      const logs = filesUnder(context.logUri.fsPath);
      return logs.some(([, text]) => text.includes(submitted.jobName)) ? logs : undefined;
    }, 'the Azure ML log file, up to the submitted run');
    places.push([`run log ${submitted.jobName}`, watch.log.text]);
    places.push(['azureml settings', JSON.stringify(vscode.workspace.getConfiguration('azureml'))]);
    const leaks: string[] = [];
    for (const [what, value] of [['account key', localStorageKey(dataDir)], ['bearer token', service.token]]) {
      for (const [where, text] of places) if (text.includes(value!) || text.includes(encodeURIComponent(value!))) leaks.push(`${what} in ${where}`);
    }
    assert.deepEqual(leaks, []);
  });
});
