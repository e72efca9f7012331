import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { StorageSharedKeyCredential } from '@azure/storage-blob';
import { renameUnlistableBlobs } from '../../src/local/unlistableBlobs';

describe('renaming blobs Azurite cannot list, at the local workspace\'s start', () => {
  it('gives up on a blob when Azurite stops answering, saying so, instead of holding up the start', async () => {
    const stalled = http.createServer(() => undefined);
    await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = `http://127.0.0.1:${(stalled.address() as AddressInfo).port}/devstoreaccount1`;
      const started = Date.now();
      const lines = await renameUnlistableBlobs([{ container: 'data', name: 'bad\u0001name.txt' }], endpoint,
        new StorageSharedKeyCredential('devstoreaccount1', Buffer.alloc(64, 1).toString('base64')), 500);
      assert.ok(Date.now() - started < 10_000, `gave up after ${Date.now() - started} ms`);
      assert.equal(lines.length, 1);
      assert.match(lines[0]!, /^could not rename blob "data\/bad\\u0001name\.txt", whose name Azurite cannot list: /);
    } finally {
      stalled.closeAllConnections();
      await new Promise((resolve) => stalled.close(resolve));
    }
  });
});
