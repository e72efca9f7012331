import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ContainerClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { ShareClient, StorageSharedKeyCredential as FileSharedKeyCredential } from '@azure/storage-file-share';
import * as vscode from 'vscode';
import { connectLocalWorkspace } from '../../src/azure/localWorkspace';
import type { CommandContext } from '../../src/commands/commandContext';
import { offerResume } from '../../src/commands/transfer/transferJournals';
import type { TransferResult } from '../../src/core/transfer/types';
import type { AzureMlExtensionApi } from '../../src/extension';
import { devStorageAccount } from '../../src/local/devStorageAccount';
import { writeDiscoveryFile } from '../../src/local/discovery';
import type { Log } from '../../src/ui/log';
import { vscodePrompts, type PickItem, type Prompts } from '../../src/ui/prompts';
import { writeTree } from '../core/transferSupport';
import { startFaultyWorkspace, type FaultyWorkspace } from '../faults/faultyWorkspace';
import { createWorkspace } from '../support/localWorkspace';
import { localStorageKey } from '../support/storageKey';
import { eventually, extensionApi } from './treeAccess';
import { notificationsInCenter } from './workbenchProbe';

const MiB = 1024 * 1024;

/** Answers picks by label and input boxes with what they propose; any other question fails the test. */
function answering(picks: string[]): Prompts {
  const queue = [...picks];
  return {
    async pick<T>(items: PickItem<T>[] | Promise<PickItem<T>[]>): Promise<T> {
      const list = await items;
      const label = queue.shift();
      const found = list.find((i) => i.label === label);
      assert.ok(found, `no "${label}" to pick among ${list.map((i) => i.label).join(', ')}`);
      return found.value;
    },
    pickMany: async () => assert.fail('unexpected multi-pick'),
    input: async (options) => options.value ?? assert.fail(`unexpected input box: ${options.title}`),
  };
}

/** One line of a journal's done.jsonl, as the journal writes it. */
interface JournalLine { p?: string; r?: string; tmp?: string; total?: number }

/**
 * The notification that offers, on start, to resume the newest interrupted transfer: its text, its
 * Resume and Discard buttons. The transfers are interrupted for real: an upload through the
 * extension's own command, canceled once some of its files are confirmed in its journal while the
 * proxy in front of the local workspace holds the requests of the rest unanswered (a slow link).
 * The offer is made as on start (offerResume with the extension's own connections, journal folder
 * and commands), the user's answer given through the Prompts seam.
 */
