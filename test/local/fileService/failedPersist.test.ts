import * as assert from 'node:assert/strict';
import type { JournalRecord } from '../../../src/local/fileService/model';
import { ShareStore, type NewFile } from '../../../src/local/fileService/shareStore';

/**
 * When the journal can't be written (a full disk), the request fails and the tree is left as the
 * journal has it: nothing a later request or listing sees comes from a change that failed.
 */
describe('file service: a change the journal could not record is taken back', () => {
  const smb = { attributes: 'None', creationTime: '2026-12-05T00:00:00.0000000Z', lastWriteTime: '2026-12-05T00:00:00.0000000Z', changeTime: '2026-12-05T00:00:00.0000000Z' };
  const newFile = (contentId: string, size: number): NewFile => ({ ...smb, size, contentId, headers: {}, metadata: {} });
  let failing = false;
  const written: JournalRecord[] = [];
  const store = new ShareStore(async (record) => {
    if (failing) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    written.push(record);
  });
  const names = (segments: string[]): string[] => store.listDirectory(store.directory('s', segments), '', '', 100).items.map((n) => n.name);
  const whileFailing = async (change: () => Promise<unknown>): Promise<void> => {
    failing = true;
    try {
      await assert.rejects(change, /ENOSPC/);
    } finally {
      failing = false;
    }
  };

  before(async () => {
    await store.createShare('s', 5, {});
    await store.createDirectory('s', ['d'], smb, {});
    await store.putFile('s', ['d', 'a.txt'], newFile('content-a', 1));
    await store.putFile('s', ['d', 'b.txt'], newFile('content-b', 2));
  });

  it('a file replaced: the old file stays, with its content', async () => {
    await whileFailing(() => store.putFile('s', ['d', 'a.txt'], newFile('content-new', 3)));
    const file = store.file('s', ['d', 'a.txt']);
    assert.deepEqual([file.contentId, file.size], ['content-a', 1]);
    assert.ok(!store.referencedContentIds().has('content-new'));
  });

  it('a new file, a new directory: neither appears', async () => {
    await whileFailing(() => store.putFile('s', ['d', 'c.txt'], newFile('content-c', 1)));
    await whileFailing(() => store.createDirectory('s', ['e'], smb, {}));
    assert.deepEqual(names(['d']), ['a.txt', 'b.txt']);
    assert.deepEqual(names([]), ['d']);
  });

  it('a file deleted, a directory deleted: both stay', async () => {
    await whileFailing(() => store.deleteFile('s', ['d', 'b.txt']));
    await store.createDirectory('s', ['empty'], smb, {});
    await whileFailing(() => store.deleteDirectory('s', ['empty']));
    assert.deepEqual(names(['d']), ['a.txt', 'b.txt']);
    assert.deepEqual(names([]), ['d', 'empty']);
  });

  it('a rename over another file: both stay where they were, as they were', async () => {
    const source = store.file('s', ['d', 'a.txt']);
    const etag = source.etag;
    await whileFailing(() => store.rename('s', source, ['d', 'b.txt'], true));
    assert.deepEqual(names(['d']), ['a.txt', 'b.txt']);
    assert.equal(store.file('s', ['d', 'a.txt']), source);
    assert.equal(source.etag, etag);
    assert.equal(store.file('s', ['d', 'b.txt']).contentId, 'content-b');
  });

  it('metadata set, a share deleted: unchanged, still there', async () => {
    const file = store.file('s', ['d', 'a.txt']);
    await whileFailing(() => store.updateEntry(file, (node) => {
      node.metadata = { changed: 'yes' };
    }));
    assert.deepEqual(store.file('s', ['d', 'a.txt']).metadata, {});
    await whileFailing(() => store.updateShare('s', (share) => {
      share.quotaGiB = 100;
    }));
    assert.equal(store.share('s').record.quotaGiB, 5);
    await whileFailing(() => store.deleteShare('s'));
    assert.deepEqual(names(['d']), ['a.txt', 'b.txt']);
  });

  it('and the tree is what the journal recorded: rebuilt from it, it is the same', () => {
    const rebuilt = ShareStore.restore({ shares: [], entries: [] }, written, async () => undefined);
    const normalize = (state: ReturnType<ShareStore['snapshot']>): string => JSON.stringify({
      shares: [...state.shares].sort((a, b) => a.name.localeCompare(b.name)),
      entries: [...state.entries].sort((a, b) => a.id.localeCompare(b.id)),
    });
    assert.equal(normalize(rebuilt.snapshot()), normalize(store.snapshot()));
  });
});
