import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MetadataJournal } from '../../../src/local/fileService/journal';
import { newContentId, type PersistedState } from '../../../src/local/fileService/model';
import { ShareStore } from '../../../src/local/fileService/shareStore';

const smb = { attributes: 'Archive', creationTime: 't', lastWriteTime: 't', changeTime: 't' };

async function openStore(dir: string, compactAfterRecords: number): Promise<{ store: ShareStore; journal: MetadataJournal }> {
  const current: { store?: ShareStore } = {};
  const loaded = await MetadataJournal.open(dir, () => current.store!.snapshot(), compactAfterRecords);
  const store = ShareStore.restore(loaded.snapshot, loaded.records, (record) => loaded.journal.append(record));
  current.store = store;
  return { store, journal: loaded.journal };
}

function normalized(state: PersistedState): PersistedState {
  return {
    shares: [...state.shares].sort((a, b) => a.name.localeCompare(b.name)),
    entries: [...state.entries].sort((a, b) => a.id.localeCompare(b.id)),
  };
}

/** Many concurrent creates, replaces and deletes, as requests would make them. */
async function churn(store: ShareStore): Promise<void> {
  await store.createShare('churn', 1, {});
  await store.createDirectory('churn', ['d'], { ...smb, attributes: 'Directory' }, {});
  const file = (i: number) => ({ size: i, contentId: newContentId(), headers: {}, metadata: { i: String(i) }, ...smb });
  await Promise.all(Array.from({ length: 600 }, (_, i) => store.putFile('churn', ['d', `f${i % 400}`], file(i))));
  await Promise.all(Array.from({ length: 100 }, (_, i) => store.deleteFile('churn', ['d', `f${i * 3}`])));
  await store.createShare('gone', 1, {});
  await store.createDirectory('gone', ['x'], smb, {});
  await store.deleteShare('gone');
}

describe('file service metadata journal', () => {
  let dir: string;
  const open: MetadataJournal[] = [];

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'azml-journal-'));
  });

  afterEach(async () => {
    for (const journal of open.splice(0)) await journal.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('rebuilds the same tree from snapshots and journal after many concurrent changes (with automatic compaction)', async () => {
    const first = await openStore(dir, 50);
    open.push(first.journal);
    await churn(first.store);
    const expected = normalized(first.store.snapshot());
    assert.equal(expected.entries.length, 2 + 300);

    // Read back while the first is still open, as after a kill: no close, no final snapshot.
    const journals = (await fs.readdir(dir)).filter((name) => name.startsWith('journal-'));
    assert.equal(journals.length, 1);
    assert.notEqual(journals[0], 'journal-0.jsonl', 'the journal was compacted into a snapshot along the way');
    const second = await openStore(dir, 50);
    open.push(second.journal);
    assert.deepEqual(normalized(second.store.snapshot()), expected);
  });

  it('ignores a torn last journal line', async () => {
    const first = await openStore(dir, 1_000_000);
    open.push(first.journal);
    await churn(first.store);
    const expected = normalized(first.store.snapshot());
    const [journal] = (await fs.readdir(dir)).filter((name) => name.startsWith('journal-'));
    await fs.appendFile(path.join(dir, journal!), '{"type":"deleteShare","na');

    const second = await openStore(dir, 1_000_000);
    open.push(second.journal);
    assert.deepEqual(normalized(second.store.snapshot()), expected);
  });
});
