/**
 * Back Up Model to Storage against the local workspace (Azurite and the local file share),
 * with a counting proxy in front of blob storage: blob sources are copied by the service (only
 * copy requests pass, no file bytes), file share sources stream, a re-run skips what is there.
 * An unfinished backup still says whose it is; a large copy the service leaves pending without
 * progress (answered by a proxy, as Azurite copies at once) is stopped after a while.
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
import { createWorkspace, startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';

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

interface CopyStall { origin: string; copyStarted: boolean; propertyReads: number; aborts: string[]; close(): Promise<void> }

/**
 * A reverse proxy in front of Azurite that answers as Blob storage does for one destination
 * blob whose asynchronous copy (Copy Blob) stays pending: Get Blob Properties says
 * `x-ms-copy-status: pending` forever, its progress moving for the first few reads and then no
 * more; Abort Copy Blob is recorded. Every other request goes to Azurite.
 */
async function copyStallProxy(upstream: string, blobPath: string, sourceSize: number): Promise<CopyStall> {
  const target = new URL(upstream);
  const copyId = 'c0ffee00-0000-4000-8000-000000000001';
  const state: CopyStall = { origin: '', copyStarted: false, propertyReads: 0, aborts: [], close: async () => undefined };
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://proxy');
    const common = { 'x-ms-request-id': randomBytes(8).toString('hex'), 'x-ms-version': String(request.headers['x-ms-version'] ?? '2021-12-02'), date: new Date().toUTCString() };
    if (decodeURIComponent(url.pathname).endsWith(blobPath)) {
      if (request.method === 'PUT' && url.searchParams.get('comp') === 'copy' && request.headers['x-ms-copy-action'] === 'abort') {
        state.aborts.push(url.searchParams.get('copyid') ?? '');
        response.writeHead(204, common).end();
        return;
      }
      if (request.method === 'PUT' && 'x-ms-copy-source' in request.headers && request.headers['x-ms-requires-sync'] === undefined) {
        state.copyStarted = true;
        request.resume();
        response.writeHead(202, { ...common, etag: '"0x8DC0000000000001"', 'last-modified': new Date().toUTCString(), 'x-ms-copy-id': copyId, 'x-ms-copy-status': 'pending', 'content-length': '0' }).end();
        return;
      }
      if (request.method === 'HEAD' && state.copyStarted) {
        state.propertyReads++;
        response.writeHead(200, {
          ...common, etag: '"0x8DC0000000000001"', 'last-modified': new Date().toUTCString(), 'content-length': '0', 'x-ms-blob-type': 'BlockBlob',
          'x-ms-copy-id': copyId, 'x-ms-copy-status': 'pending', 'x-ms-copy-progress': `${Math.min(state.propertyReads, 5) * 1000}/${sourceSize}`,
        }).end();
        return;
      }
    }
    const forward = http.request({ host: target.hostname, port: target.port, method: request.method, path: request.url, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    forward.on('error', () => response.destroy());
    request.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
  return state;
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

  describe('an unfinished backup (canceled after its first file)', () => {
    let other: WorkspaceClient;
    before(async () => {
      const blob = await openDatastoreForTransfer(direct, await direct.datastores.get('workspaceblobstore'), undefined);
      if (blob.kind !== 'blob') throw new Error('blob expected');
      await blob.container.getBlockBlobClient('models/dup/a.bin').upload('ours: a', 7);
      await blob.container.getBlockBlobClient('models/dup/b.bin').upload('ours: b', 7);
      await direct.models.createOrUpdate('dup', {});
      await direct.models.createOrUpdateVersion('dup', '1', { modelUri: 'azureml://datastores/workspaceblobstore/paths/models/dup/' });
      // The same name and version in another workspace, with other files of the same names.
      await createWorkspace(local, 'other-ws');
      other = connectLocalWorkspace({ ...local.connection, workspace: 'other-ws' }).workspaceClient;
      const theirs = await openDatastoreForTransfer(other, await other.datastores.get('workspaceblobstore'), undefined);
      if (theirs.kind !== 'blob') throw new Error('blob expected');
      await theirs.container.createIfNotExists();
      await theirs.container.getBlockBlobClient('models/dup/a.bin').upload('theirs: a!', 10);
      await theirs.container.getBlockBlobClient('models/dup/b.bin').upload('theirs: b!', 10);
      await other.models.createOrUpdate('dup', {});
      await other.models.createOrUpdateVersion('dup', '1', { modelUri: 'azureml://datastores/workspaceblobstore/paths/models/dup/' });
    });

    it('keeps saying whose it is: the same name and version from another workspace is refused and its files left alone', async () => {
      const destination = await openBackupDestination(client, { kind: 'datastore', name: 'workspaceartifactstore' }, undefined);
      const controller = new AbortController();
      const canceled = await backupModelVersion({
        client, version: await client.models.getVersion('dup', '1'), destination, destinationPrefix: 'shared', signal: controller.signal,
        onProgress: (p) => { if (p.filesDone === 1) controller.abort(); },
      });
      assert.deepEqual([canceled.canceled, canceled.copiedServerSide, canceled.failed], [true, 1, []]);
      assert.equal((await readBack('shared/dup/1/a.bin')).toString(), 'ours: a');
      await assert.rejects(readBack('shared/dup/1/model.json'), (error: { statusCode?: number }) => error.statusCode === 404, 'model.json still means a finished backup');
      assert.equal(JSON.parse((await readBack('shared/dup/1/azureml-backup-incomplete.json')).toString()).backupState, 'incomplete');

      // Another workspace's backup into the same container (its artifact store is the same one).
      const theirDestination = await openBackupDestination(other, { kind: 'datastore', name: 'workspaceartifactstore' }, undefined);
      const ours = await client.models.getVersion('dup', '1');
      await assert.rejects(backupModelVersion({ client: other, version: await other.models.getVersion('dup', '1'), destination: theirDestination, destinationPrefix: 'shared' }),
        (error: Error) => {
          assert.match(error.message, /shared\/dup\/1\/ holds an unfinished backup of another model dup version 1 \(registered (\S+), stored at azureml:\/\/datastores\/workspaceblobstore\/paths\/models\/dup\/\): choose another folder for this one, or finish or delete that backup first\. Nothing was copied\./);
          assert.ok(error.message.includes(ours.createdAt!.toISOString()), error.message);
          return true;
        });
      assert.equal((await readBack('shared/dup/1/a.bin')).toString(), 'ours: a');
      await assert.rejects(readBack('shared/dup/1/b.bin'), (error: { statusCode?: number }) => error.statusCode === 404);
    });

    it('a re-run of the same version finishes it, and it is then a finished backup', async () => {
      const destination = await openBackupDestination(client, { kind: 'datastore', name: 'workspaceartifactstore' }, undefined);
      const result = await backupModelVersion({ client, version: await client.models.getVersion('dup', '1'), destination, destinationPrefix: 'shared' });
      assert.deepEqual([result.canceled, result.copiedServerSide, result.skipped, result.failed], [false, 1, 1, []]);
      assert.equal((await readBack('shared/dup/1/b.bin')).toString(), 'ours: b');
      assert.equal(JSON.parse((await readBack('shared/dup/1/model.json')).toString()).name, 'dup');
      await assert.rejects(readBack('shared/dup/1/azureml-backup-incomplete.json'), (error: { statusCode?: number }) => error.statusCode === 404);
      const theirDestination = await openBackupDestination(other, { kind: 'datastore', name: 'workspaceartifactstore' }, undefined);
      await assert.rejects(backupModelVersion({ client: other, version: await other.models.getVersion('dup', '1'), destination: theirDestination, destinationPrefix: 'shared' }),
        /shared\/dup\/1\/ already holds the backup of another model dup version 1 /);
      assert.equal((await readBack('shared/dup/1/a.bin')).toString(), 'ours: a');
    });

    it('files there with no record of whose they are (an older unfinished backup, other data) are not overwritten', async () => {
      const destination = await openBackupDestination(client, { kind: 'datastore', name: 'workspaceartifactstore' }, undefined);
      await destination.getBlockBlobClient('loose/dup/1/a.bin').upload('somebody', 8);
      await assert.rejects(backupModelVersion({ client, version: await client.models.getVersion('dup', '1'), destination, destinationPrefix: 'loose' }),
        /loose\/dup\/1\/ already holds files \(such as a\.bin\) but no record of which model they belong to: they may be an unfinished backup of another model\. Choose another folder for this one, or delete those files first\. Nothing was copied\./);
      assert.equal((await readBack('loose/dup/1/a.bin')).toString(), 'somebody');
      await assert.rejects(readBack('loose/dup/1/azureml-backup-incomplete.json'), (error: { statusCode?: number }) => error.statusCode === 404);
    });
  });

  it('stops a large server-side copy that makes no progress for the stall limit, aborting it on the service', async () => {
    const size = 256 * 1024 * 1024 + 1; // above the limit for Copy Blob from URL: an asynchronous Copy Blob
    const blob = await openDatastoreForTransfer(direct, await direct.datastores.get('workspaceblobstore'), undefined);
    if (blob.kind !== 'blob') throw new Error('blob expected');
    await blob.container.getBlockBlobClient('models/huge/huge.bin').uploadData(Buffer.alloc(size));
    await direct.models.createOrUpdate('huge', {});
    await direct.models.createOrUpdateVersion('huge', '1', { modelUri: 'azureml://datastores/workspaceblobstore/paths/models/huge/' });
    const stall = await copyStallProxy(local.connection.blobEndpoint, '/stall/huge/1/huge.bin', size);
    try {
      const stalled = connectLocalWorkspace({ ...local.connection, blobEndpoint: `${stall.origin}${new URL(local.connection.blobEndpoint).pathname}` }).workspaceClient;
      const destination = await openBackupDestination(stalled, { kind: 'datastore', name: 'workspaceartifactstore' }, undefined);
      const started = Date.now();
      const result = await backupModelVersion({ client: stalled, version: await stalled.models.getVersion('huge', '1'), destination, destinationPrefix: 'stall', copyStallLimitMs: 1500 });
      const elapsed = Date.now() - started;
      assert.deepEqual([result.canceled, result.copiedServerSide, result.failed.map((f) => f.path)], [false, 0, ['huge.bin']]);
      assert.equal(result.failed[0]!.reason, `The storage service copied nothing more of this file for 1.5 seconds (5000 of ${size} bytes copied), so the copy was stopped. Run the backup again to retry it.`);
      assert.deepEqual(stall.aborts, ['c0ffee00-0000-4000-8000-000000000001'], 'the pending copy is aborted on the service');
      assert.ok(elapsed >= 1500 && elapsed < 15_000, `ended ${elapsed} ms after it started, within the short stall limit`);
      await assert.rejects(readBack('stall/huge/1/model.json'), (error: { statusCode?: number }) => error.statusCode === 404, 'no model.json: the backup is not finished');
    } finally {
      await stall.close();
    }
  });
});
