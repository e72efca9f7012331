/**
 * What Azure Storage with key access disabled does that the local workspace cannot: refuse the
 * signed-in identity too, when it lacks the data role. A stub on loopback answers as Azure does
 * (403 KeyBasedAuthenticationNotPermitted to keys and SAS; 403 AuthorizationPermissionMismatch
 * to a token without the role), so the one message the user sees can be checked.
 */
import * as assert from 'node:assert/strict';
import { localCloud, localStorageEndpointSuffix } from '../../src/azure/cloud';
import { checkDatastoreAccess } from '../../src/azure/datastoreAccessCheck';
import { openDatastoreStorage } from '../../src/azure/datastoreStorage';
import type { Datastore } from '../../src/azure/domain';
import { forgetKeylessTargets } from '../../src/azure/identityFallback';
import { listFolder } from '../../src/azure/storageListing';
import { devStorageAccount } from '../../src/local/devStorageAccount';
import { StubServer, stubCredential, testToken, type RecordedRequest, type StubResponse } from './stubServer';

const emptyListing = '<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="x" ContainerName="data">'
  + '<Prefix></Prefix><Delimiter>/</Delimiter><Blobs></Blobs><NextMarker/></EnumerationResults>';

function storageError(code: string): StubResponse {
  return { status: 403, body: `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`,
    headers: { 'content-type': 'application/xml', 'x-ms-error-code': code } };
}

/** The stub takes any key: what it answers is set by each test. */
const stubAccountKey = Buffer.alloc(64, 3).toString('base64');

const withKey = (r: RecordedRequest): boolean => /^SharedKey /.test(r.headers.authorization ?? '') || r.query.has('sig');
const withToken = (r: RecordedRequest): boolean => r.headers.authorization === `Bearer ${testToken}`;

function datastore(fields: Partial<Datastore> = {}): Datastore {
  return {
    id: '', name: 'keyless_data', datastoreType: 'AzureBlob', accountName: devStorageAccount.name, containerName: 'data',
    endpoint: localStorageEndpointSuffix, protocol: 'http', isDefault: false, credentialsType: 'AccountKey', tags: {}, properties: {},
    ...fields,
  };
}

describe('key access disabled on a datastore\'s storage (as Azure answers)', () => {
  let stub: StubServer;
  before(async () => {
    stub = await StubServer.start();
  });
  after(() => stub.close());
  beforeEach(() => forgetKeylessTargets());

  // Path-style, as the local workspace's endpoints are: the account is the first segment.
  const cloud = () => localCloud({
    armEndpoint: stub.url, blobEndpoint: `${stub.url}/${devStorageAccount.name}`, fileEndpoint: `${stub.url}/${devStorageAccount.name}`, queueEndpoint: stub.url,
  });

  function open(fields: Partial<Datastore> = {}) {
    return openDatastoreStorage({
      cloud: cloud(),
      datastore: datastore(fields),
      secrets: { secretsType: 'AccountKey', key: stubAccountKey }, userCredential: stubCredential(),
    });
  }

  it('falls back to the identity once and remembers it for the datastore: later clients send no key', async () => {
    stub.answer((r) => (withToken(r)
      ? { status: 200, body: emptyListing, headers: { 'content-type': 'application/xml' } }
      : storageError('KeyBasedAuthenticationNotPermitted')));
    await listFolder(open(), '');
    await listFolder(open(), '');
    await listFolder(open(), 'sub');
    assert.equal(stub.requests.filter(withKey).length, 1, 'only the first request went with the key');
    assert.equal(stub.requests.filter(withToken).length, 3);
    assert.ok(stub.requests.filter(withToken).every((r) => !r.query.has('sig')));
  });

  it('names the reader role and the account when the identity may not read', async () => {
    stub.answer((r) => storageError(withToken(r) ? 'AuthorizationPermissionMismatch' : 'KeyBasedAuthenticationNotPermitted'));
    await assert.rejects(listFolder(open(), ''), {
      code: 'StorageRoleMissing',
      message: 'Storage account "devstoreaccount1" does not allow access with account keys or SAS tokens, and your identity may not read from it: '
        + 'ask an owner of the account to give you the Storage Blob Data Reader role on it.',
    });
  });

  it('names the contributor role when the identity may not write', async () => {
    stub.answer((r) => storageError(withToken(r) ? 'AuthorizationPermissionMismatch' : 'KeyBasedAuthenticationNotPermitted'));
    const storage = open();
    assert.equal(storage.kind, 'blob');
    await assert.rejects(storage.container.getBlobClient('x.txt').setMetadata({ a: 'b' }), {
      code: 'StorageRoleMissing',
      message: 'Storage account "devstoreaccount1" does not allow access with account keys or SAS tokens, and your identity may not write to it: '
        + 'ask an owner of the account to give you the Storage Blob Data Contributor role on it.',
    });
  });

  it('on a file share, asks with the backup intent Azure Files needs for tokens, and names the file data role', async () => {
    stub.answer((r) => storageError(withToken(r) ? 'AuthorizationPermissionMismatch' : 'KeyBasedAuthenticationNotPermitted'));
    await assert.rejects(listFolder(open({ datastoreType: 'AzureFile', containerName: undefined, fileShareName: 'share' }), ''), {
      code: 'StorageRoleMissing',
      message: 'Storage account "devstoreaccount1" does not allow access with account keys or SAS tokens, and your identity may not read from it: '
        + 'ask an owner of the account to give you the Storage File Data Privileged Reader role on it.',
    });
    const tokenRequest = stub.requests.find(withToken);
    assert.equal(tokenRequest?.headers['x-ms-file-request-intent'], 'backup');
  });

  it('checking a datastore before registering it reports the disabled key access instead of passing with the identity', async () => {
    stub.answer((r) => (withToken(r)
      ? { status: 200, body: emptyListing, headers: { 'content-type': 'application/xml' } }
      : storageError('KeyBasedAuthenticationNotPermitted')));
    const check = await checkDatastoreAccess({
      cloud: cloud(), userCredential: stubCredential(),
      input: {
        name: 'new_store', datastoreType: 'AzureBlob', accountName: devStorageAccount.name, containerName: 'data', endpoint: localStorageEndpointSuffix,
        protocol: 'http', credentials: { credentialsType: 'AccountKey', key: stubAccountKey },
      },
    });
    assert.deepEqual(check, {
      ok: false, field: 'credentials', code: 'KeyBasedAuthenticationNotPermitted',
      message: 'Storage account "devstoreaccount1" has key access disabled: it refuses account keys and SAS tokens. Use identity-based access, '
        + 'or select "Skip validation" to register the datastore as it is (the extension then uses your sign-in for it).',
    });
    assert.equal(stub.requests.filter(withToken).length, 0, 'the check never replaces what the user entered by their sign-in');
  });
});
