import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DatastoreStorage } from '../../src/azure/datastoreStorage';
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
