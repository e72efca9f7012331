/**
 * Our clients against the Azure REST spec's own request/response examples, served by a real
 * HTTP server and read through the real SDK pipeline.
 */
import { strict as assert } from 'node:assert';
import { azurePublicCloud } from '../../src/azure/cloud';
import type { DatastoreInput } from '../../src/azure/domain';
import { mapWorkspace } from '../../src/azure/mappers';
import { maxServicePagesPerFilteredList } from '../../src/azure/jobs';
import { machineLearningApiVersion } from '../../src/azure/mlServiceClient';
import { rejection } from '../support/rejection';
import {
  loadFixture, StubServer, testToken, workspaceClientFor, workspacePath, type Fixture, type RecordedRequest,
} from './stubServer';

const createdAt = new Date('2020-01-01T12:34:56.999Z');

function answerWith(stub: StubServer, fixture: Fixture, status = '200'): void {
  const response = fixture.responses[status];
  assert.ok(response, `fixture has a ${status} response`);
  stub.answer(() => ({ status: Number(status), body: response.body }));
}

/** Method, path, api-version (the fixture's) and our bearer token. */
function assertRequest(request: RecordedRequest, fixture: Fixture, method: string, path: string): void {
  assert.equal(request.method, method);
  assert.equal(request.pathname, path);
  assert.equal(request.query.get('api-version'), fixture.parameters['api-version']);
  assert.equal(request.headers.authorization, `Bearer ${testToken}`);
}

/** Every query parameter we sent is one the spec example documents for this operation. */
function assertKnownQueryParameters(request: RecordedRequest, fixture: Fixture, extra: string[] = []): void {
  const known = new Set([...Object.keys(fixture.parameters), '$skip', ...extra]);
  for (const key of request.query.keys()) assert.ok(known.has(key), `query parameter "${key}" is documented`);
}

/** The body we sent matches the example request body: same values, no key it does not have. */
function assertBodyMatches(sent: Record<string, unknown>, expected: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(sent)) {
    assert.ok(key in expected, `sent body key "${key}" is in the example`);
    assert.deepEqual(value, expected[key], `body key "${key}"`);
  }
}

