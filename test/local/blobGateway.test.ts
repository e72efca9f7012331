import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { startAzurite, type RunningAzurite } from '../../src/local/azuriteProcess';
import { startBlobGateway, type RunningBlobGateway } from '../../src/local/blobGateway';
import { devStorageAccount } from '../../src/local/devStorageAccount';
import { findFreePort } from '../../src/local/freePort';
import { readOrCreateStorageKey } from '../../src/local/storageKeyFile';

describe('local workspace: the blob endpoint when Azurite cannot be reached', function () {
  this.timeout(60000);
  let account: { name: string; key: string };
  let credential: StorageSharedKeyCredential;
  const access = { sharedKeyAccess: true, bearerToken: 'not-used-here' };
  let location: string;
  let azurite: RunningAzurite;
  const closers: Array<() => Promise<void> | void> = [];

  before(async () => {
    location = mkdtempSync(path.join(os.tmpdir(), 'azml-gateway-'));
    account = { name: devStorageAccount.name, key: (await readOrCreateStorageKey(location)).key };
    credential = new StorageSharedKeyCredential(account.name, account.key);
    azurite = await startAzurite({ location, accountName: account.name, accountKey: account.key, log: () => undefined });
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  after(async () => {
    await azurite?.stop();
    if (location) rmSync(location, { recursive: true, force: true });
  });

  async function gatewayTo(port: number): Promise<RunningBlobGateway> {
    const gateway = await startBlobGateway(`http://127.0.0.1:${port}/${devStorageAccount.name}`, { account, access });
    closers.push(() => gateway.close());
    return gateway;
  }

  it('answers 503 with what failed and what to do, so a client never sees an empty error', async () => {
    const gateway = await gatewayTo(await findFreePort());
    const client = new BlobServiceClient(gateway.blobEndpoint, credential, { retryOptions: { maxTries: 1 } });
    await assert.rejects(client.getContainerClient('nowhere').createIfNotExists(), (error: Error & { statusCode?: number }) => {
      assert.equal(error.statusCode, 503);
      assert.match(error.message, /could not reach its Azurite \(connect ECONNREFUSED 127\.0\.0\.1:\d+\)\. Try again; if this keeps happening, restart the local workspace\./);
      return true;
    });
  });

  it('a container created while the link to Azurite drops is created on the retry (the storage SDK retries the 503)', async () => {
    const azuritePort = Number(new URL(azurite.blobEndpoint).port);
    // A TCP relay to Azurite that drops the first connection it is given.
    let connections = 0;
    const relay = net.createServer((socket) => {
      connections += 1;
      if (connections === 1) {
        socket.destroy();
        return;
      }
      const upstream = net.connect(azuritePort, '127.0.0.1');
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => {
      relay.close(() => resolve());
    }));
    const gateway = await gatewayTo((relay.address() as net.AddressInfo).port);

    const client = new BlobServiceClient(gateway.blobEndpoint, credential, { retryOptions: { retryDelayInMs: 200 } });
    const answer = await client.getContainerClient('dropped-once').createIfNotExists();
    assert.equal(answer.succeeded, true);
    assert.equal(connections, 2, 'one dropped connection, one that reached Azurite');
    const direct = new BlobServiceClient(azurite.blobEndpoint, credential);
    assert.equal(await direct.getContainerClient('dropped-once').exists(), true);
  });
});
