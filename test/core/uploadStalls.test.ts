import * as assert from 'node:assert/strict';
import { once } from 'node:events';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { localCloud } from '../../src/azure/cloud';
import { openDatastoreStorage } from '../../src/azure/datastoreStorage';
import { toAzureMlError } from '../../src/azure/errors';
import { defaultNetworkSettings } from '../../src/azure/networkSettings';
import { useNetworkSettings } from '../../src/azure/transport';

type Reading = 'slowly' | 'never';

/** A blob endpoint on loopback that reads an upload's body slowly (64 KiB every 10 ms) or never. */
async function startBlobEndpoint(reading: Reading): Promise<{ url: string; received(): number; close(): Promise<void> }> {
  let received = 0;
  const server = http.createServer((request, response) => {
    if (reading === 'never') {
      request.pause();
      return;
    }
    request.on('readable', function readSome() {
      const chunk = request.read(64 * 1024) as Buffer | null;
      if (chunk === null) return;
      received += chunk.length;
      request.removeListener('readable', readSome);
      setTimeout(() => {
        request.on('readable', readSome);
        readSome();
      }, 10);
    });
    request.on('end', () => {
      response.writeHead(201, { etag: '"0x1"', 'last-modified': new Date().toUTCString(), 'x-ms-request-server-encrypted': 'true' }).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/devstoreaccount1`,
    received: () => received,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function containerAt(url: string) {
  const storage = openDatastoreStorage({
    cloud: localCloud({ armEndpoint: url, blobEndpoint: url, fileEndpoint: url, queueEndpoint: url }),
    datastore: {
      id: 'd', name: 'uploads', datastoreType: 'AzureBlob', accountName: 'devstoreaccount1', containerName: 'data',
      endpoint: 'local', credentialsType: 'AccountKey', isDefault: false, tags: {}, properties: {},
    },
    secrets: { secretsType: 'AccountKey', key: Buffer.from('key').toString('base64') },
  });
  return storage.kind === 'blob' ? storage.container : assert.fail('a blob datastore');
}

describe('uploads through the transport: a long upload that moves lives, a stalled one ends', function () {
  this.timeout(120_000);
  const body = Buffer.alloc(32 * 1024 * 1024, 7);
  afterEach(() => useNetworkSettings(defaultNetworkSettings));

  it('an upload read slowly for longer than the no-progress timeout completes', async () => {
    const endpoint = await startBlobEndpoint('slowly');
    try {
      // About 5 s of reading; the kernel's socket buffers (a few MB) drain within the timeout.
      useNetworkSettings({ ...defaultNetworkSettings, noProgressTimeoutMs: { metadata: 2_500, transfer: 2_500 } });
      await containerAt(endpoint.url).getBlockBlobClient('big.bin').upload(body, body.length);
      assert.equal(endpoint.received(), body.length);
    } finally {
      await endpoint.close();
    }
  });

  it('an upload the service stops reading fails after the timeout, naming the service and what to do', async () => {
    const endpoint = await startBlobEndpoint('never');
    try {
      useNetworkSettings({ ...defaultNetworkSettings, noProgressTimeoutMs: { metadata: 500, transfer: 500 } });
      const error = await containerAt(endpoint.url).getBlockBlobClient('big.bin').upload(body, body.length).then(
        () => assert.fail('the upload should fail'), (e: unknown) => toAzureMlError(e));
      assert.equal(error.code, 'ServiceNotAnswering');
      assert.match(error.message, /^Azure Blob Storage \(127\.0\.0\.1:\d+\) stopped answering: nothing arrived for 500 ms\. Check your network/);
    } finally {
      await endpoint.close();
    }
  });
});
