import { ShareServiceClient, StorageSharedKeyCredential } from '@azure/storage-file-share';
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLocalStorageTargets } from '../../../src/local/demoStorage';
import { devStorageAccount } from '../../../src/local/devStorageAccount';
import { startFileService, type RunningFileService } from '../../../src/local/fileService';
import { createWorkspaceApi, type WorkspaceApi } from '../../../src/local/workspaceApi';
import { startStalledServer, type StalledServer } from '../../support/stalledServer';
import { apiVersion, resourceGroup, subscriptionId, token, waitFor, ws, type Reply } from './harness';

const workspaces = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces`;
const storageTimeoutMs = 3000;
const accountKey = randomBytes(64).toString('base64');

/**
 * The workspace API creates containers and shares while answering some requests. When the storage
 * stalls (a stopped Azurite, a port that never answers), such a request fails once its deadline has
 * passed, saying which storage did not answer, and no other change waits for it.
 */
describe('workspace API: a storage that stops answering', () => {
  let stateDir: string;
  let stalled: StalledServer;
  let files: RunningFileService;
  let api: WorkspaceApi;
  let server: http.Server;
  let port: number;
  const blobEndpoint = (): string => `${stalled.url}/${devStorageAccount.name}`;

  before(async () => {
    stateDir = await fs.mkdtemp(path.join(os.tmpdir(), 'workspace-api-stalled-'));
    stalled = await startStalledServer();
    files = await startFileService({
      rootDir: path.join(stateDir, 'files'), accountName: devStorageAccount.name, accountKey,
    });
    api = await createWorkspaceApi({
      stateDir: path.join(stateDir, 'workspace'),
      token,
      tenantId: '72f988bf-0000-0000-0000-000000000000',
      subscriptionId,
      resourceGroup,
      location: 'local',
      storage: {
        accountName: devStorageAccount.name, accountKey,
        blobEndpoint: blobEndpoint(), fileEndpoint: files.url, endpointSuffix: 'local',
      },
      storageTimeoutMs,
    });
    // As the local service wires it: the blob service is the stalled one, the file service answers.
    api.onWorkspaceStorageNeeded((targets, signal) =>
      createLocalStorageTargets({ blobEndpoint: blobEndpoint(), fileEndpoint: files.url, accountKey }, targets, signal));
    server = http.createServer((req, res) => api.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await api.close();
    await files.close();
    await stalled.close();
    await fs.rm(stateDir, { recursive: true, force: true });
  });

  async function call(method: string, pathAndQuery: string, body?: unknown): Promise<Reply> {
    const response = await fetch(`http://127.0.0.1:${port}${pathAndQuery}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined, text };
  }

  const tagCode = (stage: string): Promise<Reply> =>
    call('PUT', `${ws}/codes/tagged?${apiVersion}`, { properties: { tags: { stage } } });

  it('fails a workspace PUT after the deadline, naming the storage it waited for, while other changes go on', async () => {
    const started = Date.now();
    let settled = false;
    const put = call('PUT', `${workspaces}/stalled-ws?${apiVersion}`, { location: 'local' }).finally(() => {
      settled = true;
    });
    await stalled.connected();

    const tagged = await tagCode('one');
    assert.equal(tagged.status, 201, tagged.text);
    assert.equal(settled, false, 'the tag update was answered while the stalled PUT still waited for the storage');
    assert.ok(Date.now() - started < storageTimeoutMs / 2, 'the tag update did not wait for the stalled PUT\'s deadline');

    const reply = await put;
    const elapsed = Date.now() - started;
    assert.equal(reply.status, 503, reply.text);
    assert.equal(reply.body.error.code, 'StorageNotResponding');
    const message: string = reply.body.error.message;
    assert.ok(message.startsWith('The local storage did not answer within 3 seconds while creating the containers \'azureml-blobstore-'), message);
    assert.ok(message.includes(`(blob service ${blobEndpoint()})`), message);
    assert.match(message, /The workspace 'stalled-ws' was saved; sending the same request again creates what is missing\. Check that the local workspace's storage is running/);
    assert.ok(elapsed >= storageTimeoutMs - 50 && elapsed < storageTimeoutMs + 5000, `answered after ${elapsed} ms`);

    // What the message says is true: the workspace is there, and so is the share the file service made.
    const saved = await call('GET', `${workspaces}/stalled-ws?${apiVersion}`);
    assert.equal(saved.status, 200);
    const shares = new ShareServiceClient(files.url, new StorageSharedKeyCredential(devStorageAccount.name, accountKey));
    assert.equal(await shares.getShareClient(`azureml-filestore-${saved.body.properties.workspaceId}`).exists(), true);
    // The stalled calls were given up, not left hanging.
    await waitFor(() => stalled.openConnections() === 0);

    const taggedAgain = await tagCode('two');
    assert.equal(taggedAgain.status, 200, taggedAgain.text);
    assert.deepEqual(taggedAgain.body.properties.tags, { stage: 'two' });
  });

  it('fails a code upload request after the deadline without handing out an upload location', async () => {
    const started = Date.now();
    const reply = await call('POST', `${ws}/codes/snapshot/versions/1/startPendingUpload?${apiVersion}`, {});
    const elapsed = Date.now() - started;
    assert.equal(reply.status, 503, reply.text);
    assert.match(reply.body.error.message, /^The local storage did not answer within 3 seconds while creating the container 'code-[0-9a-f-]+' \(blob service http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\)\. No upload location was handed out\. Check that/);
    assert.equal(reply.body.blobReferenceForConsumption, undefined);
    assert.ok(elapsed < storageTimeoutMs + 5000, `answered after ${elapsed} ms`);
    await waitFor(() => stalled.openConnections() === 0);
    assert.equal((await tagCode('three')).status, 200);
  });
});
