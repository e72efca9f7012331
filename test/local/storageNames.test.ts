import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { toAzureMlError } from '../../src/azure/errors';
import { listFolder } from '../../src/azure/storageListing';
import { startAzurite } from '../../src/local/azuriteProcess';
import { devStorageAccount } from '../../src/local/devStorageAccount';
import { readOrCreateStorageKey } from '../../src/local/storageKeyFile';
import { listableName } from '../../src/local/unlistableBlobs';
import { startLocalWorkspace } from '../support/localWorkspace';
import { startTransferHarness, type TransferHarness } from '../core/transferSupport';

const awkwardNames = ['a\u0001b.txt', 'esc\u001b[31m.txt', 'nul\u0000.txt', 'del\u007f.txt', 'bad\ufffe.txt'];

describe('local workspace: a blob name with a control character', function () {
  this.timeout(120000);
  let harness: TransferHarness;

  before(async () => {
    harness = await startTransferHarness();
  });
  after(async () => {
    await harness?.dispose();
  });

  it('is refused on upload, saying which character and why; the folder still lists and downloads', async () => {
    const storage = await harness.storage('workspaceblobstore');
    assert.equal(storage.kind, 'blob');
    if (storage.kind !== 'blob') return;
    const folder = `names-${randomBytes(3).toString('hex')}`;
    await storage.container.getBlockBlobClient(`${folder}/ok.txt`).uploadData(Buffer.from('fine'));
    for (const name of awkwardNames) {
      await assert.rejects(storage.container.getBlockBlobClient(`${folder}/${name}`).uploadData(Buffer.from('x')), (error: Error & { statusCode?: number }) => {
        assert.equal(error.statusCode, 400, `${JSON.stringify(name)}: ${error.message}`);
        const message = toAzureMlError(error).message;
        const code = name.match(/[\u0000-\u001f\u007f\ufffe]/)![0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
        assert.match(message, new RegExp(`contains the (control )?character U\\+${code}\\. The local workspace does not store such names`));
        assert.match(message, /Rename the file/);
        return true;
      });
    }
    // Staged blocks are refused too, so nothing half-made is left under such a name.
    await assert.rejects(storage.container.getBlockBlobClient(`${folder}/${awkwardNames[0]}`).stageBlock('AAAA', Buffer.from('x'), 1), /U\+0001/);

    const page = await listFolder(storage, folder);
    assert.deepEqual(page.items.map((e) => e.name), ['ok.txt']);
    const blobs: string[] = [];
    for await (const blob of storage.container.listBlobsFlat({ prefix: `${folder}/` })) blobs.push(blob.name);
    assert.deepEqual(blobs, [`${folder}/ok.txt`]);
    assert.equal((await storage.container.getBlobClient(`${folder}/ok.txt`).downloadToBuffer()).toString(), 'fine');
  });

  it('names with spaces, ;, $(), accents and emoji are still stored and listed', async () => {
    const storage = await harness.storage('workspaceblobstore');
    if (storage.kind !== 'blob') return;
    const folder = `names-${randomBytes(3).toString('hex')}`;
    const names = ['a b.txt', 'ünïcödé €.txt', 'semi;colon $(x).txt', '😀.txt'];
    for (const name of names) await storage.container.getBlockBlobClient(`${folder}/${name}`).uploadData(Buffer.from(name));
    const page = await listFolder(storage, folder);
    assert.deepEqual(page.items.map((e) => e.name).sort(), [...names].sort());
  });

  it('a file share refuses such a name too, saying which character', async () => {
    const storage = await harness.storage('workspacefilestore');
    if (storage.kind !== 'file') return;
    await assert.rejects(storage.share.rootDirectoryClient.getFileClient('a\u0001b.txt').uploadData(Buffer.from('x')), (error: Error & { statusCode?: number; details?: { message?: string } }) => {
      assert.equal(error.statusCode, 400);
      assert.match(error.details?.message ?? '', /"a\\u0001b\.txt" contains the control character U\+0001, which file shares do not allow\. Rename the file\./);
      return true;
    });
  });
});

describe('local workspace: blobs with a control character stored before it refused them', function () {
  this.timeout(120000);

  it('are renamed when the service starts (copy, then delete), so their folder lists again', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'azml-unlistable-'));
    try {
      // What an older local workspace let in: Azurite itself stores the name.
      const { key } = await readOrCreateStorageKey(dataDir);
      const azurite = await startAzurite({ location: path.join(dataDir, 'azurite'), accountName: devStorageAccount.name, accountKey: key, log: () => undefined });
      try {
        const blobs = new BlobServiceClient(azurite.blobEndpoint, new StorageSharedKeyCredential(devStorageAccount.name, key), { retryOptions: { maxTries: 1 } });
        const container = blobs.getContainerClient('olddata');
        await container.create();
        await container.getBlockBlobClient('dir/ok.txt').uploadData(Buffer.from('fine'));
        await container.getBlockBlobClient('dir/a\u0001b.txt').uploadData(Buffer.from('kept'));
        await assert.rejects(container.listBlobsFlat({ prefix: 'dir/' }).next(), (e: { statusCode?: number }) => e.statusCode === 500, 'Azurite cannot list it');
      } finally {
        await azurite.stop();
      }

      const local = await startLocalWorkspace({ dataDir });
      try {
        const blobs = new BlobServiceClient(local.connection.blobEndpoint, new StorageSharedKeyCredential(devStorageAccount.name, key));
        const container = blobs.getContainerClient('olddata');
        const names: string[] = [];
        for await (const blob of container.listBlobsFlat({ prefix: 'dir/' })) names.push(blob.name);
        assert.deepEqual(names, ['dir/a%01b.txt', 'dir/ok.txt']);
        assert.equal((await container.getBlobClient('dir/a%01b.txt').downloadToBuffer()).toString(), 'kept');
      } finally {
        await local.stop();
      }
    } finally {
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });

  it('the new name spells each such character as %XX or %uXXXX', () => {
    assert.equal(listableName('a\u0001b\u007f\ufffe.txt'), 'a%01b%7F%uFFFE.txt');
    assert.equal(listableName('plain name.txt'), 'plain name.txt');
  });
});
