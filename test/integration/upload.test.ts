import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DatastoreStorage } from '../../src/azure/datastoreStorage';
import type { TransferResult } from '../../src/core/transfer/types';
import type { AzureMlExtensionApi } from '../../src/extension';
import type { OpenDialogOptions, PickItem, PickOptions, Prompts } from '../../src/ui/prompts';
import { awkwardTree, readLocalTree, readRemoteTree, transferHarnessFor, writeTree, type TransferHarness } from '../core/transferSupport';
import { startLocalWorkspace } from '../support/localWorkspace';
import { eventually, extensionApi, row, rows } from './treeAccess';

const MiB = 1024 * 1024;

/** What a scripted user answers, in order; an input without an answer accepts the proposed value. */
interface Script {
  picks?: string[];
  inputs?: Array<string | undefined>;
  folders?: string[];
  files?: string[][];
}

/** Scripted prompts that also record what the user was shown. */
function scripted(script: Script) {
  const shown = { pickLabels: [] as string[][], pickTitles: [] as string[], proposed: [] as Array<string | undefined> };
  const picks = [...(script.picks ?? [])];
  const inputs = [...(script.inputs ?? [])];
  const folders = [...(script.folders ?? [])];
  const files = [...(script.files ?? [])];
  const prompts: Prompts = {
    async pick<T>(items: PickItem<T>[] | Promise<PickItem<T>[]>, options: PickOptions): Promise<T> {
      const list = await items;
      shown.pickLabels.push(list.map((i) => i.label));
      shown.pickTitles.push(options.title);
      const label = picks.shift();
      const found = list.find((i) => i.label === label);
      assert.ok(found, `no "${label}" to pick among ${list.map((i) => i.label).join(', ')} (${options.title})`);
      return found.value;
    },
    pickMany: async () => assert.fail('unexpected multi-pick'),
    async input(options) {
      shown.proposed.push(options.value);
      assert.ok(inputs.length > 0, `unexpected input box: ${options.title}`);
      const answer = inputs.shift();
      const value = answer ?? options.value ?? '';
      assert.equal(options.validateInput?.(value) ?? undefined, undefined, `"${value}" is valid`);
      return value;
    },
    async pickFolder(_options: OpenDialogOptions) {
      const folder = folders.shift();
      assert.ok(folder, 'unexpected folder dialog');
      return folder;
    },
    async pickFiles(_options: OpenDialogOptions) {
      const chosen = files.shift();
      assert.ok(chosen, 'unexpected file dialog');
      return chosen;
    },
  };
  return { prompts, shown };
}

