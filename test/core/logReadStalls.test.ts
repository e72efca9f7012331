import * as assert from 'node:assert/strict';
import { once } from 'node:events';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultNetworkSettings } from '../../src/azure/networkSettings';
import { useNetworkSettings } from '../../src/azure/transport';
import { fetchRange } from '../../src/core/logRangeReader';

/** A log storage on loopback that sends `chunks` pieces of the body, `intervalMs` apart, then stalls or ends. */
async function startTricklingServer(chunks: number, intervalMs: number, end: boolean): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain' });
    let sent = 0;
    const timer = setInterval(() => {
      if (sent === chunks) {
        clearInterval(timer);
        if (end) response.end();
        return;
      }
      response.write(`line ${sent}\n`);
      sent += 1;
    }, intervalMs);
    response.on('close', () => clearInterval(timer));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/logs/std_log.txt?sig=secret`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('log reads (a plain request through the transport): long transfers live, stalled ones end', () => {
  afterEach(() => useNetworkSettings(defaultNetworkSettings));

  it('a read that keeps moving completes even when it takes far longer than the no-progress timeout', async () => {
    const server = await startTricklingServer(40, 50, true);
    try {
      useNetworkSettings({ ...defaultNetworkSettings, noProgressTimeoutMs: { metadata: 1_000, transfer: 1_000 } });
      const read = await fetchRange(server.url, 0);
      assert.equal(read.kind, 'data');
      const text = read.kind === 'data' ? Buffer.from(read.bytes).toString() : '';
      assert.equal(text.split('\n').filter(Boolean).length, 40);
    } finally {
      await server.close();
    }
  });

  it('a read whose body stops midway fails with what to do, and the SAS stays out of the message', async () => {
    const server = await startTricklingServer(3, 10, false);
    try {
      useNetworkSettings({ ...defaultNetworkSettings, noProgressTimeoutMs: { metadata: 300, transfer: 300 } });
      await assert.rejects(fetchRange(server.url, 0), (error: Error) => {
        assert.equal(error.name, 'LogReadError');
        assert.match(error.message, /^The log storage \(127\.0\.0\.1:\d+\) stopped answering: nothing arrived for 300 ms\. Check your network/);
        assert.doesNotMatch(error.message, /secret/);
        return true;
      });
    } finally {
      await server.close();
    }
  });
});
