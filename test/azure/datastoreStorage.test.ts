/**
 * A datastore record is written by whoever can register datastores in a shared workspace. Its
 * storage must be an account of the cloud before a credential (above all the user's token) goes
 * to it; anything else is refused with a message naming the datastore, before any request.
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import type { Pipeline } from '@azure/core-rest-pipeline';
import { azurePublicCloud, azureUsGovernmentCloud, type Cloud } from '../../src/azure/cloud';
import { checkDatastoreAccess } from '../../src/azure/datastoreAccessCheck';
import { datastoreSasUrl } from '../../src/azure/datastoreSas';
import { openDatastoreStorage } from '../../src/azure/datastoreStorage';
import type { Datastore, DatastoreInput } from '../../src/azure/domain';
import { AzureMlError } from '../../src/azure/errors';
import { connectLocalWorkspace } from '../../src/azure/localWorkspace';
import { listFolder } from '../../src/azure/storageListing';
import { withAdditionalStorageSuffixes } from '../../src/azure/trustedHosts';
import type { WorkspaceClient } from '../../src/azure/workspaceClient';
import { openDatastoreForTransfer } from '../../src/core/transfer/openDatastore';
import { devStorageAccount } from '../../src/local/devStorageAccount';
import { startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';

/** The signed-in user's storage credential; counts the tokens it hands out. */
function userCredential(): TokenCredential & { tokens: number } {
  const credential = {
    tokens: 0,
    getToken: async (): Promise<AccessToken> => {
      credential.tokens++;
      return { token: 'user-storage-token', expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
  return credential;
}

function identityDatastore(fields: Partial<Datastore>): Datastore {
  return {
    id: '', name: 'shared_data', datastoreType: 'AzureBlob', accountName: 'sharedacct', containerName: 'data',
    endpoint: 'core.windows.net', protocol: 'https', isDefault: false, credentialsType: 'None', tags: {}, properties: {},
    ...fields,
  };
}

function refusal(open: () => unknown): AzureMlError {
  try {
    open();
  } catch (error) {
    assert.ok(error instanceof AzureMlError, String(error));
    return error;
  }
  assert.fail('expected the datastore to be refused');
}

describe('a datastore\'s storage must be the cloud\'s own', () => {
  it('refuses an identity-based datastore whose endpoint is another host, naming the datastore, before asking for a token', () => {
    for (const cloud of [azurePublicCloud, azureUsGovernmentCloud]) {
      const credential = userCredential();
      const error = refusal(() => openDatastoreStorage({ cloud, datastore: identityDatastore({ endpoint: 'evil.example' }), userCredential: credential }));
      assert.equal(error.code, 'UntrustedStorageEndpoint');
      assert.equal(error.message, `Datastore "shared_data" points at storage endpoint "evil.example" (https), which is not Azure Storage of `
        + `${cloud.displayName} (${cloud.storageEndpointSuffix}): nothing was sent to it. An administrator can trust more storage suffixes `
        + 'with the machine setting azureml.storage.additionalEndpointSuffixes.');
      assert.equal(credential.tokens, 0);
    }
  });

  it('refuses another cloud\'s storage and an endpoint that carries a port or path', () => {
    for (const endpoint of ['core.usgovcloudapi.net', 'core.windows.net:8443', 'core.windows.net/x', 'evil.example#core.windows.net']) {
      const error = refusal(() => openDatastoreStorage({ cloud: azurePublicCloud, datastore: identityDatastore({ endpoint }), userCredential: userCredential() }));
      assert.equal(error.code, 'UntrustedStorageEndpoint', endpoint);
    }
  });

  it('refuses a storage account name that is not 3-24 lower-case letters and digits (it would change the host)', () => {
    for (const accountName of ['evil.example/x?', 'Shared', 'ab', 'a'.repeat(25), 'acct@evil.example', 'x.blob.evil.example#']) {
      const error = refusal(() => openDatastoreStorage({ cloud: azurePublicCloud, datastore: identityDatastore({ accountName }), userCredential: userCredential() }));
      assert.equal(error.code, 'InvalidStorageAccountName', accountName);
      assert.match(error.message, /^Datastore "shared_data" names the storage account ".*", which is not a valid account name \(3 to 24 lower-case letters and digits\)\. Nothing was sent to it\.$/);
    }
  });

  it('refuses a key or SAS datastore on another host too', () => {
    const keyed = refusal(() => openDatastoreStorage({
      cloud: azurePublicCloud, datastore: identityDatastore({ endpoint: 'evil.example', credentialsType: 'Sas' }),
      secrets: { secretsType: 'Sas', sasToken: 'sv=2024&sig=secret' },
    }));
    assert.equal(keyed.code, 'UntrustedStorageEndpoint');
    assert.ok(!keyed.message.includes('sig=secret'));
  });

  it('opens the cloud\'s own storage, and a suffix an administrator added', () => {
    const own = openDatastoreStorage({ cloud: azurePublicCloud, datastore: identityDatastore({ endpoint: 'Core.Windows.Net' }), userCredential: userCredential() });
    assert.equal(own.kind === 'blob' && own.container.url, 'https://sharedacct.blob.core.windows.net/data');
    const stack = withAdditionalStorageSuffixes(azurePublicCloud, ['local.azurestack.external']);
    const datastore = identityDatastore({ endpoint: 'local.azurestack.external' });
    assert.equal(refusal(() => openDatastoreStorage({ cloud: azurePublicCloud, datastore, userCredential: userCredential() })).code,
      'UntrustedStorageEndpoint');
    const added = openDatastoreStorage({ cloud: stack, datastore, userCredential: userCredential() });
    assert.equal(added.kind === 'blob' && added.container.url, 'https://sharedacct.blob.local.azurestack.external/data');
  });

  it('reaches an Azure datastore registered with protocol "http" over HTTPS, so its SAS token never travels in clear text; links it signs are HTTPS only', async () => {
    const sasToken = 'sv=2024-11-04&ss=b&srt=co&sp=rl&se=2030-01-01T00:00:00Z&sig=c2VjcmV0';
    const datastore = identityDatastore({ protocol: 'http', credentialsType: 'Sas' });
    const sas = openDatastoreStorage({ cloud: azurePublicCloud, datastore, secrets: { secretsType: 'Sas', sasToken } });
    assert.equal(sas.kind === 'blob' && new URL(sas.container.url).protocol, 'https:');
    const keyed = { ...datastore, credentialsType: 'AccountKey' as const };
    const link = new URL(await datastoreSasUrl({
      cloud: azurePublicCloud, datastore: keyed, secrets: { secretsType: 'AccountKey', key: 'a2V5a2V5a2V5' },
      scope: { kind: 'file', path: 'a.csv' }, expiresOn: new Date(Date.now() + 3_600_000),
    }));
    assert.equal(link.protocol, 'https:');
    assert.equal(link.searchParams.get('spr'), 'https');
  });

  it('sends storage requests without the SDK\'s tracing policy, which redacts every URL for spans nothing records', () => {
    const blob = openDatastoreStorage({ cloud: azurePublicCloud, datastore: identityDatastore({}), userCredential: userCredential() });
    const share = openDatastoreStorage({
      cloud: azurePublicCloud, datastore: identityDatastore({ datastoreType: 'AzureFile', containerName: undefined, fileShareName: 'share' }), userCredential: userCredential(),
    });
    for (const storage of [blob, share]) {
      const client = storage.kind === 'blob' ? storage.container : storage.share;
      const context = (client as unknown as { storageClientContext: { pipeline?: Pipeline; client?: { pipeline: Pipeline } } }).storageClientContext;
      const names = (context.pipeline ?? context.client!.pipeline).getOrderedPolicies().map((policy) => policy.name);
      assert.ok(names.includes('azmlTransportPolicy'), names.join(', '));
      assert.ok(!names.includes('tracingPolicy'), names.join(', '));
    }
  });

  describe('in the local workspace', function () {
    this.timeout(120_000);
    let service: StartedLocalWorkspace;
    let client: WorkspaceClient;
    let cloud: Cloud;
    let credential: TokenCredential;

    before(async () => {
      service = await startLocalWorkspace();
      ({ workspaceClient: client, cloud, credential } = connectLocalWorkspace(service.connection));
    });
    after(async () => {
      await service?.dispose();
    });

    it('a registered datastore pointing at another host is refused when browsed; the default one still works', async () => {
      const registered = await client.datastores.createOrUpdate({
        name: 'planted', datastoreType: 'AzureBlob', accountName: devStorageAccount.name, containerName: 'data',
        endpoint: 'evil.example', credentials: { credentialsType: 'None' },
      }, { skipValidation: true });
      await assert.rejects(openDatastoreForTransfer(client, registered, credential), (e: unknown) => e instanceof AzureMlError
        && e.code === 'UntrustedStorageEndpoint'
        && e.message.startsWith('Datastore "planted" points at storage endpoint "evil.example" (https), which is not Azure Storage of Local workspace (local)'));
      const own = await client.datastores.get('workspaceblobstore');
      const page = await listFolder(await openDatastoreForTransfer(client, own, credential), '');
      assert.ok(Array.isArray(page.items));
      // The local suffix in capitals is still the local (loopback) storage, never a host named after it.
      const shouted = await openDatastoreForTransfer(client, { ...own, endpoint: 'LOCAL' }, credential);
      assert.equal(shouted.kind === 'blob' && new URL(shouted.container.url).hostname, '127.0.0.1');
    });

    it('the register form\'s check refuses another host before anything (even DNS) is asked, pointing at the endpoint field', async () => {
      const input: DatastoreInput = {
        name: 'planted', datastoreType: 'AzureBlob', accountName: devStorageAccount.name, containerName: 'data',
        endpoint: 'evil.invalid', credentials: { credentialsType: 'AccountKey', key: randomBytes(64).toString('base64') },
      };
      const result = await checkDatastoreAccess({ cloud, input, timeoutMs: 5_000 });
      assert.equal(result.ok, false);
      assert.ok(!result.ok);
      assert.equal(result.field, 'endpoint');
      assert.equal(result.code, 'UntrustedStorageEndpoint');
    });
  });
});
