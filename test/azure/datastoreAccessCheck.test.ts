/**
 * The check the Register Datastore form runs before saving, against the real local workspace
 * storage (Azurite for blobs, the local file service for shares).
 */
import { strict as assert } from 'node:assert';
import { ContainerSASPermissions, generateBlobSASQueryParameters, StorageSharedKeyCredential } from '@azure/storage-blob';
import {
  generateFileSASQueryParameters, ShareSASPermissions, StorageSharedKeyCredential as FileSharedKeyCredential,
} from '@azure/storage-file-share';
import type { Cloud } from '../../src/azure/cloud';
import { checkDatastoreAccess, describeAccessFailure } from '../../src/azure/datastoreAccessCheck';
import type { DatastoreInput } from '../../src/azure/domain';
import { connectLocalWorkspace } from '../../src/azure/localWorkspace';
import { devStorageAccount } from '../../src/local/devStorageAccount';
import { startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';
import { localStorageKey } from '../support/storageKey';

describe('checking a datastore\'s storage before registering it', function () {
  this.timeout(120_000);
  let service: StartedLocalWorkspace;
  let cloud: Cloud;
  let blobContainer: string;
  let fileShare: string;
  let accountKey: string;
  let key: { credentialsType: 'AccountKey'; key: string };

  before(async () => {
    service = await startLocalWorkspace();
    accountKey = localStorageKey(service.dataDir);
    key = { credentialsType: 'AccountKey', key: accountKey };
    const clients = connectLocalWorkspace(service.connection);
    cloud = clients.cloud;
    const datastores = (await clients.workspaceClient.datastores.list()).items;
    blobContainer = datastores.find((d) => d.name === 'workspaceblobstore')!.containerName!;
    fileShare = datastores.find((d) => d.name === 'workspacefilestore')!.fileShareName!;
  });
  after(async () => {
    await service?.dispose();
  });

  const blob = (containerName: string, credentials: DatastoreInput['credentials']): DatastoreInput => ({
    name: 'checked', datastoreType: 'AzureBlob', accountName: devStorageAccount.name, containerName, endpoint: 'local', credentials,
  });
  const share = (fileShareName: string, credentials: DatastoreInput['credentials']): DatastoreInput => ({
    name: 'checked', datastoreType: 'AzureFile', accountName: devStorageAccount.name, fileShareName, endpoint: 'local', credentials,
  });
  const wrongKey = { credentialsType: 'AccountKey', key: Buffer.alloc(64, 7).toString('base64') } as const;

  function blobSas(container: string, permissions: string): string {
    return generateBlobSASQueryParameters({
      containerName: container, permissions: ContainerSASPermissions.parse(permissions), expiresOn: new Date(Date.now() + 3_600_000),
    }, new StorageSharedKeyCredential(devStorageAccount.name, accountKey)).toString();
  }

  it('passes for an existing container with the right key, and names what it reached', async () => {
    const result = await checkDatastoreAccess({ cloud, input: blob(blobContainer, key) });
    assert.deepEqual(result, {
      ok: true,
      message: `Connected: the container "${blobContainer}" in storage account "devstoreaccount1" can be listed with these credentials.`,
    });
  });

  it('says the container does not exist', async () => {
    const result = await checkDatastoreAccess({ cloud, input: blob('no-such-container', key) });
    assert.deepEqual(result, {
      ok: false, field: 'container', code: 'ContainerNotFound',
      message: 'The container "no-such-container" does not exist in storage account "devstoreaccount1".',
    });
  });

  it('says the storage refused a wrong key, without showing the key', async () => {
    const result = await checkDatastoreAccess({ cloud, input: blob(blobContainer, wrongKey) });
    assert.equal(result.ok, false);
    assert.ok(!result.ok && result.field === 'credentials', JSON.stringify(result));
    assert.equal(result.message,
      'Storage account "devstoreaccount1" rejected the account key: authentication failed. Check that it belongs to this account.');
  });

  it('passes with a container SAS that can list, and says which permissions a write-only SAS lacks', async () => {
    assert.equal((await checkDatastoreAccess({ cloud, input: blob(blobContainer, { credentialsType: 'Sas', sasToken: blobSas(blobContainer, 'rl') }) })).ok, true);
    const writeOnly = await checkDatastoreAccess({ cloud, input: blob(blobContainer, { credentialsType: 'Sas', sasToken: blobSas(blobContainer, 'w') }) });
    assert.equal(writeOnly.ok, false);
    assert.ok(!writeOnly.ok);
    assert.equal(writeOnly.field, 'credentials');
    assert.equal(writeOnly.message, `The SAS token does not allow listing the container "${blobContainer}": it needs Read and List permissions.`);
  });

  it('checks file shares with a key and a share SAS, and says when the share is missing', async () => {
    assert.equal((await checkDatastoreAccess({ cloud, input: share(fileShare, key) })).ok, true);
    const sas = generateFileSASQueryParameters({
      shareName: fileShare, permissions: ShareSASPermissions.parse('rl'), expiresOn: new Date(Date.now() + 3_600_000),
    }, new FileSharedKeyCredential(devStorageAccount.name, accountKey)).toString();
    assert.equal((await checkDatastoreAccess({ cloud, input: share(fileShare, { credentialsType: 'Sas', sasToken: sas }) })).ok, true);
    const refused = await checkDatastoreAccess({ cloud, input: share(fileShare, wrongKey) });
    assert.ok(!refused.ok && refused.field === 'credentials', JSON.stringify(refused));
    assert.match(refused.message, /^Storage account "devstoreaccount1" rejected the account key/);
    assert.deepEqual(await checkDatastoreAccess({ cloud, input: share('no-such-share', key) }), {
      ok: false, field: 'container', code: 'ShareNotFound',
      message: 'The file share "no-such-share" does not exist in storage account "devstoreaccount1".',
    });
  });

  it('says the local workspace has one storage account', async () => {
    const result = await checkDatastoreAccess({ cloud, input: { ...blob(blobContainer, key), accountName: 'otheraccount' } });
    assert.deepEqual(result, {
      ok: false, field: 'accountName', code: 'AccountNotFound',
      message: 'There is no storage account "otheraccount" in the local workspace: its one account is "devstoreaccount1".',
    });
  });

  it('explains why a service principal or identity-based access cannot be checked locally', async () => {
    const sp = await checkDatastoreAccess({
      cloud,
      input: {
        name: 'lake', datastoreType: 'AzureDataLakeGen2', accountName: 'devstoreaccount1', filesystem: blobContainer, endpoint: 'local',
        credentials: { credentialsType: 'ServicePrincipal', tenantId: 't', clientId: 'c', clientSecret: 's' },
      },
    });
    assert.ok(!sp.ok && sp.code === 'CannotCheckLocally' && /Skip validation/.test(sp.message));
    const none = await checkDatastoreAccess({ cloud, input: blob(blobContainer, { credentialsType: 'None' }) });
    assert.ok(!none.ok && none.code === 'CannotCheckLocally' && /Identity-based access/.test(none.message));
  });

  it('says nothing answers when the storage is down', async () => {
    const closed = { ...cloud, storageEndpoints: { blob: 'http://127.0.0.1:9/devstoreaccount1' } };
    const result = await checkDatastoreAccess({ cloud: closed, input: blob(blobContainer, key), timeoutMs: 2_000 });
    assert.equal(result.ok, false);
    assert.ok(!result.ok && result.field === 'endpoint', JSON.stringify(result));
  });

  it('turns a name that does not resolve into "no such storage account"', () => {
    const error = Object.assign(new Error('getaddrinfo ENOTFOUND nosuchacct.blob.core.windows.net'), { code: 'ENOTFOUND' });
    const result = describeAccessFailure(error, { ...blob('data', key), accountName: 'nosuchacct', endpoint: 'core.windows.net' },
      { host: 'nosuchacct.blob.core.windows.net', local: false });
    assert.deepEqual(result, {
      ok: false, field: 'accountName', code: 'AccountNotFound',
      message: 'No storage account "nosuchacct" was found: nosuchacct.blob.core.windows.net does not resolve. Check the account name and the endpoint suffix.',
    });
  });
});
