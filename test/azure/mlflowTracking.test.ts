/**
 * The MLflow tracking client against the local workspace's MLflow API (in process), and its
 * refusals of tracking URIs that would take the sign-in elsewhere.
 */
import { strict as assert } from 'node:assert';
import { azurePublicCloud, localCloud } from '../../src/azure/cloud';
import { createLocalWorkspaceCredential } from '../../src/azure/credentials';
import { connectLocalWorkspace } from '../../src/azure/localWorkspace';
import { metricHistoryPages, readMetricHistory } from '../../src/azure/metricHistory';
import { createMachineLearningClient } from '../../src/azure/mlServiceClient';
import { MlflowTracking, trackingBaseUrl } from '../../src/azure/mlflowTracking';
import type { MetricPoint } from '../../src/azure/runMetrics';
import type { WorkspaceClient } from '../../src/azure/workspaceClient';
import type { LocalWorkspaceConnection } from '../../src/local/discovery';
import { apiVersion, resourceGroup, startHarness, subscriptionId, token, ws, type Harness } from '../local/workspaceApi/harness';
import { rejection } from '../support/rejection';

function connectionTo(h: Harness): LocalWorkspaceConnection {
  return {
    ready: true, pid: process.pid, armEndpoint: h.base,
    blobEndpoint: 'http://127.0.0.1:9/devstoreaccount1', fileEndpoint: 'http://127.0.0.1:8/devstoreaccount1', queueEndpoint: 'http://127.0.0.1:7/devstoreaccount1',
    tenantId: '72f988bf-0000-0000-0000-000000000000', subscriptionId, resourceGroup, workspace: 'local', location: 'local',
    storageAccount: 'devstoreaccount1', token,
  };
}

/** Equal as numbers, NaN included. */
function samePoints(actual: MetricPoint[], expected: MetricPoint[]): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((point, i) => {
    const want = expected[i]!;
    assert.ok(point.step === want.step && point.timestamp === want.timestamp && Object.is(point.value, want.value), `point ${i}: ${JSON.stringify({ ...point, value: String(point.value) })}`);
  });
}

