import * as assert from 'node:assert/strict';
import { allPages, apiVersion, armClient, collect, resourceGroup, startHarness, ws, type Harness } from './harness';

const modelBody = (extra: Record<string, unknown> = {}) => ({
  properties: {
    modelType: 'mlflow_model',
    modelUri: 'azureml://jobs/keen_otter_1/outputs/artifacts/paths/model/',
    jobName: 'keen_otter_1',
    description: 'churn model',
    tags: { auc: '0.91' },
    flavors: { python_function: { data: { loader_module: 'mlflow.sklearn' } } },
    ...extra,
  },
});

describe('workspace API: models', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ pageSize: 2 });
  });
  afterEach(() => h.close());

  it('creates versions, creating the container on the first; latestVersion and nextVersion follow', async () => {
    assert.equal((await h.call('GET', `${ws}/models/churn?${apiVersion}`)).status, 404);
    const v1 = await h.call('PUT', `${ws}/models/churn/versions/1?${apiVersion}`, modelBody());
    assert.equal(v1.status, 201);
    assert.equal(v1.body.type, 'Microsoft.MachineLearningServices/workspaces/models/versions');
    assert.equal(v1.body.properties.modelType, 'mlflow_model');
    assert.equal(v1.body.properties.jobName, 'keen_otter_1');
    assert.deepEqual(v1.body.properties.flavors, { python_function: { data: { loader_module: 'mlflow.sklearn' } } });
    let container = (await h.call('GET', `${ws}/models/churn?${apiVersion}`)).body;
    assert.equal(container.type, 'Microsoft.MachineLearningServices/workspaces/models');
    assert.equal(container.properties.latestVersion, '1');
    assert.equal(container.properties.nextVersion, '2');

    await h.call('PUT', `${ws}/models/churn/versions/5?${apiVersion}`, modelBody({ tags: { auc: '0.93' } }));
    await h.call('PUT', `${ws}/models/churn/versions/candidate?${apiVersion}`, modelBody({ modelType: undefined }));
    container = (await h.call('GET', `${ws}/models/churn?${apiVersion}`)).body;
    assert.equal(container.properties.latestVersion, 'candidate');
    assert.equal(container.properties.nextVersion, '6');
    assert.equal((await h.call('GET', `${ws}/models/churn/versions/candidate?${apiVersion}`)).body.properties.modelType, 'custom_model');

    assert.equal((await h.call('DELETE', `${ws}/models/churn/versions/candidate?${apiVersion}`)).status, 200);
    assert.equal((await h.call('DELETE', `${ws}/models/churn/versions/5?${apiVersion}`)).status, 200);
    container = (await h.call('GET', `${ws}/models/churn?${apiVersion}`)).body;
    assert.equal(container.properties.latestVersion, '1');
    assert.equal(container.properties.nextVersion, '6', 'deleted version numbers are not reused');
  });

  it('lists versions with $orderBy, $top, version and tags filters, paged', async () => {
    for (const v of ['1', '2', '3', '10']) {
      await h.call('PUT', `${ws}/models/m/versions/${v}?${apiVersion}`, modelBody({ tags: { auc: `0.${v}`, best: v === '3' ? 'yes' : 'no' } }));
    }
    const newestFirst = (await allPages(h, `${ws}/models/m/versions?${apiVersion}`)).flatMap((p) => p.value.map((x) => x.name));
    assert.deepEqual(newestFirst, ['10', '3', '2', '1']);
    const byVersion = await h.call('GET', `${ws}/models/m/versions?${apiVersion}&$orderBy=version%20asc&$top=3`);
    assert.deepEqual(byVersion.body.value.map((x: { name: string }) => x.name), ['1', '2']);
    const rest = await allPages(h, byVersion.body.nextLink.slice(h.base.length));
    assert.deepEqual(rest.flatMap((p) => p.value.map((x) => x.name)), ['3'], '$top bounds the whole listing');
    const one = await h.call('GET', `${ws}/models/m/versions?${apiVersion}&version=2`);
    assert.deepEqual(one.body.value.map((x: { name: string }) => x.name), ['2']);
    const tagged = await h.call('GET', `${ws}/models/m/versions?${apiVersion}&tags=best=yes`);
    assert.deepEqual(tagged.body.value.map((x: { name: string }) => x.name), ['3']);
    const bad = await h.call('GET', `${ws}/models/m/versions?${apiVersion}&$orderBy=size`);
    assert.equal(bad.status, 400);
  });

  it('validates versions: modelUri required and a URI; content is immutable; names and versions follow the rules', async () => {
    const missing = await h.call('PUT', `${ws}/models/m/versions/1?${apiVersion}`, modelBody({ modelUri: undefined }));
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.target, 'properties.modelUri');
    const notUri = await h.call('PUT', `${ws}/models/m/versions/1?${apiVersion}`, modelBody({ modelUri: 'model.pkl' }));
    assert.equal(notUri.status, 400);
    assert.equal((await h.call('PUT', `${ws}/models/m/versions/1?${apiVersion}`, modelBody())).status, 201);
    const retag = await h.call('PUT', `${ws}/models/m/versions/1?${apiVersion}`, modelBody({ tags: { reviewed: 'yes' } }));
    assert.equal(retag.status, 200);
    assert.deepEqual(retag.body.properties.tags, { reviewed: 'yes' });
    const moved = await h.call('PUT', `${ws}/models/m/versions/1?${apiVersion}`, modelBody({ modelUri: 'azureml://datastores/x/paths/y' }));
    assert.equal(moved.status, 409);
    assert.match(moved.body.error.message, /modelUri/);
    assert.equal((await h.call('PUT', `${ws}/models/m$/versions/1?${apiVersion}`, modelBody())).status, 400);
    assert.equal((await h.call('PUT', `${ws}/models/m/versions/v%201?${apiVersion}`, modelBody())).status, 400);
  });

  it('containers: list with listViewType, PUT description/archive, DELETE removes versions', async () => {
    await h.call('PUT', `${ws}/models/a/versions/1?${apiVersion}`, modelBody());
    await h.call('PUT', `${ws}/models/b/versions/1?${apiVersion}`, modelBody());
    const archived = await h.call('PUT', `${ws}/models/b?${apiVersion}`, { properties: { description: 'old', isArchived: true } });
    assert.equal(archived.status, 200);
    assert.equal(archived.body.properties.isArchived, true);
    assert.deepEqual((await h.call('GET', `${ws}/models?${apiVersion}`)).body.value.map((m: { name: string }) => m.name), ['a']);
    assert.deepEqual((await h.call('GET', `${ws}/models?${apiVersion}&listViewType=All`)).body.value.map((m: { name: string }) => m.name), ['a', 'b']);
    const created = await h.call('PUT', `${ws}/models/c?${apiVersion}`, { properties: { description: 'empty for now' } });
    assert.equal(created.status, 201);
    assert.equal(created.body.properties.latestVersion, null);
    assert.equal(created.body.properties.nextVersion, '1');
    assert.equal((await h.call('DELETE', `${ws}/models/a?${apiVersion}`)).status, 200);
    assert.equal((await h.call('GET', `${ws}/models/a/versions/1?${apiVersion}`)).status, 404);
    assert.equal((await h.call('DELETE', `${ws}/models/a?${apiVersion}`)).status, 204);
  });

  it('works with the real AzureMachineLearningWorkspaces client: model versions and containers', async () => {
    const client = armClient(h.base);
    await client.modelVersions.createOrUpdate(resourceGroup, 'local', 'sdk-model', '1', {
      properties: { modelType: 'custom_model', modelUri: 'azureml://datastores/workspaceblobstore/paths/models/a/', tags: { k: 'v' } },
    });
    await client.modelVersions.createOrUpdate(resourceGroup, 'local', 'sdk-model', '2', {
      properties: { modelType: 'custom_model', modelUri: 'azureml://datastores/workspaceblobstore/paths/models/b/' },
    });
    const container = await client.modelContainers.get(resourceGroup, 'local', 'sdk-model');
    assert.equal(container.properties.latestVersion, '2');
    assert.equal(container.properties.nextVersion, '3');
    const versions = await collect(client.modelVersions.list(resourceGroup, 'local', 'sdk-model', { orderBy: 'version asc' }));
    assert.deepEqual(versions.map((v) => v.name), ['1', '2']);
    const v1 = await client.modelVersions.get(resourceGroup, 'local', 'sdk-model', '1');
    assert.equal(v1.properties.modelUri, 'azureml://datastores/workspaceblobstore/paths/models/a/');
    assert.deepEqual(v1.properties.tags, { k: 'v' });
    const containers = await collect(client.modelContainers.list(resourceGroup, 'local'));
    assert.deepEqual(containers.map((c) => c.name), ['sdk-model']);
  });
});
