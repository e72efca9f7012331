import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { discardTransfer, pendingTransfers, resumeSentence, shareTemporariesOf, TransferJournal, transferRunningIn } from '../../src/core/transfer/journal';
import { downloadFromDatastore } from '../../src/core/transfer/downloadFolder';
import { removeTemporariesLeft } from '../../src/core/transfer/shareStore';
import { uploadToDatastore } from '../../src/core/transfer/uploadFolder';
import { readLocalTree, readRemoteTree, startTransferHarness, writeTree, type TransferHarness } from './transferSupport';

describe('transfer journal: an interrupted upload resumes against the local workspace', function () {
  this.timeout(120_000);
  let h: TransferHarness;
  let work: string;

  before(async () => {
    h = await startTransferHarness();
    work = mkdtempSync(path.join(os.tmpdir(), 'azml-journal-'));
  });
  after(async () => {
    await h?.dispose();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('files changed since they were journaled are sent again; a torn last record is ignored; the journal says what is left', async () => {
    const root = path.join(work, 'data');
    const files: Record<string, string> = {};
    for (let i = 0; i < 60; i++) files[`f${String(i).padStart(2, '0')}.txt`] = `file ${i}\n`;
    writeTree(root, files);
    const journalRoot = path.join(work, 'journals');
    const storage = await h.storage('workspaceblobstore');
    const plan = { direction: 'upload' as const, workspace: 'local', datastore: 'workspaceblobstore', remotePath: 'journaled', localRoot: root, policy: 'overwrite' as const };

    const controller = new AbortController();
    const first = await uploadToDatastore({ storage, localRoot: root, targetPath: 'journaled', policy: 'overwrite', journal: await TransferJournal.start(journalRoot, plan) },
      { signal: controller.signal, tuning: { maxConcurrency: 2 }, onProgress: (p) => { if (p.filesDone >= 20) controller.abort(); } });
    assert.equal(first.canceled, true);
    const [pending] = await pendingTransfers(journalRoot);
    assert.equal(pending!.filesDone, first.transferred.files);
    assert.equal(resumeSentence(pending!), `Resume upload of data: ${60 - first.transferred.files} of 60 files left`);

    // One file done before the cancel changes; a crash tore the journal's last line.
    const doneRecords = readFileSync(path.join(journalRoot, 'transfers', pending!.plan.id, 'done.jsonl'), 'utf8');
    const changed = Object.keys(files).find((name) => doneRecords.includes(`"p":"${name}"`));
    writeFileSync(path.join(root, changed!), files[changed!]!.toUpperCase()); // same size: only its mtime tells
    const later = new Date(Date.now() + 5_000);
    utimesSync(path.join(root, changed!), later, later);
    appendFileSync(path.join(journalRoot, 'transfers', pending!.plan.id, 'done.jsonl'), '{"p":"f59.txt","s":8');

    const resumed = await uploadToDatastore({ storage, localRoot: root, targetPath: 'journaled', policy: 'overwrite',
      journal: await TransferJournal.resume(journalRoot, pending!.plan.id) });
    assert.deepEqual(resumed.failed, []);
    assert.equal(resumed.skipped.unchanged, first.transferred.files - 1, 'files done and unchanged are not sent again');
    assert.equal(resumed.transferred.files, 60 - first.transferred.files + 1, 'the changed file is sent again');
    const local = readLocalTree(root);
    const remote = await readRemoteTree(storage, 'journaled');
    assert.equal(remote.size, 60);
    for (const [name, content] of local) assert.ok(remote.get(name)!.equals(content), `${name} arrived as it is now`);
    assert.deepEqual(readdirSync(path.join(journalRoot, 'transfers')), [], 'the journal is removed once complete');
    assert.ok(!existsSync(path.join(journalRoot, 'transfers', pending!.plan.id)));
  });

  it('an id that is not a journal id never names a path', async () => {
    await assert.rejects(TransferJournal.resume(path.join(work, 'journals'), '../../etc'), /There is no interrupted transfer "\.\.\/\.\.\/etc"\./);
  });

  it('a journal a process runs is not pending, and is neither resumed nor discarded; a lock left by a process that is gone is taken over', async () => {
    const journalRoot = path.join(work, 'journals-running');
    const plan = { direction: 'upload' as const, workspace: 'local', datastore: 'workspaceblobstore', remotePath: 'r', localRoot: work, policy: 'overwrite' as const };
    const running = await TransferJournal.start(journalRoot, plan);
    const { id } = running.plan;
    assert.deepEqual(await pendingTransfers(journalRoot), []);
    const heldHere = new RegExp(`Transfer ${id} is running now \\(process ${process.pid}\\)`);
    await assert.rejects(TransferJournal.resume(journalRoot, id), heldHere);
    await assert.rejects(discardTransfer(journalRoot, id), heldHere);
    assert.equal(await transferRunningIn(journalRoot, id), process.pid);
    await running.close();
    assert.deepEqual((await pendingTransfers(journalRoot)).map((p) => p.plan.id), [id]);

    // A process that ran it and died (a crash, a killed window) left its lock behind.
    const gone = spawnSync(process.execPath, ['-e', '']).pid!;
    writeFileSync(path.join(journalRoot, 'transfers', id, 'running.lock'), String(gone));
    assert.deepEqual((await pendingTransfers(journalRoot)).map((p) => p.plan.id), [id]);
    const resumed = await TransferJournal.resume(journalRoot, id);
    assert.equal(readFileSync(path.join(journalRoot, 'transfers', id, 'running.lock'), 'utf8'), String(process.pid), 'the bare pid, as versions before read it');
    await resumed.close();
    await discardTransfer(journalRoot, id);
    assert.deepEqual(readdirSync(path.join(journalRoot, 'transfers')), []);
  });

  it('a journal whose plan is damaged (a policy missing or unknown, a relative folder, torn) is refused on resume, never run as an overwrite', async () => {
    const storage = await h.storage('workspaceblobstore');
    if (storage.kind !== 'blob') throw new Error('workspaceblobstore is a blob container');
    await storage.container.getBlockBlobClient('damaged/a.txt').upload('remote!', 7);
    const localRoot = path.join(work, 'damaged');
    writeTree(localRoot, { 'a.txt': 'mine' });
    const journalRoot = path.join(work, 'journals-damaged');
    const plan = { direction: 'download' as const, workspace: 'local', datastore: 'workspaceblobstore', remotePath: 'damaged', localRoot, policy: 'skip' as const };
    const journal = await TransferJournal.start(journalRoot, plan);
    await journal.close();
    const { id } = journal.plan;
    const planFile = path.join(journalRoot, 'transfers', id, 'plan.json');
    const original = JSON.parse(readFileSync(planFile, 'utf8')) as Record<string, unknown>;
    // What the resume commands do with a journal: download as its plan says.
    const resumeAsCommandsDo = async (): Promise<void> => {
      const resumed = await TransferJournal.resume(journalRoot, id);
      await downloadFromDatastore({ storage, remotePath: resumed.plan.remotePath, localRoot: resumed.plan.localRoot, policy: resumed.plan.policy, journal: resumed });
    };
    const damaged = new RegExp(`The journal of transfer ${id} is damaged \\(.+\\): it can't be resumed\\. Discard it`);
    const edits: Array<Record<string, unknown>> = [
      { policy: 'Overwrite' }, { policy: undefined }, { direction: 'sideways' }, { localRoot: path.relative(process.cwd(), localRoot) }, { entries: [1] },
    ];
    for (const edit of edits) {
      writeFileSync(planFile, JSON.stringify({ ...original, ...edit }));
      await assert.rejects(resumeAsCommandsDo(), damaged, JSON.stringify(edit));
      assert.equal(readFileSync(path.join(localRoot, 'a.txt'), 'utf8'), 'mine', `no local file changes (${JSON.stringify(edit)})`);
    }
    writeFileSync(planFile, '{"version": 1, "id": "');
    await assert.rejects(resumeAsCommandsDo(), damaged);
    assert.deepEqual(await pendingTransfers(journalRoot), [], 'a damaged journal is not offered');
    await discardTransfer(journalRoot, id);
    assert.deepEqual(readdirSync(path.join(journalRoot, 'transfers')), [], 'a damaged journal can be discarded');
  });

  it('a record of files done that can\'t be read is reported, not taken for "nothing done"; one that is missing is nothing done', async () => {
    const journalRoot = path.join(work, 'journals-unreadable');
    const plan = { direction: 'upload' as const, workspace: 'local', datastore: 'workspacefilestore', remotePath: 'r', localRoot: work, policy: 'skip' as const };
    const journal = await TransferJournal.start(journalRoot, plan);
    await journal.close();
    const { id } = journal.plan;
    const doneFile = path.join(journalRoot, 'transfers', id, 'done.jsonl');
    rmSync(doneFile);
    mkdirSync(doneFile);
    const unreadable = new RegExp(`The journal of transfer ${id} is damaged \\(its record of the files done can't be read: .+\\)`);
    await assert.rejects(TransferJournal.resume(journalRoot, id), unreadable);
    assert.match(await shareTemporariesOf(journalRoot, id) ?? '', /^[0-9a-f]{8}$/,
      'a discard looks for the temporary files an upload may have left, rather than take it for "none" or refuse');
    const [pending] = await pendingTransfers(journalRoot);
    assert.match(resumeSentence(pending!), /^The upload of .+ can't be resumed: its journal is damaged \(its record of the files done can't be read: .+\)\. Discard it\.$/);

    rmSync(doneFile, { recursive: true });
    const resumed = await TransferJournal.resume(journalRoot, id);
    assert.equal(resumed.isDone('a.txt', 1, 1), false);
    await resumed.close();
    assert.equal(resumeSentence((await pendingTransfers(journalRoot))[0]!), 'Resume upload of ' + path.basename(work) + ': 0 files done so far');
    await discardTransfer(journalRoot, id);
  });

  const MiB = 1024 * 1024;

  it('a large file share upload canceled midway keeps its temporary file for the resume, which completes it; a discard removes it', async () => {
    const root = path.join(work, 'share-cancel');
    const big = randomBytes(24 * MiB);
    writeTree(root, { 'big.bin': big });
    const journalRoot = path.join(work, 'journals-share');
    const storage = await h.storage('workspacefilestore');
    if (storage.kind !== 'file') throw new Error('workspacefilestore is a file share');
    const temporaries = async (): Promise<string[]> => {
      const names: string[] = [];
      for await (const item of storage.share.getDirectoryClient('share-cancel').listFilesAndDirectories()) {
        if (item.name.startsWith('.azml-upload-')) names.push(item.name);
      }
      return names;
    };
    const plan = { direction: 'upload' as const, workspace: 'local', datastore: 'workspacefilestore', remotePath: 'share-cancel', localRoot: root, policy: 'overwrite' as const };
    const cancelAfterTwoRanges = async (): Promise<string> => {
      const controller = new AbortController();
      const canceled = await uploadToDatastore({ storage, localRoot: root, targetPath: 'share-cancel', policy: 'overwrite', journal: await TransferJournal.start(journalRoot, plan) },
        { signal: controller.signal, tuning: { maxConcurrency: 1, adaptiveConcurrency: false }, onProgress: (p) => { if (p.bytesDone >= 8 * MiB) controller.abort(); } });
      assert.equal(canceled.canceled, true);
      assert.equal((await temporaries()).length, 1, 'the canceled upload keeps its temporary file');
      return (await pendingTransfers(journalRoot))[0]!.plan.id;
    };

    const id = await cancelAfterTwoRanges();
    const resumed = await uploadToDatastore({ storage, localRoot: root, targetPath: 'share-cancel', policy: 'overwrite',
      journal: await TransferJournal.resume(journalRoot, id) }, { tuning: { maxConcurrency: 1, adaptiveConcurrency: false } });
    assert.equal(resumed.transferred.files, 1);
    assert.ok((await readRemoteTree(storage, 'share-cancel')).get('big.bin')!.equals(big), 'every byte arrived');
    assert.deepEqual(await temporaries(), []);

    const again = await cancelAfterTwoRanges();
    const tag = await shareTemporariesOf(journalRoot, again);
    assert.ok(tag, 'the journal knows the upload made temporary files');
    assert.equal(await removeTemporariesLeft(storage, 'share-cancel', tag, new AbortController().signal), 1);
    await discardTransfer(journalRoot, again);
    assert.deepEqual(await temporaries(), [], 'the discard removed the temporary file');
    assert.deepEqual(await pendingTransfers(journalRoot), []);
  });

  it('a large download canceled midway keeps its partial file for the resume, which completes it; a discard removes it', async () => {
    const storage = await h.storage('workspaceblobstore');
    if (storage.kind !== 'blob') throw new Error('workspaceblobstore is a blob container');
    const big = randomBytes(32 * MiB);
    await storage.container.getBlockBlobClient('down-cancel/big.bin').uploadData(big);
    const localRoot = path.join(work, 'down-cancel');
    const journalRoot = path.join(work, 'journals-down');
    const plan = { direction: 'download' as const, workspace: 'local', datastore: 'workspaceblobstore', remotePath: 'down-cancel', localRoot, policy: 'overwrite' as const };
    const partial = (): string[] => (existsSync(localRoot) ? readdirSync(localRoot).filter((name) => name.startsWith('.azml-download-')) : []);
    const cancelAfterOnePart = async (): Promise<string> => {
      const controller = new AbortController();
      const canceled = await downloadFromDatastore({ storage, remotePath: 'down-cancel', localRoot, policy: 'overwrite', journal: await TransferJournal.start(journalRoot, plan) },
        { signal: controller.signal, tuning: { maxConcurrency: 1, adaptiveConcurrency: false }, onProgress: (p) => { if (p.bytesDone >= 8 * MiB) controller.abort(); } });
      assert.equal(canceled.canceled, true);
      assert.equal(partial().length, 1, 'the canceled download keeps its partial file');
      return (await pendingTransfers(journalRoot))[0]!.plan.id;
    };

    const id = await cancelAfterOnePart();
    // Sized as the whole file already: uploading the folder meanwhile must not send it as data.
    const [left] = partial();
    const uploadedMeanwhile = await uploadToDatastore({ storage, localRoot, targetPath: 'down-cancel-copy', policy: 'overwrite' });
    assert.deepEqual(uploadedMeanwhile.notTransferred, [{ path: left, reason: 'a partly downloaded file (an interrupted download keeps it to resume)' }]);
    assert.equal((await readRemoteTree(storage, 'down-cancel-copy')).size, 0);
    const resumed = await downloadFromDatastore({ storage, remotePath: 'down-cancel', localRoot, policy: 'overwrite', journal: await TransferJournal.resume(journalRoot, id) });
    assert.equal(resumed.transferred.files, 1);
    assert.ok(readFileSync(path.join(localRoot, 'big.bin')).equals(big), 'every byte is there');
    assert.deepEqual(partial(), []);

    rmSync(localRoot, { recursive: true, force: true });
    const again = await cancelAfterOnePart();
    await discardTransfer(journalRoot, again);
    assert.deepEqual(partial(), [], 'the discard removed the partial file');
    assert.deepEqual(await pendingTransfers(journalRoot), []);
  });
});