describe('MLflow tracking client', () => {
  let h: Harness;
  let client: WorkspaceClient;

  beforeEach(async () => {
    h = await startHarness();
    const reply = await h.call('PUT', `${ws}/jobs/train_1?${apiVersion}`, {
      properties: { jobType: 'Command', command: 'python train.py', environmentId: 'e', experimentName: 'exp', displayName: 'Train one' },
    });
    assert.equal(reply.status, 201, reply.text);
    client = connectLocalWorkspace(connectionTo(h)).workspaceClient;
  });
  afterEach(() => h.close());

  it('logs a batch (NaN and ±Infinity too) and reads every point back exactly, in step order, across pages', async () => {
    const points: MetricPoint[] = Array.from({ length: 25 }, (_, i) => ({ step: i, value: i === 7 ? NaN : i === 8 ? Infinity : i === 9 ? -Infinity : 1 / (i + 1), timestamp: 1_700_000_000_000 + i * 10 }));
    const shuffled = [...points].reverse();
    await client.metrics.logBatch('train_1', {
      metrics: shuffled.map((p) => ({ key: 'loss', ...p })),
      params: { learning_rate: '0.01', max_depth: '6' },
      tags: { purpose: 'test' },
    });
    await client.metrics.logMetric('train_1', { key: 'accuracy', step: 0, value: 0.5, timestamp: 1_700_000_000_000 });
    await client.metrics.logParameter('train_1', 'optimizer', 'adam');
    await client.metrics.setTag('train_1', 'note', 'hi');

    const pages: MetricPoint[][] = [];
    for await (const page of metricHistoryPages(client.metrics, 'train_1', 'loss', { pageSize: 4 })) pages.push(page);
    assert.equal(pages.length, 7);
    samePoints(pages.flat(), points);
    samePoints(await readMetricHistory(client.metrics, 'train_1', 'loss'), points);

    const run = await client.metrics.getRun('train_1');
    assert.equal(run.runId, 'train_1');
    assert.equal(run.runName, 'Train one');
    assert.equal(run.status, 'SCHEDULED');
    assert.deepEqual(run.params, { learning_rate: '0.01', max_depth: '6', optimizer: 'adam' });
    assert.equal(run.tags['purpose'], 'test');
    assert.equal(run.tags['note'], 'hi');
    assert.deepEqual(run.metrics['loss'], { key: 'loss', step: 24, value: 1 / 25, timestamp: 1_700_000_000_240 });
    assert.deepEqual(run.metrics['accuracy'], { key: 'accuracy', step: 0, value: 0.5, timestamp: 1_700_000_000_000 });
    assert.equal(typeof run.startTime, 'number');

    const experiment = await client.metrics.getExperimentByName('exp');
    const found = await client.metrics.searchRuns([experiment.experimentId], { filter: "params.max_depth = '6'" });
    assert.deepEqual(found.runs.map((r) => r.runId), ['train_1']);
  });

  it('a run without metrics reads as empty; an unknown or deleted run is RunNotFound', async () => {
    const run = await client.metrics.getRun('train_1');
    assert.deepEqual(run.metrics, {});
    assert.deepEqual(await readMetricHistory(client.metrics, 'train_1', 'loss'), []);

    const unknown = await rejection(client.metrics.getRun('no_such_run'));
    assert.equal(unknown.code, 'RunNotFound');
    assert.match(unknown.message, /no_such_run/);
    const history = await rejection(client.metrics.getMetricHistoryPage('no_such_run', 'loss'));
    assert.equal(history.code, 'RunNotFound');
    const logging = await rejection(client.metrics.logMetric('no_such_run', { key: 'a', step: 0, value: 1, timestamp: 1 }));
    assert.equal(logging.code, 'RunNotFound');
  });

  it("a service error reaches the caller with the service's message", async () => {
    const error = await rejection(client.metrics.logBatch('train_1', { metrics: [{ key: 'bad key?', step: 0, value: 1, timestamp: 1 }] }));
    assert.equal(error.code, 'INVALID_PARAMETER_VALUE');
    assert.equal(error.status, 400);
    assert.match(error.message, /Invalid metric name: 'bad key\?'/);
  });

  it('uses whatever path the tracking URI names (mlflow/v2.0 as in current traffic)', async () => {
    const cloud = localCloud(connectionTo(h));
    const mlClient = createMachineLearningClient(cloud, createLocalWorkspaceCredential(connectionTo(h)), subscriptionId);
    const tracking = new MlflowTracking(
      { cloud, client: mlClient, workspace: { subscriptionId, resourceGroup, workspaceName: 'local' } },
      async () => `azureml://${new URL(h.base).host}/mlflow/v2.0${ws}`,
    );
    await tracking.logMetric('train_1', { key: 'x', step: 3, value: 2, timestamp: 5 });
    assert.deepEqual((await tracking.getMetricHistoryPage('train_1', 'x')).points, [{ step: 3, value: 2, timestamp: 5 }]);
  });

  it('an abort ends a read with an AbortError', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(readMetricHistory(client.metrics, 'train_1', 'loss', { signal: controller.signal }), { name: 'AbortError' });
  });

  it('reads azureml:// as https:// and never sends the sign-in to a host outside the cloud', async () => {
    assert.equal(trackingBaseUrl(azurePublicCloud, 'azureml://eastus2.api.azureml.ms/mlflow/v2.0/subscriptions/s/x/'), 'https://eastus2.api.azureml.ms/mlflow/v2.0/subscriptions/s/x');
    assert.equal(trackingBaseUrl(azurePublicCloud, 'azureml://127.0.0.1:5/mlflow/v1.0/x'), 'https://127.0.0.1:5/mlflow/v1.0/x', 'plain http only for the local workspace');
    let tokenAsked = false;
    const credential = { getToken: async () => { tokenAsked = true; return { token: 'secret', expiresOnTimestamp: Date.now() + 60_000 }; } };
    for (const uri of ['azureml://evil.example.com/mlflow/v1.0/x', `azureml://${new URL(h.base).host}/mlflow/v1.0/x`, 'http://eastus.api.azureml.ms/mlflow/v1.0/x']) {
      const tracking = new MlflowTracking(
        { cloud: azurePublicCloud, client: createMachineLearningClient(azurePublicCloud, credential, subscriptionId), workspace: { subscriptionId, resourceGroup, workspaceName: 'w' } },
        async () => uri,
      );
      const error = await rejection(tracking.getRun('train_1'));
      assert.equal(error.code, 'UntrustedHost', uri);
    }
    assert.equal(tokenAsked, false);
  });
});
