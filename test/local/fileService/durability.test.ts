import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MetadataJournal } from '../../../src/local/fileService/journal';
import { ShareStore } from '../../../src/local/fileService/shareStore';
import { spyOnSyncs, type SyncSpy } from '../../support/syncSpy';
import { failureOf, startHarness, type Harness } from './harness';

const contentFile = /[/\\]content[/\\][0-9a-f]{2}[/\\][0-9a-f]{32}$/;
const contentFolder = /[/\\]content[/\\][0-9a-f]{2}$/;
const journalFile = /[/\\]journal-\d+\.jsonl$/;

describe('local file service: a 2xx means the change is on disk (synced)', () => {
  let harness: Harness;
  let spy: SyncSpy;

  beforeEach(async () => {
    // First, so the journal's handle, opened at start, is known too.
    spy = await spyOnSyncs();
    harness = await startHarness();
  });

  afterEach(async () => {
    spy.restore();
    await harness.dispose();
  });

  /** The paths synced while `call` ran (it finished with its answer). */
  async function syncedDuring(call: () => Promise<unknown>): Promise<string[]> {
    spy.events.length = 0;
    await call();
    return spy.synced;
  }

  it('syncs the content (and a new content file\'s folder) and the journal before answering each write', async () => {
    const share = harness.client.getShareClient('synced');
    await share.create();
    const file = share.rootDirectoryClient.getFileClient('f.bin');

    const created = await syncedDuring(() => file.create(64 * 1024));
    const content = created.find((synced) => contentFile.test(synced));
    assert.ok(content, `Create File synced its content file: ${created.join(', ')}`);
    assert.ok(created.includes(path.dirname(content)), 'and the folder that names it');
    assert.ok(created.some((synced) => journalFile.test(synced)), 'and the journal');
    assert.ok(created.indexOf(content) < created.findIndex((synced) => journalFile.test(synced)), 'content before the journal names it');

    const body = randomBytes(8192);
    const writes: Array<[string, () => Promise<unknown>]> = [
      ['Put Range (streamed)', () => file.uploadRange(body, 0, body.length)],
      ['Put Range (with Content-MD5)', () => file.uploadRange(body, 8192, body.length, { contentMD5: createHash('md5').update(body).digest() })],
      ['Put Range (clear)', () => file.clearRange(0, 4096)],
      ['Set File Properties (resize)', () => file.resize(128 * 1024)],
    ];
    for (const [name, write] of writes) {
      const synced = await syncedDuring(write);
      assert.ok(synced.includes(content), `${name} synced the content: ${synced.join(', ')}`);
      assert.ok(synced.some((other) => journalFile.test(other)), `${name} synced the journal`);
    }
    const metadataOnly = await syncedDuring(() => file.setMetadata({ a: 'b' }));
    assert.ok(metadataOnly.some((synced) => journalFile.test(synced)), 'Set File Metadata synced the journal');
  });

  it('answers 500, not 2xx, when the content cannot be synced, and keeps no file it could not make durable', async () => {
    const share = harness.client.getShareClient('failing');
    await share.create();
    const file = share.rootDirectoryClient.getFileClient('f.bin');
    await file.create(4096);
    spy.failWhen = (synced) => contentFile.test(synced) || contentFolder.test(synced);

    assert.equal((await failureOf(file.uploadRange(Buffer.alloc(10, 1), 0, 10))).status, 500);
    assert.equal((await failureOf(file.clearRange(0, 10))).status, 500);
    assert.equal((await failureOf(file.resize(8192))).status, 500);
    assert.equal((await failureOf(share.rootDirectoryClient.getFileClient('new.bin').create(10))).status, 500);

    spy.failWhen = undefined;
    assert.equal((await file.getProperties()).contentLength, 4096, 'the resize was not recorded');
    const names: string[] = [];
    for await (const entry of share.rootDirectoryClient.listFilesAndDirectories()) names.push(entry.name);
    assert.deepEqual(names, ['f.bin'], 'the file whose content could not be synced is not there');
  });

  it('answers 500 when the journal cannot be synced, and the change does not come back after a restart', async () => {
    const share = harness.client.getShareClient('journal');
    await share.create();
    const file = share.rootDirectoryClient.getFileClient('f.txt');
    await file.create(1);
    await file.setMetadata({ v: 'kept' });

    spy.failWhen = (synced) => journalFile.test(synced);
    assert.equal((await failureOf(file.setMetadata({ v: 'failed' }))).status, 500);
    assert.equal((await failureOf(share.rootDirectoryClient.getFileClient('new.txt').create(1))).status, 500);
    spy.failWhen = undefined;
    assert.deepEqual((await file.getProperties()).metadata, { v: 'kept' });

    await file.setMetadata({ v: 'after' });
    await harness.restart();
    const again = harness.client.getShareClient('journal').rootDirectoryClient;
    assert.deepEqual((await again.getFileClient('f.txt').getProperties()).metadata, { v: 'after' });
    assert.equal((await failureOf(again.getFileClient('new.txt').getProperties())).status, 404);
  });
});

describe('file service metadata journal: a failed write is cut off', () => {
  let dir: string;
  let spy: SyncSpy;
  const smb = { attributes: 'Archive', creationTime: 't', lastWriteTime: 't', changeTime: 't' };

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'azml-journal-sync-'));
    spy = await spyOnSyncs();
  });

  afterEach(async () => {
    spy.restore();
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function open(): Promise<{ store: ShareStore; journal: MetadataJournal }> {
    const current: { store?: ShareStore } = {};
    const loaded = await MetadataJournal.open(dir, () => current.store!.snapshot(), 1_000_000);
    const store = ShareStore.restore(loaded.snapshot, loaded.records, (record) => loaded.journal.append(record));
    current.store = store;
    return { store, journal: loaded.journal };
  }

  async function journalNames(): Promise<string[]> {
    return (await fs.readdir(dir)).filter((name) => name.startsWith('journal-')).sort();
  }

  for (const truncateFails of [false, true]) {
    it(truncateFails
      ? 'when even cutting it off fails, the next append starts a new journal from a snapshot'
      : 'a record whose sync failed is not in the journal, and later records are read back', async () => {
      const first = await open();
      await first.store.createShare('s', 1, {});
      await first.store.createDirectory('s', ['before'], smb, {});
      const journalsBefore = await journalNames();

      // The failing write's own sync fails; then either cutting it off works, or nothing more does.
      let syncsFailed = 0;
      spy.failWhen = (file, call) => journalFile.test(file) && (truncateFails || (call === 'sync' && syncsFailed++ === 0));
      await assert.rejects(first.store.createDirectory('s', ['failed'], smb, {}), /EIO/);
      spy.failWhen = undefined;
      await first.store.createDirectory('s', ['after'], smb, {});
      assert.deepEqual(first.store.listDirectory(first.store.directory('s', []), '', '', 10).items.map((n) => n.name), ['after', 'before']);
      if (truncateFails) assert.notDeepEqual(await journalNames(), journalsBefore, 'a new journal was started');
      else assert.deepEqual(await journalNames(), journalsBefore);

      // Read back as after a kill: no close, no final snapshot.
      const second = await open();
      try {
        assert.deepEqual(second.store.listDirectory(second.store.directory('s', []), '', '', 10).items.map((n) => n.name), ['after', 'before']);
      } finally {
        await second.journal.close();
        await first.journal.close();
      }
    });
  }
});
