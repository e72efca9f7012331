import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DatastoreStorage } from '../../src/azure/datastoreStorage';
import type { TransferProgress, TransferResult } from '../../src/core/transfer/types';
import { uploadToDatastore } from '../../src/core/transfer/uploadFolder';
import { readLocalTree, readRemoteTree, transferHarnessFor, writeTree, type TransferHarness } from '../core/transferSupport';
import { startFaultyWorkspace, type FaultyWorkspace } from './faultyWorkspace';

/** `count` small files, their content depending on `version`; even-numbered files are the same in every version. */
function files(count: number, version: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    out[`part${i % 4}/f${String(i).padStart(4, '0')}.txt`] = `file ${i}, ${i % 2 === 0 ? 'same' : version}\n`.repeat(1 + (i % 7));
  }
  return out;
}

describe('transfers at a distance: the listing pipelined with the upload, backing off when throttled', function () {
  this.timeout(300_000);
  let w: FaultyWorkspace;
  let faulty: TransferHarness;
  let direct: TransferHarness;
  let work: string;

  before(async () => {
    w = await startFaultyWorkspace({ seed: 14, rate: 0 });
    faulty = transferHarnessFor({ ...w.local, connection: w.connection });
    direct = transferHarnessFor(w.local);
    work = mkdtempSync(path.join(os.tmpdir(), 'azml-distance-'));
  });
  after(async () => {
    await w?.dispose();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const blobRequests = (kind: RegExp): number[] =>
    (w.schedule.requestLog ?? []).flatMap((entry, index) => (/^blob /.test(entry.key) && kind.test(entry.key) ? [index] : []));

  it('starts uploading changed files before the last page of a large remote folder\'s listing arrives, and skips the unchanged ones', async () => {
    const count = 1000;
    const source = path.join(work, 'listing');
    writeTree(source, files(count, 'old'));
    const storage: DatastoreStorage = await faulty.storage('workspaceblobstore');
    const first = await uploadToDatastore({ storage, localRoot: source, targetPath: 'pipelined', policy: 'overwrite' });
    assert.equal(first.transferred.files, count);

    writeTree(source, files(count, 'changed'));
    w.schedule.requestLog = [];
    // 50 blobs per listing page: 20 pages for the folder.
    const again = await uploadToDatastore({ storage, localRoot: source, targetPath: 'pipelined', policy: 'skipUnchanged' },
      { tuning: { blobListPageSize: 50 } });
    const lists = blobRequests(/ GET [^ ]*comp=list/);
    const puts = blobRequests(/ PUT /);
    w.schedule.requestLog = undefined;

    assert.equal(lists.length, 20, 'the listing took 20 pages');
    assert.ok(puts.length > 0);
    assert.ok(puts[0]! < lists.at(-1)!,
      `the first upload request (#${puts[0]}) came before the last listing page (#${lists.at(-1)}); listing pages at ${lists.join(', ')}`);
    assert.deepEqual(again.failed, []);
    assert.equal(again.transferred.files, count / 2);
    assert.equal(again.skipped.unchanged, count / 2);
    const remote = await readRemoteTree(await direct.storage('workspaceblobstore'), 'pipelined');
    const local = readLocalTree(source);
    assert.equal(remote.size, count);
    for (const [name, data] of local) assert.ok(remote.get(name)?.equals(data), `${name} differs`);
  });

  it('sends a large file\'s first blocks while the listing is still on its way, commits only once the listing has reached it, and leaves a file it must keep alone', async () => {
    const MiB = 1024 * 1024;
    // 1 MiB blocks, at most 3 MiB in flight: so also at most 3 MiB sent ahead of the listing.
    const tuning = { blobListPageSize: 2, blobBlockSize: MiB, blobSingleRequestLimit: MiB, maxInFlightBytes: 3 * MiB };
    const source = path.join(work, 'ahead');
    const small = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`a/f${String(i).padStart(3, '0')}.txt`, `small ${i}\n`]));
    let big = randomBytes(6 * MiB + 5);
    writeTree(source, small);
    const storage: DatastoreStorage = await faulty.storage('workspaceblobstore');
    const checked = await direct.storage('workspaceblobstore');
    if (checked.kind !== 'blob') throw new Error('workspaceblobstore is a blob datastore');
    // 100 names the listing goes through (50 pages) before it reaches z/big.bin.
    assert.equal((await uploadToDatastore({ storage, localRoot: source, targetPath: 'ahead', policy: 'overwrite' })).transferred.files, 100);
    writeTree(source, { 'z/big.bin': big });
    const bigBlob = checked.container.getBlockBlobClient('ahead/z/big.bin');
    const upload = async (policy: 'skip' | 'skipUnchanged'): Promise<{ result: TransferResult; progress: TransferProgress[]; lists: number[]; blocks: number[]; commits: number[] }> => {
      w.schedule.requestLog = [];
      const progress: TransferProgress[] = [];
      const result = await uploadToDatastore({ storage, localRoot: source, targetPath: 'ahead', policy }, { tuning, onProgress: (p) => progress.push(p) });
      const log = { lists: blobRequests(/ GET [^ ]*comp=list/), blocks: blobRequests(/big\.bin\?[^ ]*comp=block(&| |$)/), commits: blobRequests(/big\.bin\?[^ ]*comp=blocklist/) };
      w.schedule.requestLog = undefined;
      assert.deepEqual(result.failed, []);
      for (const p of progress) assert.ok(p.bytesDone <= (p.bytesTotal ?? Infinity), `progress past the total: ${JSON.stringify(p)}`);
      return { result, progress, ...log };
    };

    const first = await upload('skipUnchanged');
    assert.equal(first.lists.length, 50, 'the listing took 50 pages');
    assert.deepEqual([first.result.transferred.files, first.result.skipped.unchanged], [1, 100]);
    assert.ok(first.blocks[0]! < first.lists.at(-1)!, `the first block (#${first.blocks[0]}) went before the last listing page (#${first.lists.at(-1)})`);
    assert.ok(first.commits[0]! > first.lists.at(-1)!, `the commit (#${first.commits[0]}) waited for the listing to reach the file (last page #${first.lists.at(-1)})`);
    assert.ok((await bigBlob.downloadToBuffer()).equals(big));
    assert.equal((await bigBlob.getProperties()).contentMD5 && Buffer.from((await bigBlob.getProperties()).contentMD5!).toString('base64'), createHash('md5').update(big).digest('base64'));
    assert.equal(first.progress.at(-1)!.bytesDone, first.progress.at(-1)!.bytesTotal);

    // Unchanged: whatever went ahead is never committed; the blob is the one uploaded before.
    const etag = (await bigBlob.getProperties()).etag;
    const again = await upload('skipUnchanged');
    assert.deepEqual([again.result.transferred.files, again.result.skipped.unchanged], [0, 101]);
    assert.deepEqual(again.commits, [], 'nothing committed to the unchanged file');
    assert.equal((await bigBlob.getProperties()).etag, etag);
    const staged = (await bigBlob.getBlockList('uncommitted')).uncommittedBlocks ?? [];
    assert.ok(staged.reduce((sum: number, block: { size: number }) => sum + block.size, 0) <= 3 * MiB, `${staged.length} blocks left uncommitted: at most the 3 MiB allowance`);
    assert.equal(again.progress.at(-1)!.bytesDone, again.progress.at(-1)!.bytesTotal, 'done counts each byte once');

    // Same size, other content: the MD5s are compared first, then it is sent.
    big = Buffer.from(big);
    big[5] = (big[5]! + 1) % 256;
    writeTree(source, { 'z/big.bin': big });
    const changed = await upload('skipUnchanged');
    assert.deepEqual([changed.result.transferred.files, changed.result.skipped.unchanged], [1, 100]);
    assert.ok((await bigBlob.downloadToBuffer()).equals(big));

    // "Skip" keeps what is there, even changed: nothing committed.
    writeTree(source, { 'z/big.bin': randomBytes(6 * MiB + 5) });
    const skip = await upload('skip');
    assert.deepEqual([skip.result.transferred.files, skip.result.skipped.existing], [0, 101]);
    assert.deepEqual(skip.commits, []);
    assert.ok((await bigBlob.downloadToBuffer()).equals(big), '"skip" left the file as it was');
  });

  it('backs off when the service throttles (fewer requests in flight) and still uploads every byte right', async () => {
    const count = 400;
    const storage = await faulty.storage('workspaceblobstore');
    const peakInFlight = (): number => Math.max(0, ...(w.schedule.requestLog ?? []).slice(-count / 2).map((e) => e.inFlight));

    // Unthrottled, the engine keeps many requests in flight at once.
    const calm = path.join(work, 'calm');
    writeTree(calm, files(count, 'calm'));
    w.schedule.requestLog = [];
    const calmResult = await uploadToDatastore({ storage, localRoot: calm, targetPath: 'calm', policy: 'overwrite' });
    const calmPeak = peakInFlight();
    assert.deepEqual(calmResult.failed, []);
    assert.ok(calmPeak >= 16, `unthrottled: ${calmPeak} requests in flight at most`);

    // A service answering 30% of uploads 429 (Retry-After: 0, so the test does not wait).
    const busy = path.join(work, 'busy');
    writeTree(busy, files(count, 'busy'));
    w.schedule.requestLog = [];
    const result = await w.schedule.withOptions({ rate: 0.3, kinds: ['throttle429'], retryAfterSeconds: 0, target: /^blob PUT / },
      () => uploadToDatastore({ storage, localRoot: busy, targetPath: 'busy', policy: 'overwrite' }));
    const busyPeak = peakInFlight();
    w.schedule.requestLog = undefined;
    assert.ok(w.schedule.counts.faults.throttle429 >= count / 10, `${w.schedule.counts.faults.throttle429} requests were throttled`);
    assert.ok(busyPeak <= 8, `throttled: ${busyPeak} requests in flight at most in the second half (unthrottled: ${calmPeak})`);

    assert.deepEqual(result.failed, []);
    assert.equal(result.transferred.files, count);
    const remote = await readRemoteTree(await direct.storage('workspaceblobstore'), 'busy');
    const local = readLocalTree(busy);
    assert.equal(remote.size, count);
    for (const [name, data] of local) assert.ok(remote.get(name)?.equals(data), `${name} differs`);
  });
});
