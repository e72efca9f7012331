import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { downloadFromDatastore } from '../../src/core/transfer/downloadFolder';
import { summaryHeadline } from '../../src/core/transfer/summary';
import { uploadToDatastore } from '../../src/core/transfer/uploadFolder';
import { startTransferHarness, writeTree, type TransferHarness } from './transferSupport';

describe('transfers with credentials that are wrong or lack a permission', function () {
  this.timeout(120_000);
  let h: TransferHarness;
  let work: string;
  let folder: string;

  before(async () => {
    h = await startTransferHarness();
    work = mkdtempSync(path.join(os.tmpdir(), 'azml-credentials-'));
    folder = path.join(work, 'data');
    writeTree(folder, { 'a.txt': 'a', 'b/c.txt': 'c' });
    await uploadToDatastore({ storage: await h.storage('workspaceblobstore'), localRoot: folder, targetPath: 'data', policy: 'overwrite' });
    await uploadToDatastore({ storage: await h.storage('workspacefilestore'), localRoot: folder, targetPath: 'data', policy: 'overwrite' });
  });
  after(async () => {
    await h?.dispose();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('a wrong account key stops the upload with one message naming the datastore', async () => {
    await h.registerDatastore('rotatedkey', 'blob', { credentialsType: 'AccountKey', key: randomBytes(64).toString('base64') });
    const result = await uploadToDatastore({ storage: await h.storage('rotatedkey'), localRoot: folder, targetPath: 'x', policy: 'skipUnchanged' });
    assert.match(result.fatal!.message, /^The account key of datastore "rotatedkey" was rejected by the storage account "devstoreaccount1"/);
    assert.equal(result.transferred.files, 0);
    assert.deepEqual(result.failed, [], 'one message, not one failure per file');
    assert.equal(summaryHeadline(result), result.fatal!.message);
  });

  for (const kind of ['blob', 'file'] as const) {
    it(`a read-only SAS on a ${kind} datastore: "does not allow write (w) access"`, async () => {
      const name = `readonly${kind}`;
      await h.registerDatastore(name, kind, { credentialsType: 'Sas', sasToken: await h.sas(kind, 'rl') });
      const result = await uploadToDatastore({ storage: await h.storage(name), localRoot: folder, targetPath: 'denied', policy: 'overwrite' });
      assert.equal(result.fatal?.message, `The SAS token of datastore "${name}" does not allow write (w) access: update the datastore's credentials with a SAS token with write (w) permission.`);
      assert.equal(result.transferred.files, 0);
    });
  }

  it('a SAS without list (l) can still upload when nothing needs listing (overwrite), not when it does', async () => {
    await h.registerDatastore('writeonly', 'blob', { credentialsType: 'Sas', sasToken: await h.sas('blob', 'cw') });
    const storage = await h.storage('writeonly');
    const overwrite = await uploadToDatastore({ storage, localRoot: folder, targetPath: 'write-only', policy: 'overwrite' });
    assert.equal(overwrite.fatal, undefined);
    assert.equal(overwrite.transferred.files, 2);
    const skip = await uploadToDatastore({ storage, localRoot: folder, targetPath: 'write-only', policy: 'skipUnchanged' });
    assert.equal(skip.fatal?.message, 'The SAS token of datastore "writeonly" does not allow list (l) access: update the datastore\'s credentials with a SAS token with list (l) permission.');
  });

  it('a SAS without read (r) stops a download: "does not allow read (r) access"', async () => {
    await h.registerDatastore('listonly', 'blob', { credentialsType: 'Sas', sasToken: await h.sas('blob', 'l') });
    const result = await downloadFromDatastore({ storage: await h.storage('listonly'), remotePath: 'data', localRoot: path.join(work, 'out'), policy: 'overwrite' });
    assert.equal(result.fatal?.message, 'The SAS token of datastore "listonly" does not allow read (r) access: update the datastore\'s credentials with a SAS token with read (r) permission.');
    assert.equal(result.transferred.files, 0);
  });
});