describe('Azure ML clients read the REST spec examples', () => {
  let stub: StubServer;
  before(async () => {
    stub = await StubServer.start();
  });
  after(async () => {
    await stub.close();
  });

  it('uses the same api-version as the examples', async () => {
    const fixture = await loadFixture('Datastore__get');
    assert.equal(machineLearningApiVersion, fixture.parameters['api-version']);
  });

  describe('datastores', () => {
    const blobDatastore = {
      id: 'string',
      name: 'string',
      datastoreType: 'AzureBlob',
      accountName: 'string',
      containerName: 'string',
      endpoint: 'core.windows.net',
      protocol: 'https',
      isDefault: false,
      credentialsType: 'AccountKey',
      description: 'string',
      tags: { string: 'string' },
      properties: {},
      createdAt,
      lastModifiedAt: createdAt,
    };

    it('get', async () => {
      const fixture = await loadFixture('Datastore__get');
      answerWith(stub, fixture);
      const datastore = await workspaceClientFor(stub, fixture).datastores.get('string');
      assert.deepEqual(datastore, blobDatastore);
      assertRequest(stub.lastRequest, fixture, 'GET', `${workspacePath(fixture)}/datastores/string`);
    });

    it('list: one page and its continuation token', async () => {
      const fixture = await loadFixture('Datastore__list');
      answerWith(stub, fixture);
      const page = await workspaceClientFor(stub, fixture).datastores.list();
      assert.deepEqual(page, { items: [blobDatastore], continuationToken: 'string' });
      assertRequest(stub.lastRequest, fixture, 'GET', `${workspacePath(fixture)}/datastores`);
      assertKnownQueryParameters(stub.lastRequest, fixture);
      assert.equal(stub.requests.length, 1, 'reads one page only');
    });

    it('list: follows the nextLink given as continuation token', async () => {
      const fixture = await loadFixture('Datastore__list');
      const body = fixture.responses['200']!.body as { value: Array<{ name: string }> };
      const listPath = `${workspacePath(fixture)}/datastores`;
      stub.answer((request, base) => request.query.get('$skip') === 'page2'
        ? { status: 200, body: { value: [{ ...body.value[0], name: 'second' }] } }
        : { status: 200, body: { value: body.value, nextLink: `${base}${listPath}?api-version=2024-10-01&$skip=page2` } });
      const client = workspaceClientFor(stub, fixture);
      const first = await client.datastores.list();
      assert.ok(first.continuationToken);
      const second = await client.datastores.list({ continuationToken: first.continuationToken });
      assert.deepEqual(second.items.map((d) => d.name), ['second']);
      assert.equal(second.continuationToken, undefined);
      assert.equal(stub.lastRequest.pathname, listPath);
      assert.equal(stub.lastRequest.query.get('$skip'), 'page2');
    });

    it('getDefault asks for isDefault=true and returns the default one', async () => {
      const fixture = await loadFixture('Datastore__list');
      const body = fixture.responses['200']!.body as { value: Array<{ properties: object }> };
      const item = body.value[0]!;
      stub.answer(() => ({
        status: 200,
        body: { value: [{ ...item, name: 'workspaceblobstore', properties: { ...item.properties, isDefault: true } }] },
      }));
      const found = await workspaceClientFor(stub, fixture).datastores.getDefault();
      assert.equal(found?.name, 'workspaceblobstore');
      assert.equal(found?.isDefault, true);
      assert.equal(stub.lastRequest.query.get('isDefault'), 'true');
    });

    it('listSecrets', async () => {
      const fixture = await loadFixture('Datastore__listSecrets');
      answerWith(stub, fixture);
      const { expiresAt, ...secrets } = await workspaceClientFor(stub, fixture).datastores.listSecrets('string');
      assert.deepEqual(secrets, { secretsType: 'AccountKey', key: 'string' });
      assert.ok(expiresAt instanceof Date, 'an account key is kept only for the hour asked for');
      assertRequest(stub.lastRequest, fixture, 'POST', `${workspacePath(fixture)}/datastores/string/listSecrets`);
      assert.deepEqual(stub.lastRequest.body, { expirableSecret: true, expireAfterHours: 1 });
    });

    it('delete', async () => {
      const fixture = await loadFixture('Datastore__delete');
      stub.answer(() => ({ status: 204 }));
      await workspaceClientFor(stub, fixture).datastores.delete('string');
      assertRequest(stub.lastRequest, fixture, 'DELETE', `${workspacePath(fixture)}/datastores/string`);
    });

    const creates: Array<{ fixture: string; input: DatastoreInput; expected: Record<string, unknown> }> = [
      {
        fixture: 'Datastore__AzureBlobWAccountKey__createOrUpdate',
        input: {
          name: 'string', datastoreType: 'AzureBlob', accountName: 'string', containerName: 'string',
          endpoint: 'core.windows.net', protocol: 'https', credentials: { credentialsType: 'AccountKey', key: 'string' },
          description: 'string', tags: { string: 'string' },
        },
        expected: blobDatastore,
      },
      {
        fixture: 'Datastore__AzureFileWAccountKey__createOrUpdate',
        input: {
          name: 'string', datastoreType: 'AzureFile', accountName: 'string', fileShareName: 'string',
          endpoint: 'string', protocol: 'string', credentials: { credentialsType: 'AccountKey', key: 'string' },
          description: 'string', tags: { string: 'string' },
        },
        expected: {
          id: 'string', name: 'string', datastoreType: 'AzureFile', accountName: 'string', fileShareName: 'string',
          endpoint: 'string', protocol: 'string', isDefault: false, credentialsType: 'AccountKey',
          description: 'string', tags: { string: 'string' }, properties: {}, createdAt, lastModifiedAt: createdAt,
        },
      },
      {
        fixture: 'Datastore__AzureDataLakeGen2WServicePrincipal__createOrUpdate',
        input: {
          name: 'string', datastoreType: 'AzureDataLakeGen2', accountName: 'string', filesystem: 'string',
          endpoint: 'string', protocol: 'string',
          credentials: {
            credentialsType: 'ServicePrincipal', authorityUrl: 'string', resourceUrl: 'string',
            tenantId: '00000000-1111-2222-3333-444444444444', clientId: '00000000-1111-2222-3333-444444444444',
            clientSecret: 'string',
          },
          description: 'string', tags: { string: 'string' },
        },
        expected: {
          id: 'string', name: 'string', datastoreType: 'AzureDataLakeGen2', accountName: 'string', filesystem: 'string',
          endpoint: 'string', protocol: 'string', isDefault: false, credentialsType: 'ServicePrincipal',
          servicePrincipal: {
            tenantId: '00000000-1111-2222-3333-444444444444', clientId: '00000000-1111-2222-3333-444444444444',
            authorityUrl: 'string', resourceUrl: 'string',
          },
          description: 'string', tags: { string: 'string' }, properties: {}, createdAt, lastModifiedAt: createdAt,
        },
      },
    ];
    for (const { fixture: name, input, expected } of creates) {
      for (const status of ['200', '201']) {
        it(`createOrUpdate (${name.split('__')[1]}, ${status})`, async () => {
          const fixture = await loadFixture(name);
          answerWith(stub, fixture, status);
          const datastore = await workspaceClientFor(stub, fixture).datastores.createOrUpdate(input);
          assert.deepEqual(datastore, expected);
          const request = stub.lastRequest;
          assertRequest(request, fixture, 'PUT', `${workspacePath(fixture)}/datastores/string`);
          assert.equal(request.query.get('skipValidation'), String(fixture.parameters['skipValidation']));
          const sent = request.body as { properties: Record<string, unknown> };
          assert.deepEqual(Object.keys(sent), ['properties']);
          assertBodyMatches(sent.properties, fixture.parameters.body!.properties!);
        });
      }
    }

    it('reads an AzureDataLakeGen1 datastore (service principal, storeName)', async () => {
      const fixture = await loadFixture('Datastore__AzureDataLakeGen1WServicePrincipal__createOrUpdate');
      answerWith(stub, fixture);
      const datastore = await workspaceClientFor(stub, fixture).datastores.get('string');
      assert.equal(datastore.datastoreType, 'AzureDataLakeGen1');
      assert.equal(datastore.storeName, 'string');
      assert.equal(datastore.credentialsType, 'ServicePrincipal');
      assert.deepEqual(datastore.servicePrincipal, {
        tenantId: '00000000-1111-2222-3333-444444444444', clientId: '00000000-1111-2222-3333-444444444444',
        authorityUrl: 'string', resourceUrl: 'string',
      });
    });
  });

  describe('jobs', () => {
    const expectedJob = {
      id: 'string',
      name: 'string',
      displayName: 'string',
      experimentName: 'string',
      status: 'NotStarted',
      jobType: 'Command',
      description: 'string',
      command: 'string',
      computeId: 'string',
      environmentId: 'string',
      codeId: 'string',
      createdAt,
      createdBy: 'string',
      tags: { string: 'string' },
      properties: { string: 'string' },
      isArchived: false,
      services: { string: { jobServiceType: 'string', endpoint: 'string', status: 'string', port: 1 } },
      inputs: { string: { type: 'literal', value: 'string', description: 'string' } },
      outputs: { string: { type: 'uri_file', uri: 'string', mode: 'ReadWriteMount', description: 'string' } },
      environmentVariables: { string: 'string' },
      instanceCount: 1,
      timeout: 'PT5M',
    };

    for (const status of ['200', '201']) {
      it(`createCommandJob (${status})`, async () => {
        const fixture = await loadFixture('Job__CommandJob__createOrUpdate');
        answerWith(stub, fixture, status);
        const job = await workspaceClientFor(stub, fixture).jobs.createCommandJob({
          name: 'string', command: 'string', environmentId: 'string', displayName: 'string', experimentName: 'string',
          description: 'string', tags: { string: 'string' }, properties: { string: 'string' },
          computeId: 'string', codeId: 'string',
          inputs: { string: { type: 'literal', value: 'string', description: 'string' } },
          outputs: { string: { type: 'uri_file', uri: 'string', mode: 'ReadWriteMount', description: 'string' } },
          environmentVariables: { string: 'string' }, instanceCount: 1, timeout: 'PT5M',
        });
        assert.deepEqual(job, expectedJob);
        const request = stub.lastRequest;
        assertRequest(request, fixture, 'PUT', `${workspacePath(fixture)}/jobs/string`);
        const expectedBody = fixture.parameters.body!.properties!;
        const sent = (request.body as { properties: Record<string, unknown> }).properties;
        // The example also sets services, distribution and identity, which we leave to the service.
        const { resources, ...rest } = sent;
        assertBodyMatches(rest, expectedBody);
        assert.deepEqual(resources, { instanceCount: 1 });
        for (const required of ['jobType', 'command', 'environmentId']) assert.ok(required in sent, `sends ${required}`);
      });
    }

    it('data inputs and outputs keep uri and mode both ways', async () => {
      const fixture = await loadFixture('Job__CommandJob__createOrUpdate');
      const body = structuredClone(fixture.responses['200']!.body) as { properties: Record<string, unknown> };
      const dataInput = { jobInputType: 'uri_folder', mode: 'ReadOnlyMount', uri: 'azureml://datastores/workspaceblobstore/paths/data/' };
      const modelOutput = { jobOutputType: 'custom_model', mode: 'Upload', uri: 'azureml://datastores/workspaceblobstore/paths/model/' };
      body.properties['inputs'] = { data: dataInput };
      body.properties['outputs'] = { model: modelOutput };
      stub.answer(() => ({ status: 200, body }));
      const client = workspaceClientFor(stub, fixture);
      await client.jobs.createCommandJob({
        name: 'string', command: 'python train.py', environmentId: 'azureml:env@latest',
        inputs: { data: { type: 'uri_folder', uri: dataInput.uri, mode: 'ReadOnlyMount' } },
        outputs: { model: { type: 'custom_model', uri: modelOutput.uri, mode: 'Upload' } },
      });
      const sent = (stub.lastRequest.body as { properties: Record<string, unknown> }).properties;
      assert.deepEqual(sent['inputs'], { data: dataInput });
      assert.deepEqual(sent['outputs'], { model: modelOutput });
      const job = await client.jobs.get('string');
      assert.deepEqual(job.inputs, { data: { type: 'uri_folder', uri: dataInput.uri, mode: 'ReadOnlyMount' } });
      assert.deepEqual(job.outputs, { model: { type: 'custom_model', uri: modelOutput.uri, mode: 'Upload' } });
    });

    it('studioUrl comes from services.Studio.endpoint', async () => {
      const fixture = await loadFixture('Job__CommandJob__createOrUpdate');
      const body = structuredClone(fixture.responses['200']!.body) as { properties: { services: Record<string, unknown> } };
      body.properties.services['Studio'] = { jobServiceType: 'Studio', endpoint: 'https://ml.azure.com/runs/string?wsid=x' };
      stub.answer(() => ({ status: 200, body }));
      const job = await workspaceClientFor(stub, fixture).jobs.get('string');
      assert.equal(job.studioUrl, 'https://ml.azure.com/runs/string?wsid=x');
      assertRequest(stub.lastRequest, fixture, 'GET', `${workspacePath(fixture)}/jobs/string`);
    });

    it('list: one page, listViewType, jobType and tag passed through', async () => {
      const fixture = await loadFixture('Job__CommandJob__list');
      answerWith(stub, fixture);
      const page = await workspaceClientFor(stub, fixture).jobs.list({ jobType: 'string', tag: 'string' });
      assert.deepEqual(page, { items: [expectedJob], continuationToken: 'string' });
      const request = stub.lastRequest;
      assertRequest(request, fixture, 'GET', `${workspacePath(fixture)}/jobs`);
      assertKnownQueryParameters(request, fixture, ['listViewType']);
      assert.equal(request.query.get('listViewType'), 'ActiveOnly');
      assert.equal(request.query.get('jobType'), 'string');
      assert.equal(request.query.get('tag'), 'string');
    });

    it('list by experiment: filters each page and reads on past pages without matches', async () => {
      const fixture = await loadFixture('Job__CommandJob__list');
      const item = (fixture.responses['200']!.body as { value: Array<{ properties: object }> }).value[0]!;
      const job = (name: string, experimentName: string) => ({ ...item, name, properties: { ...item.properties, experimentName } });
      const listPath = `${workspacePath(fixture)}/jobs`;
      const pages: Record<string, { value: unknown[]; next?: string }> = {
        first: { value: [job('a1', 'a'), job('a2', 'a')], next: 'p2' },
        p2: { value: [job('b1', 'b'), job('a3', 'a')], next: 'p3' },
        p3: { value: [job('b2', 'b')] },
      };
      stub.answer((request, base) => {
        const page = pages[request.query.get('$skip') ?? 'first']!;
        return {
          status: 200,
          body: { value: page.value, ...(page.next ? { nextLink: `${base}${listPath}?$skip=${page.next}&api-version=2024-10-01` } : {}) },
        };
      });
      const jobs = workspaceClientFor(stub, fixture).jobs;
      const first = await jobs.list({ experimentName: 'b' });
      assert.deepEqual(first.items.map((j) => j.name), ['b1']);
      assert.equal(stub.requests.length, 2, 'read the page without matches and the next one');
      const second = await jobs.list({ experimentName: 'b', continuationToken: first.continuationToken });
      assert.deepEqual(second.items.map((j) => j.name), ['b2']);
      assert.equal(second.continuationToken, undefined);
    });
  });

  describe('jobs: experiment filter bounds', () => {
    it('stops after a few pages without matches and hands back a token to go on', async () => {
      const fixture = await loadFixture('Job__CommandJob__list');
      const item = (fixture.responses['200']!.body as { value: Array<{ properties: object }> }).value[0]!;
      const listPath = `${workspacePath(fixture)}/jobs`;
      stub.answer((request, base) => {
        const n = Number(request.query.get('$skip') ?? '0');
        return {
          status: 200,
          body: {
            value: [{ ...item, name: `j${n}`, properties: { ...item.properties, experimentName: n === 7 ? 'rare' : 'common' } }],
            ...(n < 7 ? { nextLink: `${base}${listPath}?$skip=${n + 1}&api-version=2024-10-01` } : {}),
          },
        };
      });
      const jobs = workspaceClientFor(stub, fixture).jobs;
      const first = await jobs.list({ experimentName: 'rare' });
      assert.deepEqual(first.items, []);
      assert.equal(stub.requests.length, maxServicePagesPerFilteredList);
      assert.ok(first.continuationToken, 'more to read');
      const second = await jobs.list({ experimentName: 'rare', continuationToken: first.continuationToken });
      assert.deepEqual(second.items.map((j) => j.name), ['j7']);
      assert.equal(second.continuationToken, undefined);
    });
  });

  describe('code assets', () => {
    it('startPendingUpload', async () => {
      const fixture = await loadFixture('Workspace__CodeVersion__createOrGetStartPendingUpload');
      // The example's SAS URL is on a placeholder host; a real answer names the workspace's storage.
      const example = structuredClone(fixture.responses['200']!.body) as {
        blobReferenceForConsumption: { blobUri: string; credential: { sasUri: string } };
      };
      example.blobReferenceForConsumption.blobUri = `${stub.url}/devstoreaccount1/code`;
      example.blobReferenceForConsumption.credential.sasUri = `${stub.url}/devstoreaccount1/code?sv=x&sig=y`;
      stub.answer(() => ({ status: 200, body: example }));
      const upload = await workspaceClientFor(stub, fixture).codes.startPendingUpload('string', 'string');
      assert.deepEqual(upload, {
        pendingUploadId: 'string',
        pendingUploadType: 'None',
        blobUri: `${stub.url}/devstoreaccount1/code`,
        sasUri: `${stub.url}/devstoreaccount1/code?sv=x&sig=y`,
        storageAccountArmId: 'string',
      });
      const request = stub.lastRequest;
      assertRequest(request, fixture, 'POST', `${workspacePath(fixture)}/codes/string/versions/string/startPendingUpload`);
      assertKnownQueryParameters(request, fixture);
      const sent = request.body as Record<string, unknown>;
      for (const key of Object.keys(sent)) assert.ok(key in fixture.parameters.body!, `body key ${key} is in the example`);
      assert.equal(sent['pendingUploadType'], 'TemporaryBlobReference');
    });

    it('startPendingUpload refuses a SAS URL that is not the cloud\'s storage (the example\'s placeholder host)', async () => {
      const fixture = await loadFixture('Workspace__CodeVersion__createOrGetStartPendingUpload');
      answerWith(stub, fixture);
      const error = await rejection(workspaceClientFor(stub, fixture).codes.startPendingUpload('string', 'string'));
      assert.equal(error.code, 'UntrustedHost');
      assert.equal(error.message,
        'Refused to send the code snapshot to https://www.contoso.com: only loopback addresses are allowed for the local workspace. Nothing was sent.');
    });
  });

  describe('models', () => {
    it('list containers', async () => {
      const fixture = await loadFixture('Workspace__ModelContainer__list');
      answerWith(stub, fixture);
      const page = await workspaceClientFor(stub, fixture).models.list();
      const when = new Date('2020-12-01T12:00:00.000Z');
      assert.deepEqual(page, {
        items: [{
          id: `${workspacePath(fixture)}/models/testContainer`,
          name: 'testContainer',
          description: 'Model container description',
          tags: { tag1: 'value1', tag2: 'value2' },
          properties: {},
          isArchived: false,
          createdAt: when,
          lastModifiedAt: when,
        }],
        continuationToken: 'nextlink',
      });
      assertRequest(stub.lastRequest, fixture, 'GET', `${workspacePath(fixture)}/models`);
      assertKnownQueryParameters(stub.lastRequest, fixture, ['count', 'listViewType']);
    });

    it('get a version', async () => {
      const fixture = await loadFixture('Workspace__ModelVersion__get');
      answerWith(stub, fixture);
      const version = await workspaceClientFor(stub, fixture).models.getVersion('string', 'string');
      assert.deepEqual(version, {
        id: 'string',
        name: 'string',
        version: 'string',
        modelType: 'CustomModel',
        modelUri: 'string',
        description: 'string',
        tags: { string: 'string' },
        properties: { string: 'string' },
        flavors: ['string'],
        isAnonymous: false,
        isArchived: false,
        createdAt,
        createdBy: 'string',
      });
      assertRequest(stub.lastRequest, fixture, 'GET', `${workspacePath(fixture)}/models/string/versions/string`);
    });
  });

  describe('workspaces', () => {
    const armId = '/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/workspace-1234/providers/Microsoft.MachineLearningServices/workspaces/testworkspace';
    it('get', async () => {
      const fixture = await loadFixture('Workspace__get');
      answerWith(stub, fixture);
      const workspace = await workspaceClientFor(stub, fixture).getWorkspace();
      const rg = '/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/workspace-1234/providers';
      assert.deepEqual(workspace, {
        id: armId,
        name: 'testworkspace',
        subscriptionId: '00000000-1111-2222-3333-444444444444',
        resourceGroup: 'workspace-1234',
        workspaceName: 'testworkspace',
        displayName: 'HelloName',
        description: 'test description',
        location: 'eastus2euap',
        discoveryUrl: 'http://example.com',
        storageAccountId: '/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/accountcrud-1234/providers/Microsoft.Storage/storageAccounts/testStorageAccount',
        storageAccountName: 'testStorageAccount',
        keyVaultId: `${rg}/Microsoft.KeyVault/vaults/testkv`,
        applicationInsightsId: `${rg}/microsoft.insights/components/testinsights`,
        containerRegistryId: `${rg}/Microsoft.ContainerRegistry/registries/testRegistry`,
        publicNetworkAccess: 'Disabled',
        tenantId: '00000000-1111-2222-3333-444444444444',
        tags: {},
      });
      assertRequest(stub.lastRequest, fixture, 'GET', workspacePath(fixture));
    });

    it('links to studio on Azure clouds', async () => {
      const fixture = await loadFixture('Workspace__get');
      const body = fixture.responses['200']!.body as Parameters<typeof mapWorkspace>[0];
      const workspace = mapWorkspace(body, azurePublicCloud);
      assert.equal(workspace.studioUrl,
        `https://ml.azure.com/?wsid=${encodeURIComponent(armId)}&tid=00000000-1111-2222-3333-444444444444`);
    });
  });

  describe('computes', () => {
    it('list', async () => {
      const fixture = await loadFixture('Compute__list');
      answerWith(stub, fixture);
      const page = await workspaceClientFor(stub, fixture).computes.list();
      const when = new Date('2021-04-01T22:00:00.000Z');
      const compute = (name: string) => ({
        id: `${workspacePath(fixture)}/computes/${name}`,
        name,
        computeType: 'AKS',
        location: 'eastus',
        provisioningState: 'Succeeded',
        state: 'Succeeded',
        description: 'some compute',
        isAttached: false,
        resourceId: `/subscriptions/34adfa4f-cedf-4dc0-ba29-b6d1a69ab345/resourcegroups/testrg123/providers/Microsoft.ContainerService/managedClusters/${name}-56826-c9b00420020b2`,
        createdAt: when,
        modifiedAt: when,
        applications: [],
      });
      assert.deepEqual(page, { items: [compute('compute123'), compute('compute1234')], continuationToken: 'nextLink' });
      assertRequest(stub.lastRequest, fixture, 'GET', `${workspacePath(fixture)}/computes`);
      assertKnownQueryParameters(stub.lastRequest, fixture);
    });
  });
});
