import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DatastoreStorage } from '../../src/azure/datastoreStorage';
import { downloadFromDatastore } from '../../src/core/transfer/downloadFolder';
import { uploadToDatastore } from '../../src/core/transfer/uploadFolder';
import type { TransferResult } from '../../src/core/transfer/types';
import { readLocalTree, readRemoteTree, transferHarnessFor, writeTree, type TransferHarness } from '../core/transferSupport';
import { startFaultyWorkspace, type FaultyWorkspace } from './faultyWorkspace';
import { trackSchedule, verifiedBytes } from './faultTotals';

const KiB = 1024;
const MiB = 1024 * KiB;
/**
 * Small blocks, so the large files are staged in several parts (each one a chance to fault). The
 * adaptive limit as users get it: its 6% of random 429/503 answers are scattered throttling, which
 * it tolerates (test/faults/distance.test.ts covers the backing off from persistent throttling).
 */
const tuning = { blobBlockSize: MiB, blobSingleRequestLimit: MiB };

/** Deterministic content: the same bytes on every run. */
function content(seed: string, size: number): Buffer {
  const out = Buffer.alloc(size);
  for (let offset = 0, block = 0; offset < size; offset += 32, block++) {
    createHash('sha256').update(`${seed}/${block}`).digest().copy(out, offset);
  }
  return out;
}

/** `count` files in nested folders, mostly small, every 250th one a few MiB. */
function manyFiles(count: number): Record<string, Buffer> {
  const files: Record<string, Buffer> = {};
  for (let i = 0; i < count; i++) {
    const size = i % 250 === 17 ? 2 * MiB + 12_345 : (i * 7919) % (24 * KiB);
    files[`d${i % 10}/sub${i % 3}/file ${String(i).padStart(4, '0')}.bin`] = content(`f${i}`, size);
  }
  return files;
}

function temporaryNames(names: Iterable<string>): string[] {
  return [...names].filter((n) => /\.azml-(upload|download)-/.test(n));
}

/**
 * What a user checks after a transfer through a bad network: every file either arrived intact or
 * is listed as failed; no file is half-written; nothing is there that should not be.
 */
function assertCompleteOrReported(result: TransferResult, expected: Map<string, Buffer>, actual: Map<string, Buffer>): void {
  assert.equal(result.fatal, undefined, `the transfer stopped: ${result.fatal?.message}`);
  assert.deepEqual(temporaryNames(actual.keys()), [], 'no temporary file is left');
  const failed = new Set(result.failed.map((f) => f.path));
  for (const name of actual.keys()) assert.ok(expected.has(name), `unexpected file ${name}`);
  for (const [name, data] of expected) {
    const got = actual.get(name);
    if (got === undefined) {
      assert.ok(failed.has(name), `${name} is missing but not reported as failed`);
      continue;
    }
    assert.ok(got.equals(data), `${name} is not byte-identical`);
    assert.ok(!failed.has(name), `${name} arrived intact but is reported as failed`);
  }
  assert.equal(result.transferred.files + result.skipped.existing + result.skipped.unchanged + result.failed.length, expected.size);
}

