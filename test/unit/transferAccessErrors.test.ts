import * as assert from 'node:assert/strict';
import type { Datastore } from '../../src/azure/domain';
import { transferStoppingError } from '../../src/core/transfer/accessErrors';

function datastore(credentialsType: string, datastoreType = 'AzureBlob'): Datastore {
  return {
    id: 'id', name: 'training', datastoreType, accountName: 'acct', containerName: 'data', fileShareName: 'share',
    isDefault: false, credentialsType, tags: {}, properties: {},
  };
}

/** What the storage SDKs throw for a refused request (RestError's fields). */
const refused = (statusCode: number, code: string) => Object.assign(new Error(`${code}: refused`), { statusCode, code });

describe('messages for errors that stop a transfer', () => {
  it('names the datastore and the SAS permission that is missing for the operation', () => {
    const mismatch = refused(403, 'AuthorizationPermissionMismatch');
    assert.equal(transferStoppingError(mismatch, datastore('Sas'), 'write')?.message, 'The SAS token of datastore "training" does not allow write (w) access: update the datastore\'s credentials with a SAS token with write (w) permission.');
    assert.equal(transferStoppingError(mismatch, datastore('Sas'), 'list')?.message, 'The SAS token of datastore "training" does not allow list (l) access: update the datastore\'s credentials with a SAS token with list (l) permission.');
    assert.equal(transferStoppingError(mismatch, datastore('Sas'), 'read')?.message, 'The SAS token of datastore "training" does not allow read (r) access: update the datastore\'s credentials with a SAS token with read (r) permission.');
    assert.match(transferStoppingError(refused(403, 'AuthenticationFailed'), datastore('Sas'), 'write')!.message, /SAS token of datastore "training" was rejected \(it may have expired/);
  });

  it('says which role a service principal or the signed-in user needs, per datastore type', () => {
    const mismatch = refused(403, 'AuthorizationPermissionMismatch');
    assert.equal(transferStoppingError(mismatch, datastore('ServicePrincipal'), 'write')?.message,
      'The service principal of datastore "training" is not allowed to write to the container "data" of storage account "acct": it needs the Storage Blob Data Contributor role there.');
    assert.match(transferStoppingError(mismatch, datastore('None', 'AzureFile'), 'read')!.message,
      /^You are not allowed to read from datastore "training" \(identity-based access\): your account needs the Storage File Data Privileged Reader role on the file share "share"/);
    const signIn = Object.assign(new Error('AADSTS7000215: Invalid client secret provided.'), { name: 'AuthenticationError' });
    assert.match(transferStoppingError(signIn, datastore('ServicePrincipal'), 'write')!.message, /service principal of datastore "training" could not sign in/);
  });

  it('a rejected account key, a missing container, an unreachable account', () => {
    assert.match(transferStoppingError(refused(403, 'AuthenticationFailed'), datastore('AccountKey'), 'list')!.message,
      /^The account key of datastore "training" was rejected by the storage account "acct"/);
    assert.equal(transferStoppingError(refused(404, 'ContainerNotFound'), datastore('AccountKey'), 'write')?.message,
      'The container "data" of storage account "acct" of datastore "training" does not exist: create it or point the datastore at one that does.');
    assert.match(transferStoppingError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), datastore('AccountKey'), 'write')!.message,
      /could not be reached \(ECONNREFUSED\)/);
  });

  it('leaves errors about one file to that file', () => {
    assert.equal(transferStoppingError(refused(409, 'BlobAlreadyExists'), datastore('AccountKey'), 'write'), undefined);
    assert.equal(transferStoppingError(refused(400, 'InvalidResourceName'), datastore('Sas'), 'write'), undefined);
    assert.equal(transferStoppingError(refused(500, 'InternalError'), datastore('None'), 'write'), undefined);
  });
});
