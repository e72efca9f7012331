import * as assert from 'node:assert/strict';
import { allPages, apiVersion, armClient, collect, resourceGroup, startHarness, ws, type Harness } from './harness';

const blobBody = (extra: Record<string, unknown> = {}) => ({
  properties: {
    datastoreType: 'AzureBlob',
    accountName: 'mystorage',
    containerName: 'training-data',
    credentials: { credentialsType: 'AccountKey', secrets: { secretsType: 'AccountKey', key: 'c2VjcmV0LWtleQ==' } },
    ...extra,
  },
});

describe('workspace API: datastores', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ pageSize: 2 });
  });
  afterEach(() => h.close());

  async function workspaceId(): Promise<string> {
    return (await h.call('GET', `${ws}?${apiVersion}`)).body.properties.workspaceId;
  }

  it('has the three built-in datastores, blob store as default, secrets hidden', async () => {
    const id = await workspaceId();
    const pages = await allPages(h, `${ws}/datastores?${apiVersion}`);
    const all = pages.flatMap((p) => p.value);
    const byName = new Map(all.map((d) => [d.name, d]));
    assert.deepEqual([...byName.keys()].sort(), ['workspaceartifactstore', 'workspaceblobstore', 'workspacefilestore']);

    const blob = byName.get('workspaceblobstore');
    assert.equal(blob.type, 'Microsoft.MachineLearningServices/workspaces/datastores');
    assert.equal(blob.id, `${ws}/datastores/workspaceblobstore`);
    assert.equal(blob.properties.isDefault, true);
    assert.equal(blob.properties.datastoreType, 'AzureBlob');
    assert.equal(blob.properties.containerName, `azureml-blobstore-${id}`);
    assert.equal(blob.properties.endpoint, 'local');
    assert.equal(blob.properties.protocol, 'http');
    assert.deepEqual(blob.properties.credentials, { credentialsType: 'AccountKey', secrets: { secretsType: 'AccountKey' } });

    const file = byName.get('workspacefilestore');
    assert.equal(file.properties.datastoreType, 'AzureFile');
    assert.equal(file.properties.fileShareName, `azureml-filestore-${id}`);
    assert.equal(file.properties.isDefault, false);
    assert.equal(byName.get('workspaceartifactstore').properties.containerName, 'azureml');

    const targets = h.api.storageTargets();
    assert.equal(targets.blobContainers[0], `azureml-blobstore-${id}`, 'the local workspace blob store comes first');
    assert.ok(targets.blobContainers.includes(`azureml-blobstore-${id}`));
    assert.ok(targets.blobContainers.includes('azureml'));
    assert.ok(targets.fileShares.includes(`azureml-filestore-${id}`));
  });

  it('pages with absolute nextLinks carrying an opaque $skip and the original filters', async () => {
    for (const name of ['ds_a', 'ds_b', 'ds_c']) assert.equal((await h.call('PUT', `${ws}/datastores/${name}?${apiVersion}`, blobBody())).status, 201);
    const pages = await allPages(h, `${ws}/datastores?${apiVersion}&isDefault=false`);
    assert.deepEqual(pages.map((p) => p.value.length), [2, 2, 1]);
    assert.ok(pages[0]!.nextLink!.startsWith(`${h.base}${ws}/datastores?`));
    assert.match(pages[0]!.nextLink!, /[?&]isDefault=false(&|$)/);
    assert.match(pages[0]!.nextLink!, /\$skip=[A-Za-z0-9_-]+/);
    assert.equal(pages[2]!.nextLink, undefined);
    const names = pages.flatMap((p) => p.value.map((d) => d.name));
    assert.equal(new Set(names).size, 5);
    assert.ok(!names.includes('workspaceblobstore'));
  });

  it('filters by isDefault and names (comma-separated or repeated)', async () => {
    const def = await h.call('GET', `${ws}/datastores?${apiVersion}&isDefault=true`);
    assert.deepEqual(def.body.value.map((d: { name: string }) => d.name), ['workspaceblobstore']);
    const csv = await h.call('GET', `${ws}/datastores?${apiVersion}&names=workspacefilestore,workspaceartifactstore`);
    assert.deepEqual(csv.body.value.map((d: { name: string }) => d.name).sort(), ['workspaceartifactstore', 'workspacefilestore']);
    const repeated = await h.call('GET', `${ws}/datastores?${apiVersion}&names=workspacefilestore&names=workspaceblobstore`);
    assert.equal(repeated.body.value.length, 2);
  });

  it('creates (201) and updates (200) a datastore; isDefault is read-only; the key survives a GET-modify-PUT', async () => {
    const created = await h.call('PUT', `${ws}/datastores/training?${apiVersion}`, blobBody({ isDefault: true, description: 'raw data' }));
    assert.equal(created.status, 201);
    assert.equal(created.body.properties.isDefault, false);
    assert.equal(created.body.properties.endpoint, 'local', 'endpoint defaults to the local suffix');
    assert.equal(created.body.properties.protocol, 'http');
    assert.deepEqual(created.body.properties.credentials.secrets, { secretsType: 'AccountKey' });
    assert.ok(!created.text.includes('c2VjcmV0LWtleQ=='), 'the key must not come back');

    const got = (await h.call('GET', `${ws}/datastores/training?${apiVersion}`)).body;
    got.properties.description = 'raw data, v2';
    const updated = await h.call('PUT', `${ws}/datastores/training?${apiVersion}`, { properties: got.properties });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.properties.description, 'raw data, v2');
    const secrets = await h.call('POST', `${ws}/datastores/training/listSecrets?${apiVersion}`);
    assert.deepEqual(secrets.body, { secretsType: 'AccountKey', key: 'c2VjcmV0LWtleQ==' });
    assert.equal((await h.call('GET', `${ws}/datastores/workspaceblobstore?${apiVersion}`)).body.properties.isDefault, true);
  });

  it('validates the body: required fields per datastore and credentials type, named in the message', async () => {
    const cases: Array<[unknown, string]> = [
      [{}, 'properties'],
      [{ properties: { accountName: 'a', containerName: 'c', credentials: { credentialsType: 'None' } } }, 'properties.datastoreType'],
      [{ properties: { datastoreType: 'AzureBlob', containerName: 'c', credentials: { credentialsType: 'None' } } }, 'properties.accountName'],
      [{ properties: { datastoreType: 'AzureBlob', accountName: 'a', containerName: 'c' } }, 'properties.credentials'],
      [{ properties: { datastoreType: 'AzureFile', accountName: 'a', credentials: { credentialsType: 'None' } } }, 'properties.fileShareName'],
      [{ properties: { datastoreType: 'AzureDataLakeGen2', accountName: 'a', credentials: { credentialsType: 'None' } } }, 'properties.filesystem'],
      [{ properties: { datastoreType: 'AzureDataLakeGen1', credentials: { credentialsType: 'None' } } }, 'properties.storeName'],
      [{ properties: { datastoreType: 'Ftp', credentials: { credentialsType: 'None' } } }, 'properties.datastoreType'],
      [blobBody({ credentials: { credentialsType: 'AccountKey', secrets: { secretsType: 'AccountKey' } } }), 'properties.credentials.secrets.key'],
      [blobBody({ credentials: { credentialsType: 'Sas', secrets: { secretsType: 'Sas' } } }), 'properties.credentials.secrets.sasToken'],
      [blobBody({ credentials: { credentialsType: 'ServicePrincipal', clientId: 'c', secrets: { clientSecret: 's' } } }), 'properties.credentials.tenantId'],
      [blobBody({ credentials: { credentialsType: 'Password' } }), 'properties.credentials.credentialsType'],
    ];
    for (const [body, field] of cases) {
      const reply = await h.call('PUT', `${ws}/datastores/check?${apiVersion}`, body);
      assert.equal(reply.status, 400, `${field}: ${reply.text}`);
      assert.ok(reply.body.error.message.includes(`'${field}'`), `message should name ${field}: ${reply.body.error.message}`);
      assert.equal(reply.body.error.target, field);
    }
  });

  it('enforces the datastore name rule (letters, digits, underscores)', async () => {
    for (const bad of ['my-store', 'my.store', 'a%20b']) {
      const reply = await h.call('PUT', `${ws}/datastores/${bad}?${apiVersion}`, blobBody());
      assert.equal(reply.status, 400, bad);
      assert.match(reply.body.error.message, /Invalid datastore name/);
    }
    assert.equal((await h.call('PUT', `${ws}/datastores/My_Store_2?${apiVersion}`, blobBody())).status, 201);
    assert.equal((await h.call('GET', `${ws}/datastores/my_store_2?${apiVersion}`)).body.name, 'My_Store_2', 'names are case-insensitive');
  });

  it('lists secrets per credentials type and refuses for None', async () => {
    await h.call('PUT', `${ws}/datastores/sas_store?${apiVersion}`, blobBody({ credentials: { credentialsType: 'Sas', secrets: { secretsType: 'Sas', sasToken: 'sv=2024&sig=abc' } } }));
    await h.call('PUT', `${ws}/datastores/sp_store?${apiVersion}`, {
      properties: {
        datastoreType: 'AzureDataLakeGen2', accountName: 'lake', filesystem: 'fs',
        credentials: { credentialsType: 'ServicePrincipal', tenantId: 't', clientId: 'c', secrets: { secretsType: 'ServicePrincipal', clientSecret: 'shh' } },
      },
    });
    await h.call('PUT', `${ws}/datastores/identity_store?${apiVersion}`, blobBody({ credentials: { credentialsType: 'None' } }));
    assert.deepEqual((await h.call('POST', `${ws}/datastores/sas_store/listSecrets?${apiVersion}`)).body, { secretsType: 'Sas', sasToken: 'sv=2024&sig=abc' });
    assert.deepEqual((await h.call('POST', `${ws}/datastores/sp_store/listSecrets?${apiVersion}`)).body, { secretsType: 'ServicePrincipal', clientSecret: 'shh' });
    const none = await h.call('POST', `${ws}/datastores/identity_store/listSecrets?${apiVersion}`);
    assert.equal(none.status, 400);
    assert.match(none.body.error.message, /no secrets/);
    assert.equal((await h.call('POST', `${ws}/datastores/missing/listSecrets?${apiVersion}`)).status, 404);
  });

  it('deletes datastores (200, then 204) but not the default one', async () => {
    await h.call('PUT', `${ws}/datastores/temp?${apiVersion}`, blobBody());
    assert.equal((await h.call('DELETE', `${ws}/datastores/temp?${apiVersion}`)).status, 200);
    assert.equal((await h.call('GET', `${ws}/datastores/temp?${apiVersion}`)).status, 404);
    assert.equal((await h.call('DELETE', `${ws}/datastores/temp?${apiVersion}`)).status, 204);
    const def = await h.call('DELETE', `${ws}/datastores/workspaceblobstore?${apiVersion}`);
    assert.equal(def.status, 409);
    assert.match(def.body.error.message, /default datastore/);
  });

  it('works with the real AzureMachineLearningWorkspaces client: list across pages, get, createOrUpdate, listSecrets', async () => {
    const client = armClient(h.base);
    await client.datastores.createOrUpdate(resourceGroup, 'local', 'sdk_store', {
      properties: {
        datastoreType: 'AzureBlob', accountName: 'devstoreaccount1', containerName: 'sdk', endpoint: 'local', protocol: 'http',
        credentials: { credentialsType: 'Sas', secrets: { secretsType: 'Sas', sasToken: 'sv=1&sig=2' } },
      },
    });
    const all = await collect(client.datastores.list(resourceGroup, 'local'));
    assert.deepEqual(all.map((d) => d.name).sort(), ['sdk_store', 'workspaceartifactstore', 'workspaceblobstore', 'workspacefilestore']);
    const pages = await collect(client.datastores.list(resourceGroup, 'local').byPage());
    assert.equal(pages.length, 2, 'pageSize 2 gives two pages');

    const blob = await client.datastores.get(resourceGroup, 'local', 'workspaceblobstore');
    assert.equal(blob.properties.isDefault, true);
    assert.equal(blob.properties.datastoreType, 'AzureBlob');
    const secrets = await client.datastores.listSecrets(resourceGroup, 'local', 'workspaceblobstore');
    assert.equal(secrets.secretsType, 'AccountKey');
    assert.ok((secrets as { key?: string }).key);
    const defaults = await collect(client.datastores.list(resourceGroup, 'local', { isDefault: true }));
    assert.deepEqual(defaults.map((d) => d.name), ['workspaceblobstore']);
  });
});