describe('transfers through a faulty network (at least 10% of requests faulted)', function () {
  this.timeout(600_000);
  let w: FaultyWorkspace;
  let faulty: TransferHarness;
  let direct: TransferHarness;
  let work: string;

  before(async () => {
    w = await startFaultyWorkspace({ seed: 10, rate: 0.15, kinds: ['drop', 'status500', 'status503', 'throttle429', 'stall'] });
    trackSchedule(w.schedule);
    faulty = transferHarnessFor({ ...w.local, connection: w.connection });
    direct = transferHarnessFor(w.local);
    work = mkdtempSync(path.join(os.tmpdir(), 'azml-faults-'));
  });
  after(async () => {
    await w?.dispose();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const read = async (storage: DatastoreStorage, folder: string): Promise<Map<string, Buffer>> => {
    w.schedule.enabled = false;
    try {
      return await readRemoteTree(storage, folder);
    } finally {
      w.schedule.enabled = true;
    }
  };

  for (const [datastore, kind, count] of [['workspaceblobstore', 'blob', 1000], ['workspacefilestore', 'file', 300]] as const) {
    it(`uploads ${count} files to a ${kind} datastore intact or reports exactly which failed; Retry Failed finishes them; downloads them back likewise`, async () => {
      const source = path.join(work, `source-${kind}`);
      writeTree(source, manyFiles(count));
      const expected = readLocalTree(source);
      const storage = await faulty.storage(datastore);
      const check = await direct.storage(datastore);
      const target = `faults-${kind}`;

      let up = await uploadToDatastore({ storage, localRoot: source, targetPath: target, policy: 'overwrite' }, { tuning });
      assertCompleteOrReported(up, expected, await read(check, target));
      for (let attempt = 0; up.failed.length > 0 && attempt < 3; attempt++) {
        // Retry Failed: the same upload, of the failed entries only.
        const entries = up.failed.map((f) => path.join(source, ...f.path.split('/')));
        up = await uploadToDatastore({ storage, localRoot: source, entries, targetPath: target, policy: 'overwrite' }, { tuning });
        assert.equal(up.fatal, undefined);
      }
      assert.deepEqual(up.failed, []);
      const uploaded = await read(check, target);
      assertCompleteOrReported({ ...up, failed: [], transferred: { files: expected.size, bytes: 0 }, skipped: { existing: 0, unchanged: 0, bytes: 0 } }, expected, uploaded);
      assert.equal(uploaded.size, expected.size);
      verifiedBytes([...uploaded.values()].reduce((sum, b) => sum + b.length, 0));

      const into = path.join(work, `download-${kind}`);
      let down = await downloadFromDatastore({ storage, remotePath: target, localRoot: into, policy: 'overwrite' }, { tuning });
      assert.deepEqual(down.notTransferred, []);
      assertCompleteOrReported(down, expected, readLocalTree(into));
      for (let attempt = 0; down.failed.length > 0 && attempt < 3; attempt++) {
        // Retry: the same download again; unchanged files are skipped, the failed ones fetched.
        down = await downloadFromDatastore({ storage, remotePath: target, localRoot: into, policy: 'skipUnchanged' }, { tuning });
      }
      assert.deepEqual(down.failed, []);
      const downloaded = readLocalTree(into);
      assert.equal(downloaded.size, expected.size);
      for (const [name, data] of expected) assert.ok(downloaded.get(name)?.equals(data), `${name} downloaded differs`);
      assert.deepEqual(temporaryNames(readdirSync(into, { recursive: true, encoding: 'utf8' })), []);
      verifiedBytes([...downloaded.values()].reduce((sum, b) => sum + b.length, 0));
    });
  }

  it('a download whose listing answers are cut off twice still lists and fetches everything', async () => {
    const source = path.join(work, 'listing-source');
    writeTree(source, manyFiles(20));
    const expected = readLocalTree(source);
    const storage = await faulty.storage('workspaceblobstore');
    w.schedule.enabled = false;
    const up = await uploadToDatastore({ storage, localRoot: source, targetPath: 'listing', policy: 'overwrite' });
    w.schedule.enabled = true;
    assert.deepEqual(up.failed, []);
    const saved = { ...w.schedule.options };
    Object.assign(w.schedule.options, { rate: 1, kinds: ['drop'], maxFaultsInARow: 2, target: /^blob GET [^ ]*comp=list/ });
    try {
      const into = path.join(work, 'listing-download');
      const down = await downloadFromDatastore({ storage, remotePath: 'listing', localRoot: into, policy: 'overwrite' });
      assertCompleteOrReported(down, expected, readLocalTree(into));
      assert.deepEqual(down.failed, []);
    } finally {
      Object.assign(w.schedule.options, saved);
    }
  });
});
