/**
 * The local workspace answers as Azure ML does in the recordings of
 * /work/shared/fixtures/azureml-recorded (datastore-blob-crud, model-create-from-file,
 * mlflow-logging-metrics): expirable listSecrets, 201 + Location on create, ModelNotFound.
 */
import * as assert from 'node:assert/strict';
import { ContainerClient } from '@azure/storage-blob';
import { ShareClient } from '@azure/storage-file-share';
import { startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';

const apiVersion = 'api-version=2024-07-01-preview';

interface Reply {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe('local workspace: behaviours recorded from Azure ML', function () {
  this.timeout(60_000);
  let local: StartedLocalWorkspace;
  let ws: string;

  before(async () => {
    local = await startLocalWorkspace();
    const c = local.connection;
    ws = `/subscriptions/${c.subscriptionId}/resourceGroups/${c.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${c.workspace}`;
  });
  after(() => local?.dispose());

  async function call(method: string, pathAndQuery: string, body?: unknown): Promise<Reply> {
    const response = await fetch(`${local.connection.armEndpoint}${pathAndQuery}`, {
      method,
      headers: { authorization: `Bearer ${local.connection.token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  }

  it('answers an expirable listSecrets with a SAS that expires in the hours asked for and works on the storage, never the key', async () => {
    const before = Date.now();
    const blob = await call('POST', `${ws}/datastores/workspaceblobstore/listSecrets?${apiVersion}`, { expirableSecret: true, expireAfterHours: 1 });
    assert.equal(blob.status, 200);
    assert.deepEqual(Object.keys(blob.body).sort(), ['sasToken', 'secretsType']);
    assert.equal(blob.body.secretsType, 'Sas');
    assert.match(blob.body.sasToken, /^\?sv=/);
    const params = new URLSearchParams(blob.body.sasToken.slice(1));
    const expiry = Date.parse(params.get('se')!);
    assert.ok(Math.abs(expiry - (before + 3_600_000)) < 60_000, `se=${params.get('se')} is not one hour ahead`);

    const datastore = (await call('GET', `${ws}/datastores/workspaceblobstore?${apiVersion}`)).body;
    const container = new ContainerClient(`${local.connection.blobEndpoint}/${datastore.properties.containerName}${blob.body.sasToken}`);
    await container.getBlockBlobClient('recorded/sas.txt').upload('via the SAS', 11);
    assert.equal((await container.getBlobClient('recorded/sas.txt').downloadToBuffer()).toString(), 'via the SAS');

    const file = await call('POST', `${ws}/datastores/workspacefilestore/listSecrets?${apiVersion}`, { expirableSecret: true, expireAfterHours: 1 });
    assert.equal(file.body.secretsType, 'Sas');
    const fileStore = (await call('GET', `${ws}/datastores/workspacefilestore?${apiVersion}`)).body;
    const share = new ShareClient(`${local.connection.fileEndpoint}/${fileStore.properties.fileShareName}${file.body.sasToken}`);
    await share.rootDirectoryClient.getFileClient('sas.txt').uploadData(Buffer.from('file via the SAS'));
    assert.equal((await share.rootDirectoryClient.getFileClient('sas.txt').downloadToBuffer()).toString(), 'file via the SAS');

    const plain = await call('POST', `${ws}/datastores/workspaceblobstore/listSecrets?${apiVersion}`);
    assert.equal(plain.body.secretsType, 'AccountKey', 'a client that asks for no expiring secret still gets the key');
  });

  it('answers 201 with Location when a PUT creates a datastore, model version, code version or job, and 200 without it on update', async () => {
    const datastore = `${ws}/datastores/recorded_ds?${apiVersion}&skipValidation=true`;
    const dsBody = {
      properties: {
        datastoreType: 'AzureBlob', accountName: 'devstoreaccount1', containerName: 'recorded', endpoint: 'local', protocol: 'http',
        credentials: { credentialsType: 'Sas', secrets: { secretsType: 'Sas', sasToken: 'sv=2021-12-02&se=2099-01-01&sr=c&sp=rl&sig=abc' } },
      },
    };
    const model = `${ws}/models/recorded-model/versions/3?${apiVersion}`;
    const modelBody = { properties: { modelUri: 'azureml://datastores/workspaceblobstore/paths/LocalUpload/x/model.pkl', modelType: 'custom_model' } };
    const code = `${ws}/codes/recorded-code/versions/1?${apiVersion}`;
    const codeBody = { properties: { codeUri: 'http://127.0.0.1:1/devstoreaccount1/c/src', isAnonymous: true } };
    for (const [url, body] of [[datastore, dsBody], [model, modelBody], [code, codeBody]] as const) {
      const created = await call('PUT', url, body);
      assert.equal(created.status, 201, `${url}: ${JSON.stringify(created.body)}`);
      assert.equal(created.headers.get('location'), `${local.connection.armEndpoint}${url}`);
      const updated = await call('PUT', url, body);
      assert.equal(updated.status, 200);
      assert.equal(updated.headers.get('location'), null);
    }
    const job = `${ws}/jobs/recorded_job_1?${apiVersion}`;
    const created = await call('PUT', job, {
      properties: { jobType: 'Command', command: 'echo hi', environmentId: 'azureml://registries/azureml/environments/sklearn-1.5/labels/latest', experimentName: 'recorded' },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.headers.get('location'), `${local.connection.armEndpoint}${job}`);
  });

  it('answers the versions of a model that does not exist with 404 ModelNotFound, shaped as Azure ML does', async () => {
    const reply = await call('GET', `${ws}/models/no-such-model/versions?${apiVersion}&$orderBy=createdtime%20desc&$top=1`);
    assert.equal(reply.status, 404);
    assert.equal(reply.body.error.code, 'UserError');
    assert.equal(reply.body.error.message, 'The specified resource was not found.');
    assert.deepEqual(reply.body.error.details, [
      { code: 'ModelNotFound', message: 'Model container with name: no-such-model not found.', details: [], additionalInfo: [] },
    ]);
  });

  it('says its system datastores use account keys (systemDatastoresAuthMode: accesskey)', async () => {
    const reply = await call('GET', `${ws}?${apiVersion}`);
    assert.equal(reply.body.properties.systemDatastoresAuthMode, 'accesskey');
  });
});