describe('Upload to and download from datastores in a real extension host', function () {
  this.timeout(240_000);
  let h: TransferHarness;
  let api: AzureMlExtensionApi;
  let work: string;
  let blob: DatastoreStorage;
  let share: DatastoreStorage;

  const run = async (script: Script, command: string, ...args: unknown[]) => {
    const { prompts, shown } = scripted(script);
    api.setPrompts(prompts);
    const result = await vscode.commands.executeCommand<TransferResult | undefined>(command, ...args);
    return { result: result!, shown };
  };

  before(async () => {
    h = transferHarnessFor(await startLocalWorkspace());
    await vscode.workspace.getConfiguration('azureml').update('local.dataFolder', h.local.dataDir, vscode.ConfigurationTarget.Global);
    api = await extensionApi();
    await vscode.commands.executeCommand('azureml.useLocalWorkspace');
    work = mkdtempSync(path.join(os.tmpdir(), 'azml-host-upload-'));
    blob = await h.storage('workspaceblobstore');
    share = await h.storage('workspacefilestore');
  });

  after(async () => {
    api?.setPrompts(undefined);
    await h?.dispose();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('Explorer "Upload to Datastore…": awkward names to the blob datastore, every byte identical', async () => {
    const root = path.join(work, 'awkward project');
    writeTree(root, awkwardTree('blob', 3 * MiB + 1));
    const uri = vscode.Uri.file(root);
    const { result, shown } = await run({ picks: ['workspaceblobstore', 'Skip unchanged'], inputs: [undefined] }, 'azureml.uploadToDatastore', uri, [uri]);

    assert.deepEqual(shown.pickLabels[0], ['workspaceblobstore', 'workspaceartifactstore', 'workspacefilestore'], 'the default datastore first');
    assert.deepEqual(shown.pickLabels[1], ['Skip unchanged', 'Skip existing', 'Overwrite'], 'skip unchanged is the default');
    assert.equal(shown.proposed[0], 'awkward project', 'the folder name is proposed');
    assert.equal(result.fatal, undefined);
    assert.deepEqual(result.failed, []);
    const local = readLocalTree(root);
    const remote = await readRemoteTree(blob, 'awkward project');
    const expected = [...local.keys()].filter((n) => !n.endsWith('/')).sort();
    assert.deepEqual([...remote.keys()].sort(), expected);
    for (const name of expected) assert.ok(remote.get(name)!.equals(local.get(name)!), `${name} differs`);

    const again = await run({ picks: ['workspaceblobstore', 'Skip unchanged'], inputs: [undefined] }, 'azureml.uploadToDatastore', uri, [uri]);
    assert.deepEqual([again.result.transferred.files, again.result.skipped.unchanged], [0, expected.length]);
  });

  it('Datastores tree "Upload Folder…" on the file share: awkward names and empty folders arrive identical', async () => {
    const root = path.join(work, 'share tree');
    writeTree(root, awkwardTree('file', 5 * MiB + 3));
    const datastore = await row(api.views.datastores, 'workspacefilestore');
    const { result, shown } = await run({ folders: [root], inputs: ['uploads/share tree'], picks: ['Skip unchanged'] },
      'azureml.uploadFolderToDatastore', datastore.node);
    assert.equal(shown.proposed[0], 'share tree');
    assert.deepEqual(result.failed, []);
    const local = readLocalTree(root);
    const remote = await readRemoteTree(share, 'uploads/share tree');
    assert.deepEqual([...remote.keys()].sort(), [...local.keys()].sort());
    for (const [name, content] of local) assert.ok(remote.get(name)!.equals(content), `${name} differs`);

    // The view shows what arrived, under the folder item the upload went to.
    await vscode.commands.executeCommand('azureml.refreshDatastores');
    const shareNode = await row(api.views.datastores, 'workspacefilestore');
    const uploads = await row(api.views.datastores, 'uploads', shareNode.node);
    assert.ok((await rows(api.views.datastores, uploads.node)).some((r) => r.label === 'share tree'));
  });

  it('"Upload Files…" on a folder item puts the files in it; the target is remembered per local folder', async () => {
    const root = path.join(work, 'loose files');
    writeTree(root, { 'one.txt': '1', 'two.txt': '2' });
    const blobNode = await row(api.views.datastores, 'workspaceblobstore');
    const folder = await row(api.views.datastores, 'awkward project', blobNode.node);
    const files = [path.join(root, 'one.txt'), path.join(root, 'two.txt')];
    const first = await run({ files: [files], inputs: [undefined], picks: ['Overwrite'] }, 'azureml.uploadFilesToDatastore', folder.node);
    assert.equal(first.shown.proposed[0], 'awkward project');
    assert.equal(first.result.transferred.files, 2);
    assert.equal((await readRemoteTree(blob, 'awkward project')).get('one.txt')!.toString(), '1');

    const custom = await run({ picks: ['workspaceblobstore', 'Overwrite'], inputs: ['custom/place'] }, 'azureml.uploadToDatastore', vscode.Uri.file(root));
    assert.equal(custom.shown.proposed[0], 'awkward project', 'where the files of this folder went last time');
    const remembered = await run({ picks: ['workspaceblobstore', 'Skip unchanged'], inputs: [undefined] }, 'azureml.uploadToDatastore', vscode.Uri.file(root));
    assert.equal(remembered.shown.proposed[0], 'custom/place', 'the last target of this folder is proposed');
  });

  it('applies each existing-file policy', async () => {
    const root = path.join(work, 'policies');
    writeTree(root, { 'a.txt': 'aaa', 'b.txt': 'bbb' });
    const uri = vscode.Uri.file(root);
    const upload = (policy: string) => run({ picks: ['workspacefilestore', policy], inputs: [undefined] }, 'azureml.uploadToDatastore', uri);
    assert.equal((await upload('Overwrite')).result.transferred.files, 2);
    writeFileSync(path.join(root, 'a.txt'), 'AAA');
    const skip = (await upload('Skip existing')).result;
    assert.deepEqual([skip.transferred.files, skip.skipped.existing], [0, 2]);
    const unchanged = (await upload('Skip unchanged')).result;
    assert.deepEqual([unchanged.transferred.files, unchanged.skipped.unchanged], [1, 1]);
    assert.equal((await readRemoteTree(share, 'policies')).get('a.txt')!.toString(), 'AAA');
    assert.equal((await upload('Overwrite')).result.transferred.files, 2);
  });

  it('cancel mid-way stops the upload and says what was uploaded; no file is half-written', async () => {
    const root = path.join(work, 'many');
    const files: Record<string, Buffer> = { 'big.bin': randomBytes(48 * MiB) };
    for (let i = 0; i < 1500; i++) files[`small/${i}.bin`] = randomBytes(2048);
    writeTree(root, files);
    const { prompts } = scripted({ picks: ['workspaceblobstore', 'Overwrite'], inputs: [undefined] });
    api.setPrompts(prompts);
    const pending = vscode.commands.executeCommand<TransferResult>('azureml.uploadToDatastore', vscode.Uri.file(root));
    await eventually(async () => {
      let count = 0;
      if (blob.kind === 'blob') for await (const _ of blob.container.listBlobsFlat({ prefix: 'many/' })) count++;
      return count >= 20 ? count : undefined;
    }, 'the first files to arrive', 60_000);
    const canceled = await vscode.commands.executeCommand<number>('azureml.cancelTransfers');
    assert.equal(canceled, 1);
    const result = await pending;
    assert.equal(result.canceled, true);
    assert.ok(result.transferred.files < 1501, `${result.transferred.files} uploaded`);
    const remote = await readRemoteTree(blob, 'many');
    assert.ok(remote.size < 1501);
    for (const [name, content] of remote) assert.ok(content.equals(files[name]!), `${name} is complete`);

    // The canceled upload's journal (names only) stays in the global storage; resuming sends only what is left.
    const journals = path.join(api.extensionContext.globalStorageUri.fsPath, 'transfers');
    const id = readdirSync(journals).find((name) => readFileSync(path.join(journals, name, 'plan.json'), 'utf8').includes(JSON.stringify(root)));
    assert.ok(id, 'the canceled upload kept its journal');
    const plan = readFileSync(path.join(journals, id, 'plan.json'), 'utf8');
    assert.doesNotMatch(plan, /sig=|accountkey|token|secret/i, 'the journal holds no secret');
    const resumed = await vscode.commands.executeCommand<TransferResult>('azureml.resumeTransfer', id);
    assert.deepEqual(resumed.failed, []);
    assert.equal(resumed.skipped.unchanged, result.transferred.files, 'files uploaded before the cancel are not sent again');
    assert.equal(resumed.transferred.files, 1501 - result.transferred.files);
    const complete = await readRemoteTree(blob, 'many');
    assert.equal(complete.size, 1501);
    for (const [name, content] of complete) assert.ok(content.equals(files[name]!), `${name} is complete`);
    assert.ok(!existsSync(path.join(journals, id)), 'the journal is removed once the upload is complete');
  });

  it('a failing credential stops with a message naming the datastore and what is missing', async () => {
    await h.registerDatastore('readonlysas', 'blob', { credentialsType: 'Sas', sasToken: await h.sas('blob', 'rl') });
    await h.registerDatastore('oldkey', 'file', { credentialsType: 'AccountKey', key: randomBytes(64).toString('base64') });
    const root = path.join(work, 'denied');
    writeTree(root, { 'x.txt': 'x' });
    const uri = vscode.Uri.file(root);
    const sas = await run({ picks: ['readonlysas', 'Skip unchanged'], inputs: [undefined] }, 'azureml.uploadToDatastore', uri);
    assert.equal(sas.result.fatal?.message, 'The SAS token of datastore "readonlysas" does not allow write (w) access: update the datastore\'s credentials with a SAS token with write (w) permission.');
    const key = await run({ picks: ['oldkey', 'Overwrite'], inputs: [undefined] }, 'azureml.uploadToDatastore', uri);
    assert.match(key.result.fatal!.message, /^The account key of datastore "oldkey" was rejected/);
  });

  it('"Retry Failed Uploads" uploads again only the files that failed', async () => {
    const root = path.join(work, 'retry');
    writeTree(root, { 'fine.txt': 'fine' });
    symlinkSync(path.join(root, 'later.txt'), path.join(root, 'link.txt'));
    const { result } = await run({ picks: ['workspaceblobstore', 'Skip unchanged'], inputs: [undefined] }, 'azureml.uploadToDatastore', vscode.Uri.file(root));
    assert.deepEqual(result.failed.map((f) => f.path), ['link.txt']);
    writeFileSync(path.join(root, 'later.txt'), 'now it exists');
    const retried = await vscode.commands.executeCommand<TransferResult>('azureml.retryFailedUploads');
    assert.equal(retried.transferred.files, 1);
    assert.deepEqual(retried.failed, []);
    assert.equal((await readRemoteTree(blob, 'retry')).get('link.txt')!.toString(), 'now it exists');
  });

  it('Explorer multi-select: a link inside one picked folder to a sibling not picked is not followed', async () => {
    const parent = path.join(work, 'multi');
    writeTree(parent, { 'a/a.txt': 'a', 'b/b.txt': 'b', 'c/secret.txt': 'not picked' });
    symlinkSync(path.join(parent, 'c'), path.join(parent, 'a', 'to-c'));
    const picked = [vscode.Uri.file(path.join(parent, 'a')), vscode.Uri.file(path.join(parent, 'b'))];
    const { result } = await run({ picks: ['workspaceblobstore', 'Overwrite'], inputs: [undefined] }, 'azureml.uploadToDatastore', picked[0], picked);
    assert.deepEqual([...(await readRemoteTree(blob, 'multi')).keys()].sort(), ['a/a.txt', 'b/b.txt']);
    assert.deepEqual(result.notTransferred.map((n) => n.path), ['a/to-c']);
  });

  it('Download… of a typed folder that does not exist says so and makes no local folder', async () => {
    const into = path.join(work, 'downloads-missing');
    const { result } = await run({ picks: ['workspaceblobstore', 'Overwrite'], inputs: ['no/such/folder'], folders: [into] }, 'azureml.downloadDatastoreFolder');
    assert.equal(result.fatal?.message, 'There is no folder "no/such/folder" in datastore "workspaceblobstore": nothing was downloaded.');
    assert.ok(!existsSync(path.join(into, 'folder')));
  });

  it('"Download…" on a folder item round-trips it into a local folder of the same name', async () => {
    await vscode.commands.executeCommand('azureml.refreshDatastores');
    const shareNode = await row(api.views.datastores, 'workspacefilestore');
    const uploads = await row(api.views.datastores, 'uploads', shareNode.node);
    const folder = await row(api.views.datastores, 'share tree', uploads.node);
    const into = path.join(work, 'downloads');
    const { result } = await run({ folders: [into], picks: ['Skip unchanged'] }, 'azureml.downloadDatastoreFolder', folder.node);
    assert.deepEqual(result.failed, []);
    const source = readLocalTree(path.join(work, 'share tree'));
    const downloaded = readLocalTree(path.join(into, 'share tree'));
    assert.deepEqual([...downloaded.keys()].sort(), [...source.keys()].sort());
    for (const [name, content] of source) assert.ok(downloaded.get(name)!.equals(content), `${name} differs`);
  });

  it('download refuses a hostile remote name and writes nothing outside the chosen folder', async () => {
    if (blob.kind !== 'blob') assert.fail('blob datastore expected');
    await blob.container.getBlockBlobClient('hostile/ok.txt').upload('ok', 2);
    // Azurite keeps backslashes as "/": the blob is named "hostile/../../evil.txt".
    await blob.container.getBlockBlobClient('hostile\\..\\..\\evil.txt').upload('evil', 4);
    await vscode.commands.executeCommand('azureml.refreshDatastores');
    const blobNode = await row(api.views.datastores, 'workspaceblobstore');
    const hostile = await row(api.views.datastores, 'hostile', blobNode.node);
    const into = path.join(work, 'deep', 'down');
    const { result } = await run({ folders: [into], picks: ['Overwrite'] }, 'azureml.downloadDatastoreFolder', hostile.node);
    assert.equal(result.transferred.files, 1);
    assert.deepEqual(result.notTransferred.map((n) => n.path), ['../../evil.txt']);
    assert.ok(existsSync(path.join(into, 'hostile', 'ok.txt')));
    const everything = readdirSync(work, { recursive: true, encoding: 'utf8' });
    assert.ok(!everything.some((n) => n.endsWith('evil.txt')), 'evil.txt was not written anywhere');
  });
});
