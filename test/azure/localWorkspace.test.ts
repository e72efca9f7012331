/**
 * Our clients against the real local workspace service (dist/local.js), started with a small
 * page size so paging is visible.
 */
import { strict as assert } from 'node:assert';
import { createHash, randomUUID } from 'node:crypto';
import type { Job } from '../../src/azure/domain';
import { connectLocalWorkspace } from '../../src/azure/localWorkspace';
import { ResourceManagerClient } from '../../src/azure/resourceManagerClient';
import type { WorkspaceClient } from '../../src/azure/workspaceClient';
import { startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';
import { rejection } from '../support/rejection';

const pageSize = 2;


async function collect<T>(fetchPage: (token?: string) => Promise<{ items: T[]; continuationToken?: string }>): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await fetchPage(token);
    pages++;
    items.push(...page.items);
    token = page.continuationToken;
  } while (token && pages < 100);
  return { items, pages };
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('Azure ML clients against the local workspace service', function () {
  this.timeout(120000);
  let service: StartedLocalWorkspace;
  let ws: WorkspaceClient;

  before(async () => {
    service = await startLocalWorkspace({ pageSize });
    ws = connectLocalWorkspace(service.connection).workspaceClient;
  });
  after(async () => {
    await service?.dispose();
  });

  describe('finding the workspace', () => {
    it('gets the workspace and discovers its data-plane endpoints on the service', async () => {
      const workspace = await ws.getWorkspace();
      assert.equal(workspace.name, service.connection.workspace);
      assert.equal(workspace.subscriptionId, service.connection.subscriptionId);
      assert.equal(workspace.resourceGroup, service.connection.resourceGroup);
      assert.equal(workspace.storageAccountName, service.connection.storageAccount);
      assert.equal(workspace.studioUrl, undefined);
      const endpoints = await ws.getServiceEndpoints();
      assert.equal(endpoints.api, service.connection.armEndpoint);
    });

    it('lists subscriptions, resource groups and workspaces', async () => {
      const { cloud, credential } = connectLocalWorkspace(service.connection);
      const arm = new ResourceManagerClient(cloud, credential);
      const subscriptions = await arm.listSubscriptions();
      assert.deepEqual(subscriptions.items.map((s) => s.subscriptionId), [service.connection.subscriptionId]);
      const groups = await arm.listResourceGroups(service.connection.subscriptionId);
      assert.deepEqual(groups.items.map((g) => g.name), [service.connection.resourceGroup]);
      const workspaces = await collect((continuationToken) => arm.listWorkspaces({
        subscriptionId: service.connection.subscriptionId, resourceGroup: service.connection.resourceGroup,
        ...(continuationToken ? { continuationToken } : {}),
      }));
      assert.ok(workspaces.items.some((w) => w.name === service.connection.workspace));
    });
  });

  describe('datastores', () => {
    const created = `ds_${Date.now()}`;

    it('lists across pages', async () => {
      const first = await ws.datastores.list();
      assert.equal(first.items.length, pageSize);
      assert.ok(first.continuationToken, 'more than one page');
      const all = await collect((continuationToken) => ws.datastores.list(continuationToken ? { continuationToken } : {}));
      assert.ok(all.pages >= 2);
      const names = all.items.map((d) => d.name);
      for (const name of ['workspaceblobstore', 'workspacefilestore', 'workspaceartifactstore']) assert.ok(names.includes(name), name);
      assert.equal(new Set(names).size, names.length, 'no datastore twice');
      const iterated: string[] = [];
      for await (const d of ws.datastores.listAll()) iterated.push(d.name);
      assert.deepEqual(iterated, names);
    });

    it('gets one, with what the tree shows', async () => {
      const blob = await ws.datastores.get('workspaceblobstore');
      assert.equal(blob.datastoreType, 'AzureBlob');
      assert.equal(blob.isDefault, true);
      assert.equal(blob.credentialsType, 'AccountKey');
      assert.equal(blob.accountName, service.connection.storageAccount);
      assert.ok(blob.containerName);
      assert.equal(blob.endpoint, 'local');
      assert.ok(blob.createdAt instanceof Date);
      const file = await ws.datastores.get('workspacefilestore');
      assert.equal(file.datastoreType, 'AzureFile');
      assert.ok(file.fileShareName);
      assert.equal(file.isDefault, false);
    });

    it('404 for a datastore that does not exist', async () => {
      const error = await rejection(ws.datastores.get('no_such_store'));
      assert.equal(error.status, 404);
      assert.ok(error.isNotFound);
      assert.match(error.message, /no_such_store/);
    });

    it('400 for a bad create, naming the field', async () => {
      const error = await rejection(ws.datastores.createOrUpdate({
        name: 'bad_store', datastoreType: 'AzureBlob', accountName: '', containerName: 'data',
        credentials: { credentialsType: 'AccountKey', key: 'a2V5' },
      }));
      assert.equal(error.status, 400);
      assert.match(error.message, /accountName/);
      assert.ok(!error.message.includes('a2V5'));
    });

    it('creates, reads secrets of and deletes a datastore', async () => {
      const key = Buffer.from(`key-${randomUUID()}`).toString('base64');
      const datastore = await ws.datastores.createOrUpdate({
        name: created, datastoreType: 'AzureBlob', accountName: service.connection.storageAccount,
        containerName: 'extra', credentials: { credentialsType: 'AccountKey', key },
        description: 'made by a test', tags: { purpose: 'test' },
      }, { skipValidation: true });
      assert.deepEqual(
        [datastore.name, datastore.datastoreType, datastore.containerName, datastore.isDefault, datastore.description, datastore.tags],
        [created, 'AzureBlob', 'extra', false, 'made by a test', { purpose: 'test' }]);
      assert.equal(datastore.endpoint, 'local', 'endpoint defaults to the cloud suffix');
      // An expiring SAS signed with the key, as Azure ML answers current clients; never the key itself.
      const secrets = await ws.datastores.listSecrets(created);
      assert.ok(secrets.secretsType === 'Sas' && /[?&]se=/.test(secrets.sasToken), JSON.stringify(secrets));
      assert.ok(secrets.expiresAt && secrets.expiresAt.getTime() > Date.now(), 'it says when it expires');
      assert.ok(!JSON.stringify(secrets).includes(key), 'the key is not handed out');
      await ws.datastores.delete(created);
      assert.equal((await rejection(ws.datastores.get(created))).status, 404);
    });

    it('lists the secrets of the default datastore', async () => {
      const secrets = await ws.datastores.listSecrets('workspaceblobstore');
      assert.ok(secrets.secretsType === 'Sas' && secrets.sasToken.length > 0, JSON.stringify(secrets.secretsType));
    });

    it('finds the default datastore', async () => {
      const found = await ws.datastores.getDefault();
      assert.equal(found?.name, 'workspaceblobstore');
    });

    it('changes the default datastore, and only one is default at a time', async () => {
      await ws.datastores.setDefault('workspacefilestore');
      assert.equal((await ws.datastores.getDefault())?.name, 'workspacefilestore');
      assert.equal((await ws.datastores.get('workspaceblobstore')).isDefault, false);
      assert.equal((await rejection(ws.datastores.setDefault('no_such_datastore'))).status, 404);
      await ws.datastores.setDefault('workspaceblobstore');
      assert.equal((await ws.datastores.getDefault())?.name, 'workspaceblobstore');
    });
  });

  describe('code, jobs, run history', () => {
    const codeName = randomUUID();
    const hash = createHash('sha256').update(`snapshot ${codeName}`).digest('hex');
    let codeId: string;
    const jobs: Job[] = [];

    it('code: hash lookup misses, pending upload, create, then hash lookup finds it under any name', async () => {
      assert.equal(await ws.codes.findVersionByHash(randomUUID(), hash), undefined);
      const upload = await ws.codes.startPendingUpload(codeName, '1');
      assert.ok(upload.blobUri.startsWith(service.connection.blobEndpoint), upload.blobUri);
      assert.ok(upload.sasUri.startsWith(upload.blobUri));
      assert.match(upload.sasUri, /[?&]sig=/);
      const version = await ws.codes.createOrUpdateVersion(codeName, '1', {
        codeUri: `${upload.blobUri}/src`, isAnonymous: true, hashSha256: hash, hashVersion: '202208',
      });
      assert.deepEqual([version.name, version.version, version.hashSha256, version.hashVersion, version.isAnonymous],
        [codeName, '1', hash, '202208', true]);
      const found = await ws.codes.findVersionByHash(randomUUID(), hash);
      assert.equal(found?.name, codeName);
      assert.equal(found?.codeUri, `${upload.blobUri}/src`);
      codeId = found!.id;
      assert.match(codeId, new RegExp(`/codes/${codeName}/versions/1$`));
    });

    it('computes: list and get', async () => {
      const page = await ws.computes.list();
      assert.ok(page.items.length >= 1);
      const compute = await ws.computes.get(page.items[0]!.name);
      assert.equal(compute.name, page.items[0]!.name);
      assert.ok(compute.computeType);
      assert.equal((await rejection(ws.computes.get('no-such-compute'))).status, 404);
    });

    it('jobs: create, get', async () => {
      const stamp = Date.now();
      const greet = 'echo ${{inputs.greeting}} && ls ${{inputs.data}}';
      // Jobs really run in the local workspace: a2 runs long so that the cancel test finds it active.
      const specs = [
        { name: `a1-${stamp}`, experimentName: 'exp-a', command: greet },
        { name: `a2-${stamp}`, experimentName: 'exp-a', command: `sleep 120 && ${greet}` },
        { name: `a3-${stamp}`, experimentName: 'exp-a', command: greet },
        { name: `b1-${stamp}`, experimentName: 'exp-b', command: greet },
      ];
      for (const spec of specs) {
        jobs.push(await ws.jobs.createCommandJob({
          ...spec,
          displayName: `display ${spec.name}`,
          environmentId: 'azureml:AzureML-sklearn-1.0-ubuntu20.04-py38-cpu@latest',
          codeId,
          inputs: {
            greeting: { type: 'literal', value: 'hello' },
            data: { type: 'uri_folder', uri: 'azureml://datastores/workspaceblobstore/paths/data/', mode: 'ReadOnlyMount' },
          },
          outputs: { model: { type: 'uri_folder' } },
          tags: { run: spec.name },
        }));
      }
      const job = jobs[0]!;
      assert.equal(job.status, 'NotStarted');
      assert.equal(job.experimentName, 'exp-a');
      assert.equal(job.codeId, codeId);
      assert.ok(job.computeId);
      assert.deepEqual(job.inputs['data'], { type: 'uri_folder', uri: 'azureml://datastores/workspaceblobstore/paths/data/', mode: 'ReadOnlyMount' });
      assert.equal(job.outputs['model']?.type, 'uri_folder');
      assert.ok(job.outputs['model']?.uri, 'the service filled in the output uri');
      const again = await ws.jobs.get(job.name);
      assert.deepEqual([again.name, again.displayName, again.tags], [job.name, `display ${job.name}`, { run: job.name }]);
      assert.equal((await rejection(ws.jobs.get('no-such-job'))).status, 404);
    });

    it('jobs: 400 for a bad submit, naming the field', async () => {
      const error = await rejection(ws.jobs.createCommandJob({
        name: `bad-${Date.now()}`, command: 'echo', environmentId: 'azureml:env@latest', timeout: 'one hour',
      }));
      assert.equal(error.status, 400);
      assert.match(error.message, /timeout/);
    });

    it('jobs: list pages and filter by experiment', async () => {
      const first = await ws.jobs.list();
      assert.ok(first.items.length <= pageSize);
      assert.ok(first.continuationToken);
      const all = await collect((continuationToken) => ws.jobs.list(continuationToken ? { continuationToken } : {}));
      for (const job of jobs) assert.ok(all.items.some((j) => j.name === job.name), job.name);
      const onlyB = await collect((continuationToken) => ws.jobs.list({ experimentName: 'exp-b', ...(continuationToken ? { continuationToken } : {}) }));
      assert.deepEqual(onlyB.items.map((j) => j.name), [jobs[3]!.name]);
      const onlyA = await collect((continuationToken) => ws.jobs.list({ experimentName: 'exp-a', ...(continuationToken ? { continuationToken } : {}) }));
      assert.deepEqual(onlyA.items.map((j) => j.name).sort(), jobs.slice(0, 3).map((j) => j.name).sort());
    });

    it('jobs: cancel is accepted at once; the job ends Canceled; a finished job cannot be canceled', async () => {
      const job = jobs[1]!;
      const result = await ws.jobs.cancel(job.name);
      assert.deepEqual(result, { completed: false }, 'the service accepted the cancel (202)');
      const final = await eventually(() => ws.jobs.get(job.name), (j) => j.status === 'Canceled');
      assert.equal(final.status, 'Canceled');
      const error = await rejection(ws.jobs.cancel(job.name));
      assert.equal(error.status, 400);
    });

    it('run history: run details of a job', async () => {
      const details = await ws.runHistory.getRunDetails(jobs[1]!.name);
      assert.equal(details.runId, jobs[1]!.name);
      assert.equal(details.status, 'Canceled');
      assert.ok(details.endTime instanceof Date);
      assert.equal(typeof details.logFiles, 'object');
      assert.equal((await rejection(ws.runHistory.getRunDetails('no-such-run'))).status, 404);
    });

    it('run history: experiments query, one page at a time', async () => {
      const all = await collect((continuationToken) => ws.runHistory.listExperiments({ top: 1, ...(continuationToken ? { continuationToken } : {}) }));
      assert.ok(all.pages >= 2);
      const names = all.items.map((e) => e.name);
      assert.ok(names.includes('exp-a') && names.includes('exp-b'), names.join());
      assert.ok(all.items.every((e) => e.experimentId && e.createdAt instanceof Date));
    });
  });

  describe('models', () => {
    const name = `model-${Date.now()}`;

    it('creates versions, lists containers and versions, gets, deletes', async () => {
      const v1 = await ws.models.createOrUpdateVersion(name, '1', {
        modelUri: 'azureml://datastores/workspaceblobstore/paths/models/m1/', description: 'first', tags: { stage: 'dev' },
      });
      assert.deepEqual([v1.name, v1.version, v1.modelType, v1.description, v1.tags], [name, '1', 'custom_model', 'first', { stage: 'dev' }]);
      await ws.models.createOrUpdateVersion(name, '2', { modelUri: 'azureml://datastores/workspaceblobstore/paths/models/m2/', modelType: 'mlflow_model' });

      const containers = await collect((continuationToken) => ws.models.list(continuationToken ? { continuationToken } : {}));
      const container = containers.items.find((m) => m.name === name);
      assert.ok(container, 'the model is listed');
      assert.equal(container.latestVersion, '2');
      const versions = await collect((continuationToken) => ws.models.listVersions(name, continuationToken ? { continuationToken } : {}));
      assert.deepEqual(versions.items.map((v) => v.version).sort(), ['1', '2']);
      const v2 = await ws.models.getVersion(name, '2');
      assert.deepEqual([v2.modelType, v2.modelUri], ['mlflow_model', 'azureml://datastores/workspaceblobstore/paths/models/m2/']);

      const conflict = await rejection(ws.models.createOrUpdateVersion(name, '1', { modelUri: 'azureml://datastores/workspaceblobstore/paths/other/' }));
      assert.equal(conflict.status, 409);

      await ws.models.deleteVersion(name, '1');
      assert.equal((await rejection(ws.models.getVersion(name, '1'))).status, 404);
      await ws.models.deleteVersion(name, '2');
      await ws.models.delete(name);
      assert.equal((await rejection(ws.models.get(name))).status, 404);
    });
  });

  describe('authentication', () => {
    it('401 with a wrong token, for SDK and raw calls; the token is not in the message', async () => {
      const wrong = connectLocalWorkspace({ ...service.connection, token: 'wrong-token-value' }).workspaceClient;
      const error = await rejection(wrong.datastores.list());
      assert.equal(error.status, 401);
      assert.ok(error.isUnauthorized);
      assert.ok(!error.message.includes('wrong-token-value'));
      const raw = await rejection(wrong.codes.startPendingUpload('x', '1'));
      assert.equal(raw.status, 401);
    });
  });
});
