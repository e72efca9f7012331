/**
 * `azml sas` and the signer behind Copy SAS URL…, against the local workspace (Azurite and the
 * local file share): the URL reads the file it names and nothing else, an expired one reads
 * nothing, a folder is refused with the container alternative, and the URL goes to stdout only.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { datastoreSasUrl } from '../../src/azure/datastoreSas';
import { connectLocalWorkspace } from '../../src/azure/localWorkspace';
import { openDatastoreForTransfer } from '../../src/core/transfer/openDatastore';
import { ensureBuilt, repoRoot } from '../support/repo';
import { startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';

interface CliResult { status: number | null; stdout: string; stderr: string }

describe('SAS links to datastore files (azml sas, Copy SAS URL…) against the local workspace', function () {
  this.timeout(120_000);
  let local: StartedLocalWorkspace;

  const azml = (args: string[]): CliResult => {
    ensureBuilt();
    const result = spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), ...args, '--local', '--data', local.dataDir], {
      encoding: 'utf8', timeout: 90_000,
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  before(async () => {
    local = await startLocalWorkspace();
    const { workspaceClient: client } = connectLocalWorkspace(local.connection);
    for (const name of ['workspaceblobstore', 'workspacefilestore']) {
      const storage = await openDatastoreForTransfer(client, await client.datastores.get(name), undefined);
      if (storage.kind === 'blob') {
        await storage.container.createIfNotExists();
        await storage.container.getBlockBlobClient('shared/report.csv').upload('a,b\n1,2\n', 8);
        await storage.container.getBlockBlobClient('shared/other.csv').upload('secret', 6);
      } else {
        await storage.share.createIfNotExists();
        await storage.share.getDirectoryClient('shared').createIfNotExists();
        const file = storage.share.getDirectoryClient('shared').getFileClient('report.csv');
        await file.create(8);
        await file.uploadRange('a,b\n1,2\n', 0, 8);
        const other = storage.share.getDirectoryClient('shared').getFileClient('other.csv');
        await other.create(6);
        await other.uploadRange('secret', 0, 6);
      }
    }
  });
  after(async () => {
    await local?.dispose();
  });

  for (const datastore of ['workspaceblobstore', 'workspacefilestore']) {
    it(`${datastore}: the printed URL reads the file, read-only, and opens no other file`, async () => {
      const result = azml(['sas', '--datastore', datastore, '--path', 'shared/report.csv', '--expiry', '1h']);
      assert.equal(result.status, 0, result.stderr);
      const url = result.stdout.trim();
      assert.match(url, /[?&]sig=/);
      assert.match(url, /[?&]sp=r(&|$)/, 'read-only by default');
      assert.equal(result.stderr, '', 'nothing on stderr, the URL least of all');
      const read = await fetch(url);
      assert.equal(read.status, 200);
      assert.equal(await read.text(), 'a,b\n1,2\n');

      const otherUrl = url.replace('report.csv', 'other.csv');
      assert.equal((await fetch(otherUrl)).status, 403, 'the signature is for one file');
      const write = await fetch(url, { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob', 'x-ms-type': 'file', 'x-ms-content-length': '1' }, body: 'x' });
      assert.equal(write.status, 403, 'read-only: no writes');
    });

    it(`${datastore}: a link that has expired reads nothing`, async () => {
      const { workspaceClient: client } = connectLocalWorkspace(local.connection);
      const store = await client.datastores.get(datastore);
      const now = new Date(Date.now() - 3 * 3_600_000);
      const url = await datastoreSasUrl({
        cloud: client.cloud, datastore: store, secrets: await client.datastores.listSecrets(datastore, { accountKey: true }),
        scope: { kind: 'file', path: 'shared/report.csv' }, expiresOn: new Date(now.getTime() + 3_600_000), now,
      });
      assert.equal((await fetch(url)).status, 403);
    });
  }

  it('refuses a folder, saying a blob SAS cannot be scoped to it, and --container signs the container', async () => {
    const folder = azml(['sas', '--datastore', 'workspaceblobstore', '--path', 'shared']);
    assert.equal(folder.status, 2);
    assert.match(folder.stderr, /"shared" is a folder, and a blob SAS cannot be scoped to a folder: add --container/);
    assert.equal(folder.stdout, '');

    const container = azml(['sas', '--datastore', 'workspaceblobstore', '--container', '--permissions', 'rl']);
    assert.equal(container.status, 0, container.stderr);
    const url = new URL(container.stdout.trim());
    url.searchParams.set('restype', 'container');
    url.searchParams.set('comp', 'list');
    const listing = await fetch(url);
    assert.equal(listing.status, 200);
    assert.match(await listing.text(), /shared\/report\.csv/);
  });

  it('refuses an expiry beyond 7 days and unknown permissions with one clear line', () => {
    const long = azml(['sas', '--datastore', 'workspaceblobstore', '--path', 'shared/report.csv', '--expiry', '8d']);
    assert.equal(long.status, 1);
    assert.match(long.stderr, /must expire within 7 days/);
    const perms = azml(['sas', '--datastore', 'workspaceblobstore', '--path', 'shared/report.csv', '--permissions', 'rz']);
    assert.match(perms.stderr, /Permissions "rz" are not valid/);
    assert.equal(perms.stdout, '');
  });
});
