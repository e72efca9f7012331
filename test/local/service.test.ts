import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { ShareServiceClient, StorageSharedKeyCredential as FileSharedKeyCredential } from '@azure/storage-file-share';
import { QueueServiceClient, StorageSharedKeyCredential as QueueSharedKeyCredential } from '@azure/storage-queue';
import { connectLocalWorkspace } from '../../src/azure/localWorkspace';
import { devStorageAccount } from '../../src/local/devStorageAccount';
import { discoveryFileName } from '../../src/local/discovery';
import { startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';
import { localStorageKey } from '../support/storageKey';

const account = devStorageAccount.name;

function childProcessesOf(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('local workspace service (npm run local)', () => {
  let local: StartedLocalWorkspace;
  let key: string;
  before(async () => {
    local = await startLocalWorkspace();
    key = localStorageKey(local.dataDir);
  });
  after(async () => {
    await local?.dispose();
  });

  it('prints one ready line with the endpoints, on loopback, without the token', () => {
    const line = local.readyLine;
    assert.equal(line['ready'], true);
    for (const field of ['armEndpoint', 'blobEndpoint', 'fileEndpoint', 'queueEndpoint']) {
      assert.match(String(line[field]), /^http:\/\/127\.0\.0\.1:\d+/, field);
    }
    for (const field of ['subscriptionId', 'resourceGroup']) assert.ok(line[field], field);
    assert.equal(line['workspace'], 'local');
    assert.equal(line['token'], undefined, 'the bearer token stays out of stdout');
  });

  it('answers 401 to a request without a bearer token', async () => {
    const response = await fetch(`${local.connection.armEndpoint}/subscriptions?api-version=2022-12-01`);
    assert.equal(response.status, 401);
    const body = await response.json() as { error: { code: string; message: string } };
    assert.ok(body.error.code && body.error.message);
  });

  it('round-trips a blob through Azurite with @azure/storage-blob', async () => {
    const blobs = new BlobServiceClient(local.connection.blobEndpoint, new StorageSharedKeyCredential(account, key));
    const container = blobs.getContainerClient(`roundtrip-${Date.now()}`);
    await container.create();
    const content = randomBytes(300_000);
    await container.getBlockBlobClient('dir with space/naïve #1.bin').uploadData(content);
    const downloaded = await container.getBlockBlobClient('dir with space/naïve #1.bin').downloadToBuffer();
    assert.ok(downloaded.equals(content));
  });

  it('round-trips a file through the file share endpoint with @azure/storage-file-share', async () => {
    const shares = new ShareServiceClient(local.connection.fileEndpoint, new FileSharedKeyCredential(account, key));
    const share = shares.getShareClient(`roundtrip-${Date.now()}`);
    await share.create();
    await share.getDirectoryClient('data').create();
    const content = randomBytes(5 * 1024 * 1024 + 17);
    await share.getDirectoryClient('data').getFileClient('weights 100%.bin').uploadData(content);
    const downloaded = await share.getDirectoryClient('data').getFileClient('weights 100%.bin').downloadToBuffer();
    assert.ok(downloaded.equals(content));
  });

  it('refuses a file share write signed with a wrong account key (403)', async () => {
    const wrongKey = randomBytes(64).toString('base64');
    const shares = new ShareServiceClient(local.connection.fileEndpoint, new FileSharedKeyCredential(account, wrongKey));
    await assert.rejects(
      shares.getShareClient('should-not-exist').create(),
      (e: { statusCode?: number }) => e.statusCode === 403,
    );
  });

  it('serves queues through Azurite with @azure/storage-queue', async () => {
    const queues = new QueueServiceClient(local.connection.queueEndpoint, new QueueSharedKeyCredential(account, key));
    const queue = queues.getQueueClient(`q${Date.now()}`);
    await queue.create();
    await queue.sendMessage('hello');
    const received = await queue.receiveMessages();
    assert.equal(received.receivedMessageItems[0]?.messageText, 'hello');
  });

  it('creates the containers and share its datastores point at', async () => {
    const { workspaceClient } = connectLocalWorkspace(local.connection);
    const blobStore = await workspaceClient.datastores.get('workspaceblobstore');
    const fileStore = await workspaceClient.datastores.get('workspacefilestore');
    const blobs = new BlobServiceClient(local.connection.blobEndpoint, new StorageSharedKeyCredential(account, key));
    const shares = new ShareServiceClient(local.connection.fileEndpoint, new FileSharedKeyCredential(account, key));
    assert.ok(await blobs.getContainerClient(blobStore.containerName!).exists());
    assert.ok(await shares.getShareClient(fileStore.fileShareName!).exists());
  });

  it('refuses a second service on the same data folder', async () => {
    await assert.rejects(startLocalWorkspace({ dataDir: local.dataDir }), /already running/);
  });
});

describe('local workspace service lifecycle', () => {
  it('keeps datastores, models, jobs and files across a restart', async () => {
    const first = await startLocalWorkspace();
    const dataDir = first.dataDir;
    const key = localStorageKey(dataDir);
    try {
      const { workspaceClient } = connectLocalWorkspace(first.connection);
      await workspaceClient.datastores.createOrUpdate({
        name: 'training_data', datastoreType: 'AzureBlob', accountName: account, containerName: 'training',
        credentials: { credentialsType: 'AccountKey', key },
      });
      await workspaceClient.models.createOrUpdateVersion('churn-model', '1', { modelUri: 'azureml://datastores/workspaceblobstore/paths/models/churn/' });
      const shares = new ShareServiceClient(first.connection.fileEndpoint, new FileSharedKeyCredential(account, key));
      const fileStore = await workspaceClient.datastores.get('workspacefilestore');
      await shares.getShareClient(fileStore.fileShareName!).rootDirectoryClient.getFileClient('kept.txt').uploadData(Buffer.from('still here'));
      await first.stop();

      const second = await startLocalWorkspace({ dataDir });
      try {
        const again = connectLocalWorkspace(second.connection).workspaceClient;
        const datastore = await again.datastores.get('training_data');
        assert.equal(datastore.containerName, 'training');
        // Asked for an expiring secret, as current clients ask, it answers a SAS signed with the key it kept.
        const secrets = await again.datastores.listSecrets('training_data');
        assert.ok(secrets.secretsType === 'Sas', `a SAS expected, got ${secrets.secretsType}`);
        assert.equal((await again.models.getVersion('churn-model', '1')).modelUri, 'azureml://datastores/workspaceblobstore/paths/models/churn/');
        const sasQuery = secrets.sasToken.replace(/^\?/, '');
        const sharesAgain = new ShareServiceClient(`${second.connection.fileEndpoint.replace(/\/$/, '')}/?${sasQuery}`);
        const text = await sharesAgain.getShareClient(fileStore.fileShareName!).rootDirectoryClient.getFileClient('kept.txt').downloadToBuffer();
        assert.equal(text.toString(), 'still here');
        assert.notEqual(second.connection.token, first.connection.token, 'each start issues a new token');
      } finally {
        await second.stop();
      }
    } finally {
      await first.dispose();
    }
  });

  it('stops Azurite and everything it started on SIGTERM, and removes its discovery file', async () => {
    const local = await startLocalWorkspace();
    try {
      const children = childProcessesOf(local.process.pid!);
      assert.ok(children.length >= 1, 'Azurite runs as a child process');
      await local.stop();
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.deepEqual(children.filter(isAlive), [], 'no child process is left running');
      assert.equal(existsSync(path.join(local.dataDir, discoveryFileName)), false);
      assert.equal(local.process.exitCode, 0);
    } finally {
      await local.dispose();
    }
  });
});
