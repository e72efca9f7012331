import * as assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pendingTransfers, resumeSentence, TransferJournal } from '../../src/core/transfer/journal';
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
});
