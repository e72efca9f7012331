/**
 * Back Up Model to Storage against the local workspace (Azurite and the local file share),
 * with a counting proxy in front of blob storage: blob sources are copied by the service (only
 * copy requests pass, no file bytes), file share sources stream, a re-run skips what is there.
 */
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { connectLocalWorkspace } from '../../src/azure/localWorkspace';
import type { WorkspaceClient } from '../../src/azure/workspaceClient';
import { backupModelVersion, openBackupDestination } from '../../src/core/models/backupModel';
import { openDatastoreForTransfer } from '../../src/core/transfer/openDatastore';
import { ensureBuilt, repoRoot } from '../support/repo';
import { startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';

interface Seen { method: string; path: string; copySource: boolean; requestBytes: number; responseBytes: number }

/** A reverse proxy that counts every request and the body bytes each way. */
async function countingProxy(upstream: string): Promise<{ origin: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const target = new URL(upstream);
  const server = http.createServer((request, response) => {
    const record: Seen = { method: request.method ?? '', path: decodeURIComponent((request.url ?? '').split('?')[0]!), copySource: 'x-ms-copy-source' in request.headers, requestBytes: 0, responseBytes: 0 };
    seen.push(record);
    const forward = http.request({ host: target.hostname, port: target.port, method: request.method, path: request.url, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.on('data', (chunk: Buffer) => { record.responseBytes += chunk.length; });
      answer.pipe(response);
    });
    forward.on('error', () => response.destroy());
    request.on('data', (chunk: Buffer) => { record.requestBytes += chunk.length; });
    request.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, seen, close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

describe('Back Up Model to Storage against the local workspace', function () {
  this.timeout(120_000);
  let local: StartedLocalWorkspace;
  let direct: WorkspaceClient;
  let proxy: Awaited<ReturnType<typeof countingProxy>>;
  let client: WorkspaceClient;
  const big = randomBytes(3 * 1024 * 1024 + 7);

  before(async () => {
    local = await startLocalWorkspace();
    direct = connectLocalWorkspace(local.connection).workspaceClient;
    proxy = await countingProxy(local.connection.blobEndpoint);
    client = connectLocalWorkspace({ ...local.connection, blobEndpoint: `${proxy.origin}${new URL(local.connection.blobEndpoint).pathname}` }).workspaceClient;
    const blob = await openDatastoreForTransfer(direct, await direct.datastores.get('workspaceblobstore'), undefined);
    const share = await openDatastoreForTransfer(direct, await direct.datastores.get('workspacefilestore'), undefined);
    if (blob.kind !== 'blob' || share.kind !== 'file') throw new Error('unexpected datastore kinds');
    await blob.container.createIfNotExists();
    await blob.container.getBlockBlobClient('models/churn/v3/weights.bin').uploadData(big);
    await blob.container.getBlockBlobClient('models/churn/v3/conf/params.yaml').upload('depth: 3\n', 9);
    await share.share.createIfNotExists();
    await share.share.getDirectoryClient('models').createIfNotExists();
    await share.share.getDirectoryClient('models/onshare').createIfNotExists();
    const file = share.share.getDirectoryClient('models/onshare').getFileClient('model.onnx');
    await file.create(5);
    await file.uploadRange('onnx!', 0, 5);
    await direct.models.createOrUpdate('churn', {});
    await direct.models.createOrUpdateVersion('churn', '3', { modelUri: 'azureml://datastores/workspaceblobstore/paths/models/churn/v3/', tags: { stage: 'prod' } });
    await direct.models.createOrUpdate('shared', {});
    await direct.models.createOrUpdateVersion('shared', '1', { modelUri: 'azureml://datastores/workspacefilestore/paths/models/onshare/' });
  });
  after(async () => {
    await proxy?.close();
    await local?.dispose();
  });

  const readBack = async (name: string): Promise<Buffer> => {
    const artifacts = await openDatastoreForTransfer(direct, await direct.datastores.get('workspaceartifactstore'), undefined);
    if (artifacts.kind !== 'blob') throw new Error('blob expected');
    return artifacts.container.getBlobClient(name).downloadToBuffer();
  };

  it('copies blob to blob on the service side: only copy requests, no file bytes through the client', async () => {
    const destination = await openBackupDestination(client, { kind: 'datastore', name: 'workspaceartifactstore' }, undefined);
    proxy.seen.length = 0;
    const result = await backupModelVersion({ client, version: await client.models.getVersion('churn', '3'), destination, destinationPrefix: 'backups' });
    assert.deepEqual([result.copiedServerSide, result.streamed, result.skipped, result.failed], [2, 0, 0, []]);
    assert.ok((await readBack('backups/churn/3/weights.bin')).equals(big));
    assert.equal((await readBack('backups/churn/3/conf/params.yaml')).toString(), 'depth: 3\n');
    const metadata = JSON.parse((await readBack('backups/churn/3/model.json')).toString()) as Record<string, unknown>;
    assert.deepEqual([metadata['name'], metadata['version'], metadata['tags']], ['churn', '3', { stage: 'prod' }]);

    const writes = proxy.seen.filter((s) => s.method === 'PUT' && /backups\/churn\/3\/(weights\.bin|conf\/params\.yaml)$/.test(s.path));
    assert.equal(writes.length, 2);
    assert.ok(writes.every((w) => w.copySource && w.requestBytes === 0), 'each file is a Copy Blob from URL with no body');
    assert.deepEqual(proxy.seen.filter((s) => s.method === 'GET' && /models\/churn\/v3\//.test(s.path)), [], 'no source file was read here');
    const moved = proxy.seen.reduce((sum, s) => sum + s.requestBytes + s.responseBytes, 0);
    assert.ok(moved < 64 * 1024, `only small requests passed (${moved} bytes), not the ${big.length}-byte file`);
  });

  it('a re-run skips what is already there unchanged', async () => {
    const destination = await openBackupDestination(client, { kind: 'datastore', name: 'workspaceartifactstore' }, undefined);
    const result = await backupModelVersion({ client, version: await client.models.getVersion('churn', '3'), destination, destinationPrefix: 'backups' });
    assert.deepEqual([result.copiedServerSide, result.skipped], [0, 2]);
  });

  it('does not overwrite the backup of another model with the same name and version (another workspace\'s), nor mix files into it', async () => {
    const destination = await openBackupDestination(client, { kind: 'datastore', name: 'workspaceartifactstore' }, undefined);
    const theirs = `${JSON.stringify({ name: 'churn', version: '3', modelUri: 'azureml://datastores/workspaceblobstore/paths/models/churn/v3/', createdAt: '2025-01-02T03:04:05.000Z' })}\n`;
    await destination.getBlockBlobClient('team/churn/3/model.json').upload(theirs, theirs.length);
    await destination.getBlockBlobClient('team/churn/3/weights.bin').upload('their weights', 13);
    await assert.rejects(backupModelVersion({ client, version: await client.models.getVersion('churn', '3'), destination, destinationPrefix: 'team' }),
      /team\/churn\/3\/ already holds the backup of another model churn version 3 \(registered 2025-01-02T03:04:05\.000Z, stored at azureml:\/\/datastores\/workspaceblobstore\/paths\/models\/churn\/v3\/\): choose another folder for this one, or delete that backup first\. Nothing was copied\./);
    assert.equal((await readBack('team/churn/3/weights.bin')).toString(), 'their weights');
    assert.equal((await readBack('team/churn/3/model.json')).toString(), theirs);
    await assert.rejects(readBack('team/churn/3/conf/params.yaml'), (error: { statusCode?: number }) => error.statusCode === 404);
  });

  it('streams file share sources', async () => {
    const destination = await openBackupDestination(client, { kind: 'datastore', name: 'workspaceartifactstore' }, undefined);
    const result = await backupModelVersion({ client, version: await client.models.getVersion('shared', '1'), destination });
    assert.deepEqual([result.copiedServerSide, result.streamed, result.failed], [0, 1, []]);
    assert.equal((await readBack('shared/1/model.onnx')).toString(), 'onnx!');
  });

  it('refuses a file share as the destination, and azml backup-model reports the copy', async () => {
    await assert.rejects(openBackupDestination(client, { kind: 'datastore', name: 'workspacefilestore' }, undefined), /a model backup goes into a blob container/);
    ensureBuilt();
    const cli = spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), 'backup-model', '--name', 'churn', '--version', '3', '--to-datastore', 'workspaceartifactstore', '--prefix', 'cli', '--local', '--data', local.dataDir], { encoding: 'utf8', timeout: 90_000 });
    assert.equal(cli.status, 0, cli.stderr);
    assert.match(cli.stdout, /copied by the storage service: 2 files/);
    assert.doesNotMatch(cli.stdout + cli.stderr, /sig=/, 'no SAS in the output');
  });
});
