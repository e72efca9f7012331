import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { ShareServiceClient, StorageSharedKeyCredential as FileSharedKeyCredential } from '@azure/storage-file-share';
import { QueueServiceClient, StorageSharedKeyCredential as QueueSharedKeyCredential } from '@azure/storage-queue';
import { connectLocalWorkspace } from '../../src/azure/localWorkspace';
import { openDatastoreForTransfer } from '../../src/core/transfer/openDatastore';
import { devStorageAccount } from '../../src/local/devStorageAccount';
import { launchLocalService, type LaunchedLocalService } from '../../src/local/launcher';
import { readOrCreateStorageKey, storageKeyFilePath } from '../../src/local/storageKeyFile';
import { azuritePublishedKey } from '../../src/local/workspaceApi/resources/localAccountKeys';
import { ensureBuilt, repoRoot } from '../support/repo';
import { localStorageKey } from '../support/storageKey';

const account = devStorageAccount.name;
const noRetry = { retryOptions: { maxTries: 1 } };

interface Started extends LaunchedLocalService {
  dataDir: string;
  log: string[];
  /** Azurite's own blob endpoint, behind the service's blob front (from Azurite's "listening at" line). */
  azuriteBlobEndpoint: string;
}

/** The bundled service (`node dist/local.js`) on a data folder, with its log kept. */
async function start(dataDir: string): Promise<Started> {
  ensureBuilt();
  const log: string[] = [];
  const service = await launchLocalService({
    serviceScript: path.join(repoRoot, 'dist', 'local.js'), dataDir, freezeDemo: true, onLog: (line) => log.push(line),
  });
  const listening = log.map((line) => /Azurite Blob service is successfully listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line)).find(Boolean);
  assert.ok(listening, `Azurite's blob port is in the log:\n${log.join('\n')}`);
  return { ...service, dataDir, log, azuriteBlobEndpoint: `${listening[1]}/${account}` };
}

function refused(statusCode: number): (error: unknown) => boolean {
  return (error: unknown) => {
    assert.equal((error as { statusCode?: number }).statusCode, statusCode, String(error));
    return true;
  };
}

