import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ContainerClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { startAzurite } from '../../src/local/azuriteProcess';
import { devStorageAccount } from '../../src/local/devStorageAccount';
import { findFreePorts } from '../../src/local/freePort';
import { readOrCreateStorageKey } from '../../src/local/storageKeyFile';

describe('local workspace: Azurite when a port it was given is taken before it binds it', function () {
  this.timeout(60000);
  let location: string;
  let squatter: net.Server;
  let takenPort: number;

  before(async () => {
    location = mkdtempSync(path.join(os.tmpdir(), 'azml-azurite-ports-'));
    squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    takenPort = (squatter.address() as net.AddressInfo).port;
  });
  after(async () => {
    await new Promise<void>((resolve) => squatter.close(() => resolve()));
    rmSync(location, { recursive: true, force: true });
  });

  it('starts again on other ports, and its blob service answers', async () => {
    const chosen: number[][] = [];
    const log: string[] = [];
    const { key } = await readOrCreateStorageKey(location);
    const azurite = await startAzurite({
      location, accountName: devStorageAccount.name, accountKey: key, log: (line) => log.push(line),
      // The first choice's blob port is taken (as by another process between the choice and Azurite's bind).
      choosePorts: async () => {
        const ports = chosen.length === 0 ? [takenPort, ...(await findFreePorts(2))] : await findFreePorts(3);
        chosen.push(ports);
        return ports;
      },
    });
    try {
      assert.equal(chosen.length, 2, log.join('\n'));
      assert.ok(log.some((l) => /exited with code 1 before it was ready: .*EADDRINUSE.*; starting it again on other ports/.test(l)), log.join('\n'));
      assert.equal(new URL(azurite.blobEndpoint).port, String(chosen[1][0]));
      const container = new ContainerClient(`${azurite.blobEndpoint}/ports`, new StorageSharedKeyCredential(devStorageAccount.name, key));
      await container.create();
      assert.equal(await container.exists(), true);
    } finally {
      await azurite.stop();
    }
  });
});
