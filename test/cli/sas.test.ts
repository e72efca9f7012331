/**
 * `azml sas` and the signer behind Copy SAS URL…, against the local workspace (Azurite and the
 * local file share): the URL reads the file it names and nothing else, an expired one reads
 * nothing, a folder is refused with the container alternative, and the URL goes to stdout only.
 */
import * as assert from 'node:assert/strict';
import { azurePublicCloud } from '../../src/azure/cloud';
import { datastoreSasUrl } from '../../src/azure/datastoreSas';
import type { Datastore } from '../../src/azure/domain';
import { mayReceiveStorageCredential } from '../../src/azure/trustedHosts';
import { devStorageAccount } from '../../src/local/devStorageAccount';
import { connectLocalWorkspace } from '../../src/azure/localWorkspace';
import { openDatastoreForTransfer } from '../../src/core/transfer/openDatastore';
import { azmlOnLocal, type CliResult } from '../support/azmlCli';
import { startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';
import { localStorageKey } from '../support/storageKey';

describe('SAS links to datastore files (azml sas, Copy SAS URL…) against the local workspace', function () {
  this.timeout(120_000);
  let local: StartedLocalWorkspace;
  let blobContainer: string;
  let key: string;

  const azml = (args: string[]): CliResult => azmlOnLocal(local, args);

  before(async () => {
    local = await startLocalWorkspace();
    key = localStorageKey(local.dataDir);
    const { workspaceClient: client } = connectLocalWorkspace(local.connection);
    for (const name of ['workspaceblobstore', 'workspacefilestore']) {
      const storage = await openDatastoreForTransfer(client, await client.datastores.get(name), undefined);
      if (storage.kind === 'blob') {
        blobContainer = storage.container.containerName;
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
    // ADLS Gen2 over the same container (Azurite has no dfs endpoint: the local cloud's dfs is its blob endpoint).
    await client.datastores.createOrUpdate({
      name: 'lake', datastoreType: 'AzureDataLakeGen2', accountName: devStorageAccount.name, filesystem: blobContainer,
      endpoint: 'local', protocol: 'http', credentials: { credentialsType: 'AccountKey', key: key },
    });
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

  it('a folder of an ADLS Gen2 datastore: prints a directory SAS (sr=d, its depth, read and list) on the account\'s own endpoint', async () => {
    const before = Date.now();
    const result = azml(['sas', '--datastore', 'lake', '--path', 'shared/', '--expiry', '1d']);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stderr, '', 'nothing on stderr, the URL least of all');
    const url = new URL(result.stdout.trim());
    assert.equal(`${url.origin}${url.pathname}`, `${local.connection.blobEndpoint}/${blobContainer}/shared`);
    const q = url.searchParams;
    assert.deepEqual([q.get('sr'), q.get('sdd'), q.get('sp')], ['d', '1', 'rl']);
    const expiresOn = Date.parse(q.get('se')!);
    assert.ok(expiresOn > before + 86_400_000 - 120_000 && expiresOn <= Date.now() + 86_400_000, `se=${q.get('se')} is a day from now`);
    assert.ok(q.get('sv')! >= '2020-02-10', `sv=${q.get('sv')} supports directory SAS`);
    assert.match(q.get('sig') ?? '', /^[A-Za-z0-9+/]{43}=$/, 'an HMAC-SHA256 signature');
    assert.ok(!result.stdout.includes(key) && !result.stdout.includes(encodeURIComponent(key)), 'the key itself never appears');

    const file = azml(['sas', '--datastore', 'lake', '--path', 'shared/report.csv']);
    assert.equal(file.status, 0, file.stderr);
    assert.equal(new URL(file.stdout.trim()).searchParams.get('sr'), 'b', 'a file keeps its blob SAS');
    assert.equal(await (await fetch(file.stdout.trim())).text(), 'a,b\n1,2\n');
  });

  it('a directory SAS in Azure: on the dfs endpoint of the account, each name encoded, the depth counted, no key in it', async () => {
    const lake = {
      name: 'lake', datastoreType: 'AzureDataLakeGen2', accountName: 'contosolake', filesystem: 'raw', endpoint: 'core.windows.net', protocol: 'https', credentialsType: 'AccountKey',
    } as Datastore;
    const now = new Date('2026-12-05T06:00:00Z');
    const url = new URL(await datastoreSasUrl({
      cloud: azurePublicCloud, datastore: lake, secrets: { secretsType: 'AccountKey', key: key },
      scope: { kind: 'directory', path: 'images/2026 december/' }, expiresOn: new Date('2026-12-06T06:00:00Z'), now,
    }));
    assert.equal(`${url.origin}${url.pathname}`, 'https://contosolake.dfs.core.windows.net/raw/images/2026%20december');
    assert.ok(mayReceiveStorageCredential(azurePublicCloud, url.href), 'the account\'s own host in this cloud');
    const q = url.searchParams;
    assert.deepEqual([q.get('sr'), q.get('sdd'), q.get('sp'), q.get('spr'), q.get('se'), q.get('st')],
      ['d', '2', 'rl', 'https', '2026-12-06T06:00:00Z', '2026-12-05T05:55:00Z']);
    assert.ok(!url.href.includes(encodeURIComponent(key)));

    await assert.rejects(datastoreSasUrl({
      cloud: azurePublicCloud, datastore: { ...lake, datastoreType: 'AzureBlob', containerName: 'raw' } as Datastore,
      secrets: { secretsType: 'AccountKey', key: key }, scope: { kind: 'directory', path: 'images' }, expiresOn: new Date('2026-12-06T06:00:00Z'), now,
    }), /Datastore "lake" is not an ADLS Gen2 datastore: only a Data Lake directory can have a SAS of its own/);
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