describe('local workspace: its storage takes the data folder\'s own key, not Azurite\'s published one', function () {
  this.timeout(180_000);
  const folders: string[] = [];
  const running: Started[] = [];

  const dataFolder = async (): Promise<string> => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'azml-storage-key-'));
    folders.push(dir);
    return dir;
  };
  const startTracked = async (dataDir: string): Promise<Started> => {
    const service = await start(dataDir);
    running.push(service);
    return service;
  };

  afterEach(async () => {
    for (const service of running.splice(0)) await service.stop();
    for (const dir of folders.splice(0)) await fs.rm(dir, { recursive: true, force: true });
  });

  it('refuses the published key (403) on the blob front, on Azurite\'s own blob and queue ports and on the file share service; the folder\'s key works on each', async () => {
    const local = await startTracked(await dataFolder());
    const key = localStorageKey(local.dataDir);
    assert.notEqual(key, azuritePublishedKey);
    const { blobEndpoint, fileEndpoint, queueEndpoint } = local.connection;

    const blobsWith = (endpoint: string, k: string) => new BlobServiceClient(endpoint, new StorageSharedKeyCredential(account, k), noRetry);
    const sharesWith = (k: string) => new ShareServiceClient(fileEndpoint, new FileSharedKeyCredential(account, k), noRetry);
    const queuesWith = (k: string) => new QueueServiceClient(queueEndpoint, new QueueSharedKeyCredential(account, k), noRetry);

    for (const endpoint of [blobEndpoint, local.azuriteBlobEndpoint]) {
      await assert.rejects(blobsWith(endpoint, azuritePublishedKey).getContainerClient('published').create(), refused(403), endpoint);
      await assert.rejects(blobsWith(endpoint, azuritePublishedKey).listContainers().next(), refused(403), endpoint);
    }
    await assert.rejects(sharesWith(azuritePublishedKey).getShareClient('published').create(), refused(403));
    await assert.rejects(queuesWith(azuritePublishedKey).getQueueClient('published').create(), refused(403));

    await blobsWith(blobEndpoint, key).getContainerClient('folderkey').create();
    const names: string[] = [];
    for await (const container of blobsWith(local.azuriteBlobEndpoint, key).listContainers()) names.push(container.name);
    assert.ok(names.includes('folderkey'), names.join(', '));
    assert.ok(!names.includes('published'), 'nothing was made with the published key');
    await sharesWith(key).getShareClient('folderkey').create();
    await queuesWith(key).getQueueClient('folderkey').create();
  });

  it('two starts of a new data folder at once agree on one key, the one in the file', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'azml-key-race-'));
    try {
      const keys = (await Promise.all(Array.from({ length: 16 }, () => readOrCreateStorageKey(dataDir)))).map((k) => k.key);
      assert.equal(new Set(keys).size, 1, 'every start got the same key');
      assert.equal((await fs.readFile(storageKeyFilePath(dataDir), 'utf8')).trim(), keys[0]);
      assert.deepEqual((await fs.readdir(dataDir)).sort(), [path.basename(storageKeyFilePath(dataDir))], 'no temporary file is left');
    } finally {
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });

  it('keeps the key in a file only its user can read, and uses the same key after a restart', async () => {
    const dataDir = await dataFolder();
    const first = await startTracked(dataDir);
    const key = localStorageKey(dataDir);
    assert.match(key, /^[A-Za-z0-9+/]{86}==$/, 'a 64-byte key, as long as an Azure Storage key');
    if (process.platform !== 'win32') assert.equal((await fs.stat(storageKeyFilePath(dataDir))).mode & 0o777, 0o600);
    assert.ok(first.log.every((line) => !line.includes(key)), 'the key is not logged');
    const blobs = (endpoint: string) => new BlobServiceClient(endpoint, new StorageSharedKeyCredential(account, key), noRetry);
    await blobs(first.connection.blobEndpoint).getContainerClient('kept').create();
    await blobs(first.connection.blobEndpoint).getContainerClient('kept').uploadBlockBlob('note.txt', 'still here', 10);
    await first.stop();
    running.splice(running.indexOf(first), 1);
    // Copied back with a looser mode (as a restore may do): the next start makes it private again.
    if (process.platform !== 'win32') await fs.chmod(storageKeyFilePath(dataDir), 0o644);

    const second = await startTracked(dataDir);
    assert.equal(localStorageKey(dataDir), key, 'the same key');
    if (process.platform !== 'win32') {
      assert.equal((await fs.stat(storageKeyFilePath(dataDir))).mode & 0o777, 0o600);
      assert.ok(second.log.some((line) => line.endsWith('storage-account.key (it was readable by others; now by its owner only)')), second.log.join('\n'));
    }
    const text = await blobs(second.connection.blobEndpoint).getContainerClient('kept').getBlobClient('note.txt').downloadToBuffer();
    assert.equal(text.toString(), 'still here');
  });

  for (const [what, content] of [['empty', ''], ['damaged', 'not a key\n'], ['cut short', `${'A'.repeat(40)}\n`]] as const) {
    it(`does not start on a key file that is ${what}: it names the file and what to do, and leaves the file as it was`, async () => {
      const dataDir = await dataFolder();
      const file = storageKeyFilePath(dataDir);
      await fs.writeFile(file, content, { mode: 0o600 });
      await assert.rejects(start(dataDir), (error: Error) => {
        assert.ok(error.message.includes(file), error.message);
        assert.match(error.message, /storage key file .* is (empty|damaged)/);
        assert.match(error.message, /Restore the file from a backup of the data folder\. Only if the key is lost, delete the file/);
        return true;
      });
      assert.equal(await fs.readFile(file, 'utf8'), content, 'no new key replaced it');
    });
  }

  it('gives datastores registered with the published key (a data folder of an older version) the folder\'s key at start, and leaves other storage\'s alone', async () => {
    const dataDir = await dataFolder();
    const first = await startTracked(dataDir);
    const { workspaceClient: firstClient } = connectLocalWorkspace(first.connection);
    const container = (await firstClient.datastores.get('workspaceblobstore')).containerName!;
    await new BlobServiceClient(first.connection.blobEndpoint, new StorageSharedKeyCredential(account, localStorageKey(dataDir)))
      .getContainerClient(container).uploadBlockBlob('old/data.csv', 'a,b\n', 4);
    // What an older version stored: the published key, for the local account and for another storage.
    const published = { credentialsType: 'AccountKey', key: azuritePublishedKey } as const;
    await firstClient.datastores.createOrUpdate({
      name: 'old_store', datastoreType: 'AzureBlob', accountName: account, containerName: container, endpoint: 'local', protocol: 'http', credentials: published,
    }, { skipValidation: true });
    await firstClient.datastores.createOrUpdate({
      name: 'elsewhere_store', datastoreType: 'AzureBlob', accountName: account, containerName: 'data', endpoint: 'core.windows.net', credentials: published,
    }, { skipValidation: true });
    await first.stop();
    running.splice(running.indexOf(first), 1);
    // Data folders of older versions had no key file.
    await fs.rm(storageKeyFilePath(dataDir));

    const second = await startTracked(dataDir);
    const key = localStorageKey(dataDir);
    const { workspaceClient: client } = connectLocalWorkspace(second.connection);
    const storedKey = async (name: string): Promise<string | undefined> => {
      const secrets = await client.datastores.listSecrets(name, { accountKey: true });
      return secrets.secretsType === 'AccountKey' ? secrets.key : undefined;
    };
    assert.equal(await storedKey('old_store'), key);
    assert.equal(await storedKey('elsewhere_store'), azuritePublishedKey);
    const storage = await openDatastoreForTransfer(client, await client.datastores.get('old_store'), undefined);
    assert.ok(storage.kind === 'blob');
    assert.equal((await storage.container.getBlobClient('old/data.csv').downloadToBuffer()).toString(), 'a,b\n', 'the datastore reads its data again');

    const note = second.log.filter((line) => line.includes('published key'));
    assert.deepEqual(note, [
      'storage key: 1 registered datastore(s) of devstoreaccount1 had Azurite\'s published key, which is no longer accepted; they now have this data folder\'s key',
    ]);
    assert.ok(second.log.every((line) => !line.includes(key) && !line.includes(azuritePublishedKey)), 'no key is logged');
  });
});