describe('The offer to resume an interrupted transfer, in a real extension host', function () {
  this.timeout(300_000);
  let w: FaultyWorkspace;
  let api: AzureMlExtensionApi;
  let work: string;
  let dataDir: string;
  let blob: ContainerClient;
  let share: ShareClient;
  /** Storage requests the proxies saw, as `<service> <METHOD> <path>?<query> <range>`. */
  const seen: string[] = [];
  /** Requests the proxies hold unanswered. */
  let stallWhen: ((key: string) => boolean) | undefined;
  const logged: string[] = [];
  const log: Log = { info: (m) => logged.push(m), warn: (m) => logged.push(m), error: (m) => logged.push(m), show: () => undefined };

  const journalsDir = (): string => path.join(api.extensionContext.globalStorageUri.fsPath, 'transfers');
  /** The journal of the upload of this local folder, if there is one. */
  const journalOf = (localRoot: string): string | undefined => (existsSync(journalsDir()) ? readdirSync(journalsDir()) : [])
    .find((id) => (JSON.parse(readFileSync(path.join(journalsDir(), id, 'plan.json'), 'utf8')) as { localRoot: string }).localRoot === localRoot);
  const records = (id: string): JournalLine[] => readFileSync(path.join(journalsDir(), id, 'done.jsonl'), 'utf8').split('\n')
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as JournalLine];
      } catch {
        return [];
      }
    });

  /**
   * Makes the offer as the extension does on start, answering it with `answer`; what it offered
   * (nothing when no transfer is left to resume).
   */
  const offer = async (answer: 'Resume' | 'Discard' | undefined): Promise<string[]> => {
    const offered: string[] = [];
    await offerResume(contextWith({
      ...answering([]),
      offer: async (message, actions) => {
        assert.deepEqual(actions, ['Resume', 'Discard']);
        offered.push(message);
        return answer;
      },
    }));
    return offered;
  };
  const contextWith = (prompts: Prompts): CommandContext => ({
    connections: api.connections, views: api.views, forms: api.forms, log, prompts,
    workspaceState: api.extensionContext.workspaceState,
    journalRoot: api.extensionContext.globalStorageUri.fsPath,
  });

  /** Starts an upload of `root` with the Explorer command and cancels it once `ready` holds of its journal. */
  const interruptedUpload = async (root: string, datastore: string, ready: (records: JournalLine[]) => boolean): Promise<{ id: string; result: TransferResult }> => {
    api.setPrompts(answering([datastore, 'Overwrite']));
    const upload = vscode.commands.executeCommand<TransferResult>('azureml.uploadToDatastore', vscode.Uri.file(root));
    const id = await eventually(async () => {
      const found = journalOf(root);
      return found && ready(records(found)) ? found : undefined;
    }, 'the journal to confirm the files not held', 120_000);
    assert.equal(await vscode.commands.executeCommand<number>('azureml.cancelTransfers'), 1);
    const result = await upload;
    stallWhen = undefined;
    assert.equal(result.canceled, true);
    return { id, result };
  };

  const selectWorkspace = async (name: string): Promise<void> => {
    api.setPrompts(answering([name]));
    assert.equal(await vscode.commands.executeCommand('azureml.selectWorkspace'), name);
  };

  const blobEtags = async (prefix: string): Promise<Map<string, string>> => {
    const etags = new Map<string, string>();
    for await (const item of blob.listBlobsFlat({ prefix })) etags.set(item.name.slice(prefix.length), item.properties.etag!);
    return etags;
  };

  const shareFiles = async (folder: string): Promise<Map<string, { etag: string; content: Buffer }>> => {
    const files = new Map<string, { etag: string; content: Buffer }>();
    const dir = share.getDirectoryClient(folder);
    for await (const item of dir.listFilesAndDirectories()) {
      if (item.kind !== 'file') continue;
      const file = dir.getFileClient(item.name);
      const properties = await file.getProperties();
      files.set(item.name, { etag: properties.etag!, content: await file.downloadToBuffer() });
    }
    return files;
  };

  before(async () => {
    w = await startFaultyWorkspace({ seed: 21, rate: 0 });
    const decide = w.schedule.decide.bind(w.schedule);
    w.schedule.decide = (key, allowed) => {
      seen.push(key);
      if (stallWhen?.(key) && allowed.includes('stall')) return 'stall';
      return decide(key, allowed);
    };
    // A data folder whose discovery file sends the extension through the proxies.
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'azml-resume-offer-data-'));
    await writeDiscoveryFile(dataDir, w.connection);
    await vscode.workspace.getConfiguration('azureml').update('local.dataFolder', dataDir, vscode.ConfigurationTarget.Global);
    api = await extensionApi();
    assert.equal(await vscode.commands.executeCommand('azureml.useLocalWorkspace'), 'local');
    work = mkdtempSync(path.join(os.tmpdir(), 'azml-resume-offer-'));
    const { workspaceClient } = connectLocalWorkspace(w.direct);
    const container = (await workspaceClient.datastores.get('workspaceblobstore')).containerName!;
    blob = new ContainerClient(`${w.direct.blobEndpoint}/${container}`, new StorageSharedKeyCredential(devStorageAccount.name, localStorageKey(w.local.dataDir)));
    const shareName = (await workspaceClient.datastores.get('workspacefilestore')).fileShareName!;
    share = new ShareClient(`${w.direct.fileEndpoint}/${shareName}`, new FileSharedKeyCredential(devStorageAccount.name, localStorageKey(w.local.dataDir)));
    await vscode.commands.executeCommand('notifications.showList');
  });

  after(async () => {
    stallWhen = undefined;
    api?.setPrompts(undefined);
    await w?.dispose();
    for (const dir of [work, dataDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('names the interrupted upload and the files left; Resume sends only those, and every byte arrives', async () => {
    const root = path.join(work, 'offer-blob');
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 30; i++) files[`done-${String(i).padStart(2, '0')}.bin`] = randomBytes(4096);
    files['held-0.bin'] = randomBytes(4096);
    files['held-1.bin'] = randomBytes(4096);
    writeTree(root, files);
    const isHeldPut = (key: string): boolean => /^blob PUT [^?]*\/offer-blob\/held-\d\.bin/.test(key);
    stallWhen = isHeldPut;
    const { id, result } = await interruptedUpload(root, 'workspaceblobstore', (r) => r.filter((x) => x.p?.startsWith('done-')).length === 30);
    assert.equal(result.transferred.files, 30);
    const before = await blobEtags('offer-blob/');
    assert.deepEqual([...before.keys()].sort(), Object.keys(files).filter((n) => n.startsWith('done-')).sort(), 'the held files did not arrive');

    // The notification itself, with its two buttons; closing it leaves the transfer to resume later.
    const closed = offerResume(contextWith(vscodePrompts));
    await eventually(async () => {
      await vscode.commands.executeCommand('notifications.showList');
      // An item's text lists its source, its buttons and its message, one a line.
      const lines = (await notificationsInCenter()).map((text) => text.split('\n'))
        .find((item) => item.includes('Resume upload of offer-blob: 2 of 32 files left'));
      return lines?.includes('Resume') && lines.includes('Discard') ? lines : undefined;
    }, 'the offer in the notification center');
    await vscode.commands.executeCommand('notifications.clearAll');
    await closed;
    assert.ok(existsSync(path.join(journalsDir(), id)), 'closing the notification keeps the journal');

    const sentFrom = seen.length;
    assert.deepEqual(await offer('Resume'), ['Resume upload of offer-blob: 2 of 32 files left']);

    const putsSince = seen.slice(sentFrom).filter((key) => /^blob PUT [^?]*\/offer-blob\//.test(key))
      .map((key) => /\/offer-blob\/([^?\s]+)/.exec(key)![1]).sort();
    assert.deepEqual(putsSince, ['held-0.bin', 'held-1.bin'], 'the files confirmed before the cancel were not sent again');
    const after = await blobEtags('offer-blob/');
    assert.deepEqual([...after.keys()].sort(), Object.keys(files).sort());
    for (const [name, etag] of before) assert.equal(after.get(name), etag, `${name} was not written again`);
    for (const [name, content] of Object.entries(files)) {
      assert.ok((await blob.getBlobClient(`offer-blob/${name}`).downloadToBuffer()).equals(content), `${name} differs`);
    }
    assert.ok(!existsSync(path.join(journalsDir(), id)), 'the journal is removed once the upload is complete');
    assert.deepEqual(await offer(undefined), [], 'nothing is offered on the next start');
  });

  it('offers no upload that is running, and Resume Transfer on one says that it runs instead of running it twice', async () => {
    const root = path.join(work, 'offer-running');
    writeTree(root, { 'a.bin': randomBytes(1024), 'b.bin': randomBytes(1024) });
    const isPut = (key: string): boolean => /^blob PUT [^?]*\/offer-running\//.test(key);
    stallWhen = isPut;
    api.setPrompts(answering(['workspaceblobstore', 'Overwrite']));
    const upload = vscode.commands.executeCommand<TransferResult>('azureml.uploadToDatastore', vscode.Uri.file(root));
    const id = await eventually(async () => {
      const found = (() => {
        try {
          return journalOf(root);
        } catch {
          return undefined; // its plan is being written
        }
      })();
      return found && seen.some(isPut) ? found : undefined;
    }, 'the upload to start', 60_000);

    assert.deepEqual(await offer(undefined), [], 'a running upload is not offered');
    await vscode.commands.executeCommand('azureml.resumeTransfer', id);
    await eventually(async () => {
      await vscode.commands.executeCommand('notifications.showList');
      return (await notificationsInCenter()).find((text) => text.includes(`Transfer ${id} is running now (process ${process.pid}): let it finish, or cancel it where it runs.`));
    }, 'the message that it runs');
    await vscode.commands.executeCommand('notifications.clearAll');
    assert.equal(await vscode.commands.executeCommand<number>('azureml.cancelTransfers'), 1);
    assert.equal((await upload).canceled, true);
    stallWhen = undefined;
    assert.deepEqual(await offer('Discard'), ['Resume upload of offer-running: 2 of 2 files left'], 'canceled, it is offered');
    assert.ok(!existsSync(path.join(journalsDir(), id)));
  });

  describe('Discard of a file share upload that left a temporary file', () => {
    const size = 16 * MiB;
    let root: string;
    let id: string;
    let uploaded: Map<string, { etag: string; content: Buffer }>;

    before(async () => {
      root = path.join(work, 'offer-share');
      const files: Record<string, Buffer> = { 'big.bin': randomBytes(size) };
      for (let i = 0; i < 10; i++) files[`small-${i}.txt`] = randomBytes(1024);
      writeTree(root, files);
      // The second half of big.bin never arrives: its temporary file stays in the share, partly written.
      stallWhen = (key) => /^file PUT [^?]*\/offer-share\/\.azml-upload-[0-9a-f]{24}\?.*comp=range/.test(key)
        && Number(/bytes=(\d+)-/.exec(key)?.[1] ?? 0) >= size / 2;
      const interrupted = await interruptedUpload(root, 'workspacefilestore',
        (r) => r.some((x) => x.tmp) && r.some((x) => x.r === 'big.bin') && r.filter((x) => x.p?.startsWith('small-')).length === 10);
      id = interrupted.id;
      assert.equal(interrupted.result.transferred.files, 10);
      uploaded = await shareFiles('offer-share');
      const names = [...uploaded.keys()];
      assert.equal(names.filter((n) => n.startsWith('.azml-upload-')).length, 1, `the canceled upload left its temporary file: ${names.join(', ')}`);
      assert.equal(names.filter((n) => n.startsWith('small-')).length, 10);
    });

    it('while another workspace is active, keeps the journal and the temporary file and says which workspace to select', async () => {
      await createWorkspace(w.local, 'other-ws');
      await selectWorkspace('other-ws');
      assert.deepEqual(await offer('Discard'), ['Resume upload of offer-share: 1 of 11 files left']);

      const warning = `This upload left temporary files in datastore workspacefilestore of workspace ${w.direct.workspace}: select that workspace, then discard it when it is offered again.`;
      await eventually(async () => {
        await vscode.commands.executeCommand('notifications.showList');
        return (await notificationsInCenter()).some((text) => text.includes(warning)) ? true : undefined;
      }, `the notification "${warning}"`);
      assert.ok(existsSync(path.join(journalsDir(), id)), 'the journal stays');
      assert.deepEqual([...(await shareFiles('offer-share')).keys()].sort(), [...uploaded.keys()].sort(), 'the temporary file stays');
      assert.deepEqual(await offer(undefined), ['Resume upload of offer-share: 1 of 11 files left'], 'it is offered again');
    });

    it('in its own workspace, removes the temporary file and the journal and leaves the uploaded files alone', async () => {
      await selectWorkspace(w.direct.workspace);
      assert.deepEqual(await offer('Discard'), ['Resume upload of offer-share: 1 of 11 files left']);

      const left = await shareFiles('offer-share');
      assert.deepEqual([...left.keys()].sort(), [...uploaded.keys()].filter((n) => n.startsWith('small-')).sort(), 'the temporary file is gone');
      for (const [name, file] of left) {
        assert.equal(file.etag, uploaded.get(name)!.etag, `${name} was not touched`);
        assert.ok(file.content.equals(readFileSync(path.join(root, name))), `${name} is intact`);
      }
      assert.ok(!existsSync(path.join(journalsDir(), id)), 'the journal is gone');
      assert.deepEqual(await offer(undefined), [], 'it is not offered again');
    });
  });
});
