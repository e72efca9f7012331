import * as assert from 'node:assert/strict';
import { apiVersion, armClient, collect, resourceGroup, startHarness, subscriptionId, ws, type Harness } from './harness';
import type { StorageTargets } from '../../../src/local/workspaceApi';

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const rgPath = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces`;

describe('workspace API: workspaces and discovery', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  it('has the local workspace from the start, shaped like the real get', async () => {
    const reply = await h.call('GET', `${ws}?${apiVersion}`);
    assert.equal(reply.status, 200);
    const w = reply.body;
    assert.equal(w.id, ws);
    assert.equal(w.name, 'local');
    assert.equal(w.type, 'Microsoft.MachineLearningServices/workspaces');
    assert.equal(w.location, 'local');
    assert.match(w.properties.workspaceId, guid);
    assert.equal(w.properties.storageAccount,
      `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Storage/storageAccounts/devstoreaccount1`);
    assert.equal(w.properties.discoveryUrl, `${h.base}/discovery`);
    assert.equal(w.properties.mlFlowTrackingUri, `azureml://${new URL(h.base).host}/mlflow/v1.0${ws}`);
    assert.equal(w.properties.provisioningState, 'Succeeded');
    assert.ok(w.systemData.createdAt);
  });

  it('serves the discovery document without a token, pointing at this same service', async () => {
    const reply = await fetch(`${h.base}/discovery`);
    assert.equal(reply.status, 200);
    const body = (await reply.json()) as Record<string, string>;
    assert.equal(body['api'], h.base);
    assert.equal(body['history'], h.base);
  });

  it('lists workspaces by subscription and by resource group (SDK too)', async () => {
    const bySub = await h.call('GET', `/subscriptions/${subscriptionId}/providers/Microsoft.MachineLearningServices/workspaces?${apiVersion}`);
    assert.deepEqual(bySub.body.value.map((w: { name: string }) => w.name), ['local']);
    const byGroup = await h.call('GET', `${rgPath}?${apiVersion}`);
    assert.deepEqual(byGroup.body.value.map((w: { name: string }) => w.name), ['local']);
    const sdk = await collect(armClient(h.base).workspaces.listByResourceGroup(resourceGroup));
    assert.deepEqual(sdk.map((w) => w.name), ['local']);
    assert.equal(sdk[0]!.discoveryUrl, `${h.base}/discovery`);
  });

  it('creates another workspace with its own built-in datastores and reports the storage it needs', async () => {
    const requested: StorageTargets[] = [];
    h.api.onWorkspaceStorageNeeded((targets) => {
      requested.push(targets);
    });
    const created = await h.call('PUT', `${rgPath}/team-ws?${apiVersion}`, { location: 'local', properties: { friendlyName: 'Team' } });
    assert.equal(created.status, 201);
    assert.equal(created.body.properties.friendlyName, 'Team');
    const workspaceId = created.body.properties.workspaceId;
    assert.match(workspaceId, guid);
    assert.equal(requested.length, 1);
    assert.ok(requested[0]!.blobContainers.includes(`azureml-blobstore-${workspaceId}`));
    assert.deepEqual(requested[0]!.fileShares, [`azureml-filestore-${workspaceId}`]);
    assert.ok(h.api.storageTargets().blobContainers.includes(`azureml-blobstore-${workspaceId}`));

    const datastores = await h.call('GET', `${rgPath}/team-ws/datastores?${apiVersion}`);
    assert.deepEqual(datastores.body.value.map((d: { name: string }) => d.name).sort(),
      ['workspaceartifactstore', 'workspaceblobstore', 'workspacefilestore']);

    const updated = await h.call('PUT', `${rgPath}/team-ws?${apiVersion}`, { properties: { description: 'shared' } });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.properties.workspaceId, workspaceId);

    const deleted = await h.call('DELETE', `${rgPath}/team-ws?${apiVersion}`);
    assert.equal(deleted.status, 202, 'a long-running operation, as in Azure');
    const operation = new URL(deleted.headers.get('location')!);
    assert.equal((await h.call('GET', `${operation.pathname}${operation.search}`)).status, 200);
    assert.equal((await h.call('GET', `${rgPath}/team-ws?${apiVersion}`)).status, 404);
  });

  it('refuses bad workspace names', async () => {
    const bad = await h.call('PUT', `${rgPath}/x?${apiVersion}`, { properties: {} });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /workspace name 'x'/);
  });

  it('deleting the local workspace deletes its data and starts it anew, empty, with its built-in datastores', async () => {
    const before = await h.call('GET', `${ws}?${apiVersion}`);
    assert.equal((await h.call('PUT', `${ws}/models/churn?${apiVersion}`, { properties: { description: 'x' } })).status, 201);
    const del = await h.call('DELETE', `${ws}?${apiVersion}`);
    assert.equal(del.status, 202);
    const after = await h.call('GET', `${ws}?${apiVersion}`);
    assert.equal(after.status, 200);
    assert.notEqual(after.body.properties.workspaceId, before.body.properties.workspaceId);
    assert.equal((await h.call('GET', `${ws}/models/churn?${apiVersion}`)).status, 404);
    const datastores = await h.call('GET', `${ws}/datastores?${apiVersion}`);
    assert.deepEqual(datastores.body.value.map((d: { name: string }) => d.name).sort(),
      ['workspaceartifactstore', 'workspaceblobstore', 'workspacefilestore']);
  });
});
