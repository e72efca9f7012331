import * as assert from 'node:assert/strict';
import { localCloud, type Cloud } from '../../src/azure/cloud';
import { createFixedTokenCredential } from '../../src/azure/credentials';
import { openDatastoreStorage } from '../../src/azure/datastoreStorage';
import type { Datastore } from '../../src/azure/domain';
import { defaultNetworkSettings } from '../../src/azure/networkSettings';
import { ResourceManagerClient } from '../../src/azure/resourceManagerClient';
import { listFolder } from '../../src/azure/storageListing';
import { useNetworkSettings } from '../../src/azure/transport';
import { rejection } from '../support/rejection';
import { startStalledServer, type StalledServer } from '../support/stalledServer';
import { StubServer, stubCloud, stubCredential } from './stubServer';

function cloudAt(url: string): Cloud {
  return localCloud({ armEndpoint: url, blobEndpoint: `${url}/devstoreaccount1`, fileEndpoint: `${url}/devstoreaccount1`, queueEndpoint: url });
}

const blobDatastore: Datastore = {
  id: 'stalled', name: 'stalled', datastoreType: 'AzureBlob', accountName: 'devstoreaccount1', containerName: 'data',
  endpoint: 'local', credentialsType: 'AccountKey', isDefault: false, tags: {}, properties: {},
};

describe('network timeouts and cancel (a service that accepts and never answers)', () => {
  let stalled: StalledServer;
  beforeEach(async () => {
    stalled = await startStalledServer();
  });
  afterEach(async () => {
    useNetworkSettings(defaultNetworkSettings);
    await stalled.close();
  });

  it('a list call fails after the no-progress timeout, naming the service and what to do', async () => {
    useNetworkSettings({ ...defaultNetworkSettings, noProgressTimeoutMs: { metadata: 300, transfer: 300 } });
    const client = new ResourceManagerClient(cloudAt(stalled.url), createFixedTokenCredential('t'));
    const error = await rejection(client.listSubscriptions());
    assert.equal(error.code, 'ServiceNotAnswering');
    assert.match(error.message, /^Azure Resource Manager \(127\.0\.0\.1:\d+\) stopped answering: nothing arrived for 300 ms\./);
    assert.match(error.message, /Check your network connection and proxy settings/);
  });

  it('a storage listing fails the same way, naming the storage service', async () => {
    useNetworkSettings({ ...defaultNetworkSettings, noProgressTimeoutMs: { metadata: 300, transfer: 300 } });
    const storage = openDatastoreStorage({
      cloud: cloudAt(stalled.url), datastore: blobDatastore,
      secrets: { secretsType: 'AccountKey', key: Buffer.from('key').toString('base64') },
    });
    const error = await rejection(listFolder(storage, ''));
    assert.equal(error.code, 'ServiceNotAnswering');
    assert.match(error.message, /^Azure Blob Storage \(127\.0\.0\.1:\d+\) stopped answering/);
  });

  it('a file share listing fails the same way, naming Azure Files', async () => {
    useNetworkSettings({ ...defaultNetworkSettings, noProgressTimeoutMs: { metadata: 300, transfer: 300 } });
    const storage = openDatastoreStorage({
      cloud: cloudAt(stalled.url), datastore: { ...blobDatastore, datastoreType: 'AzureFile', fileShareName: 'share' },
      secrets: { secretsType: 'AccountKey', key: Buffer.from('key').toString('base64') },
    });
    const error = await rejection(listFolder(storage, 'folder'));
    assert.equal(error.code, 'ServiceNotAnswering');
    assert.match(error.message, /^Azure Files \(127\.0\.0\.1:\d+\) stopped answering/);
  });

  it('a caller\'s abort ends a stalled call at once, as a cancel', async () => {
    // Timeouts far beyond the test's own: only the abort can end this call.
    useNetworkSettings({ ...defaultNetworkSettings, noProgressTimeoutMs: { metadata: 600_000, transfer: 600_000 } });
    const client = new ResourceManagerClient(cloudAt(stalled.url), createFixedTokenCredential('t'));
    const abort = new AbortController();
    const listing = client.listSubscriptions({ abortSignal: abort.signal });
    await stalled.connected();
    abort.abort();
    await assert.rejects(listing, (e: Error) => e.name === 'AbortError');
  });

  it('a caller\'s abort ends a stalled storage listing too', async () => {
    useNetworkSettings({ ...defaultNetworkSettings, noProgressTimeoutMs: { metadata: 600_000, transfer: 600_000 } });
    const storage = openDatastoreStorage({
      cloud: cloudAt(stalled.url), datastore: blobDatastore,
      secrets: { secretsType: 'AccountKey', key: Buffer.from('key').toString('base64') },
    });
    const abort = new AbortController();
    const listing = listFolder(storage, '', { abortSignal: abort.signal });
    await stalled.connected();
    abort.abort();
    await assert.rejects(listing, (e: Error) => e.name === 'AbortError');
  });
});

describe('network timeouts: an answer still arriving is not a stalled one', () => {
  let stub: StubServer;
  before(async () => {
    stub = await StubServer.start();
  });
  afterEach(() => {
    useNetworkSettings(defaultNetworkSettings);
  });
  after(async () => {
    await stub.close();
  });

  it('a list whose body trickles in (a chunk every 250 ms, 2 s in all) completes under a 1 s timeout, sent once', async () => {
    useNetworkSettings({ ...defaultNetworkSettings, noProgressTimeoutMs: { metadata: 1000, transfer: 1000 } });
    const value = Array.from({ length: 40 }, (_, i) => ({
      id: `/subscriptions/s${i}`, subscriptionId: `s${i}`, displayName: `Subscription ${i}`, tenantId: 't', state: 'Enabled',
    }));
    stub.answer(() => ({ status: 200, body: { value }, trickle: { chunks: 9, everyMs: 250 } }));
    const page = await new ResourceManagerClient(stubCloud(stub), stubCredential()).listSubscriptions();
    assert.equal(page.items.length, 40);
    assert.equal(stub.requests.length, 1, 'not sent again as a lost answer');
  });

  it('an answer cut off mid-body is sent again at once, not after the timeout', async () => {
    useNetworkSettings({ ...defaultNetworkSettings, noProgressTimeoutMs: { metadata: 20_000, transfer: 20_000 } });
    let calls = 0;
    stub.answer(() => (++calls === 1
      ? { status: 200, body: { value: [{ id: '/subscriptions/s1', subscriptionId: 's1', displayName: 'One', tenantId: 't', state: 'Enabled' }] }, cutOff: true }
      : { status: 200, body: { value: [] } }));
    const started = Date.now();
    const page = await new ResourceManagerClient(stubCloud(stub), stubCredential()).listSubscriptions();
    assert.deepEqual(page.items, []);
    assert.equal(stub.requests.length, 2);
    assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
  });

  it('a body that stops arriving half-way still fails after the timeout', async () => {
    useNetworkSettings({ ...defaultNetworkSettings, noProgressTimeoutMs: { metadata: 300, transfer: 300 } });
    stub.answer(() => ({ status: 200, body: { value: [] }, trickle: { chunks: 2, everyMs: 60_000 } }));
    const error = await rejection(new ResourceManagerClient(stubCloud(stub), stubCredential()).listSubscriptions());
    assert.equal(error.code, 'ServiceNotAnswering');
  });
});
